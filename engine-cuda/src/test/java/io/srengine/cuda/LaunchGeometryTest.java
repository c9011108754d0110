package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchGeometryTest {
    @Test
    void linearLaunchesCoverEveryItemWithOneBlockForTheTail() {
        assertArrayEquals(new int[] {4, 1, 1}, LaunchGeometry.linear(1000, 256).grid());
        assertArrayEquals(new int[] {4, 1, 1}, LaunchGeometry.linear(1024, 256).grid());
        assertArrayEquals(new int[] {5, 1, 1}, LaunchGeometry.linear(1025, 256).grid());
        assertArrayEquals(new int[] {1, 1, 1}, LaunchGeometry.linear(0, 256).grid(), "an empty launch still gets a block");
        assertEquals(256, LaunchGeometry.linear(1, 256).threads());
    }

    @Test
    void a4kImageFitsInOneLaunch() {
        long items = 4L * 3840 * 2160 * 64;
        assertEquals((items + 255) / 256, LaunchGeometry.linear(items, 256).grid()[0]);
    }

    @Test
    void rejectsWhatCudaRejects() {
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.of(1, 70000, 1, 32, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.of(1, 1, 1, 64, 32, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.of(0, 1, 1, 32, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.linear(1L << 40, 256));
    }

    @Test
    void ceilDivision() {
        assertEquals(0, LaunchGeometry.ceilDiv(0, 8));
        assertEquals(1, LaunchGeometry.ceilDiv(1, 8));
        assertEquals(2, LaunchGeometry.ceilDiv(9, 8));
        assertEquals(3L, LaunchGeometry.ceilDiv(17L, 8L));
    }
}
