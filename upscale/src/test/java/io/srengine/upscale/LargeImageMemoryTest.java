package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.SessionOptions;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The memory promise of {@link Upscaler}: a 4096x4096 image upscaled x4 fits in a 2 GB heap, where
 * the 16384x16384 RGB output alone takes 805 MB. Runs in its own Surefire execution with {@code
 * -Xmx2g} (tag {@value #TAG}, see engine-api/pom.xml); any full-image float buffer (3.2 GB for the
 * output) would make it fail with an OutOfMemoryError.
 */
@Tag(LargeImageMemoryTest.TAG)
class LargeImageMemoryTest {
    static final String TAG = "large-heap";
    static final int SIZE = 4096;

    static BufferedImage pattern() {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ((i * 31 + (i / (3 * SIZE)) * 7) & 0xff);
        }
        return img;
    }

    static void checkHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 2L * 1024 * 1024 * 1024 + (64 << 20),
                "this test proves nothing unless the JVM runs with -Xmx2g; max heap is " + (max >> 20) + " MB");
    }

    /** Samples of the output against nearest-neighbour upscaling of the input. */
    static void checkNearest(BufferedImage in, BufferedImage out, int scale) {
        assertEquals(SIZE * scale, out.getWidth());
        assertEquals(SIZE * scale, out.getHeight());
        for (int y = 0; y < out.getHeight(); y += 997) {
            for (int x = 0; x < out.getWidth(); x += 1009) {
                assertEquals(in.getRGB(x / scale, y / scale), out.getRGB(x, y), "at " + x + "," + y);
            }
        }
        assertEquals(in.getRGB(SIZE - 1, SIZE - 1), out.getRGB(SIZE * scale - 1, SIZE * scale - 1));
    }

    /** Through a real graph (nearest x4 from Concat and DepthToSpace) on the reference backend. */
    @Test
    void fourKUpscaledFourTimesFitsInTwoGigabytes() {
        assumeTrue(TinyModels.supported("Concat", "DepthToSpace"), "the reference backend lacks Concat or DepthToSpace");
        checkHeap();
        BufferedImage in = pattern();
        BufferedImage out;
        SessionOptions reference = SessionOptions.builder().backend("reference").build();
        try (Upscaler up = Upscaler.builder(TinyModels.nearestByShuffle(4)).sessionOptions(reference).tileSize(512)
                .tilePadding(8).build()) {
            out = up.upscale(in);
        }
        checkNearest(in, out, 4);
    }
}
