package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.image.TestImages;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory promise of {@link Upscaler}: file to file, memory follows the tile, not the image. Runs in
 * its own Surefire execution with {@code -Xmx1g} (tag {@value #TAG}, see upscale/pom.xml), where the
 * outputs below alone (1.15 GB and 805 MB as 8-bit RGB) could not be held.
 */
@Tag(LargeImageMemoryTest.TAG)
class LargeImageMemoryTest {
    static final String TAG = "large-heap";

    @TempDir
    Path dir;

    static BufferedImage pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ((i * 31 + (i / (3 * w)) * 7) & 0xff);
        }
        return img;
    }

    static void checkHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= (1L << 30) + (64 << 20),
                "this test proves nothing unless the JVM runs with -Xmx1g; max heap is " + (max >> 20) + " MB");
    }

    /** A region of a large PNG, decoded by the JDK's reader (which keeps only the region). */
    static BufferedImage region(Path png, Rectangle r) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                ImageReadParam p = reader.getDefaultReadParam();
                p.setSourceRegion(r);
                return reader.read(0, p);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Nearest-neighbour x4 in plain Java: as fast as a model can be, so the test measures memory, not arithmetic. */
    static final class Nearest implements TileModel {
        public int scale() {
            return 4;
        }

        public int fixedHeight() {
            return 0;
        }

        public int fixedWidth() {
            return 0;
        }

        public Tensor run(Tensor tile) {
            int h = tile.dim(2);
            int w = tile.dim(3);
            float[] in = tile.floats();
            float[] out = new float[in.length * 16];
            int ow = 4 * w;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4 * h; y++) {
                    int src = c * h * w + (y / 4) * w;
                    int dst = c * 16 * h * w + y * ow;
                    for (int x = 0; x < ow; x++) {
                        out[dst + x] = in[src + x / 4];
                    }
                }
            }
            return Tensor.of(out, 1, 3, 4 * h, 4 * w);
        }

        public String name() {
            return "nearest x4";
        }

        public String backendName() {
            return "test";
        }

        public void close() {}
    }

    /** The case that failed: `srengine upscale 6000x4000.jpg out.png` with -Xmx1g. */
    @Test
    void sixThousandByFourThousandJpegTimesFourToPngInOneGigabyte() throws IOException {
        checkHeap();
        Path in = TestImages.write(pattern(6000, 4000), "png", dir.resolve("big.png"));
        Path jpg = dir.resolve("big.jpg");
        BufferedImage source = javax.imageio.ImageIO.read(in.toFile());
        TestImages.write(source, "jpeg", jpg);
        source = javax.imageio.ImageIO.read(jpg.toFile());
        Files.delete(in);
        Path out = dir.resolve("big-x4.png");
        try (Upscaler up = Upscaler.builder(new Nearest()).build()) {
            up.upscale(jpg, out);
        }
        BufferedImage top = region(out, new Rectangle(0, 0, 24000, 8));
        assertEquals(24000, top.getWidth());
        for (int x = 0; x < 24000; x += 997) {
            assertEquals(source.getRGB(x / 4, 1), top.getRGB(x, 5), "at " + x + ",5");
        }
        BufferedImage bottom = region(out, new Rectangle(12000, 15990, 4000, 10));
        for (int x = 0; x < 4000; x += 113) {
            assertEquals(source.getRGB((12000 + x) / 4, 15999 / 4), bottom.getRGB(x, 9), "at " + (12000 + x) + ",15999");
        }
    }

    /** Through a real graph (nearest x4 from Concat and DepthToSpace) on the reference backend. */
    @Test
    void fourKUpscaledFourTimesByARealGraphFitsInOneGigabyte() throws IOException {
        assumeTrue(TinyModels.supported("Concat", "DepthToSpace"), "the reference backend lacks Concat or DepthToSpace");
        checkHeap();
        BufferedImage source = pattern(4096, 4096);
        Path in = TestImages.write(source, "png", dir.resolve("4k.png"));
        Path out = dir.resolve("4k-x4.png");
        SessionOptions reference = SessionOptions.builder().backend("reference").build();
        try (Upscaler up = Upscaler.builder(TinyModels.nearestByShuffle(4)).sessionOptions(reference).tilePadding(8).build()) {
            up.upscale(in, out);
        }
        BufferedImage strip = region(out, new Rectangle(0, 16380, 16384, 4));
        for (int x = 0; x < 16384; x += 1009) {
            assertEquals(source.getRGB(x / 4, 4095), strip.getRGB(x, 3), "at " + x + ",16383");
        }
    }
}
