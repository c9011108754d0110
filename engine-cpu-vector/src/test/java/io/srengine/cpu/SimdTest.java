package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimdTest {
    @Test
    void widthFollowsTheProperty() {
        String bits = System.getProperty(VectorSupport.BITS_PROPERTY);
        System.out.println("CPU kernels run with " + Simd.SPECIES + " (" + VectorSupport.BITS_PROPERTY + "=" + bits + ")");
        if (bits != null && !bits.isBlank()) {
            assertEquals(Integer.parseInt(bits.trim()), Simd.SPECIES.vectorBitSize());
        }
        assertEquals(Simd.SPECIES.length(), Simd.LANES);
        assertTrue(Simd.LANES >= 4);
    }

    @Test
    void parsesOnlyTheSupportedWidths() {
        assertEquals(128, VectorSupport.parseBits("128"));
        assertEquals(256, VectorSupport.parseBits(" 256 "));
        assertEquals(512, VectorSupport.parseBits("512"));
        assertEquals(0, VectorSupport.parseBits(null));
        assertEquals(-1, VectorSupport.parseBits("1024"));
        assertEquals(-1, VectorSupport.parseBits("wide"));
    }

    @Test
    void blockArithmetic() {
        assertEquals(1, Simd.blocks(1));
        assertEquals(1, Simd.blocks(Simd.LANES));
        assertEquals(2, Simd.blocks(Simd.LANES + 1));
        assertEquals(2 * Simd.LANES, Simd.padded(Simd.LANES + 1));
    }
}
