package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXIF orientation is applied on read, as Pillow's ImageOps.exif_transpose applies it
 * (tools/orientation_reference.py). Before, a portrait photo (orientation 6) came out sideways.
 */
class OrientationTest {
    static final Path TOOL = Path.of("../tools/orientation_reference.py");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPillow() throws Exception {
        boolean ok = Files.isExecutable(Path.of(ColorManagementTest.PYTHON));
        if (ok) {
            Process p = new ProcessBuilder(ColorManagementTest.PYTHON, "-c", "from PIL import ImageOps").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor() == 0;
        }
        assumeTrue(ok, "needs Debian's python3-pil (.ci/run installs it)");
    }

    static byte[] exif(int orientation) {
        return OrientationTestData.exif(orientation);
    }

    /** A 7x4 image in which every pixel differs, so any wrong turn shows. */
    static BufferedImage asymmetric() {
        BufferedImage img = new BufferedImage(7, 4, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, (x * 36) << 16 | (y * 80) << 8 | (x * y * 9));
            }
        }
        return img;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngEveryOrientationAsPillowShowsIt(int orientation) throws Exception {
        Path png = Files.write(dir.resolve("o" + orientation + ".png"),
                TestImages.withChunk(TestImages.pngBytes(asymmetric()), "eXIf", exif(orientation)));
        Path ref = dir.resolve("ref" + orientation + ".png");
        Process p = new ProcessBuilder(ColorManagementTest.PYTHON, TOOL.toString(), png.toString(), ref.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        BufferedImage expected = javax.imageio.ImageIO.read(ref.toFile());
        ImageInfo info = ImageFiles.probe(png);
        assertEquals(Orientation.of(orientation), info.orientation());
        BufferedImage ours = ImageFiles.read(png);
        assertEquals(expected.getWidth(), ours.getWidth());
        assertEquals(expected.getHeight(), ours.getHeight());
        assertEquals(expected.getWidth(), info.width());
        for (int y = 0; y < ours.getHeight(); y++) {
            for (int x = 0; x < ours.getWidth(); x++) {
                assertEquals(expected.getRGB(x, y), ours.getRGB(x, y), "orientation " + orientation + " at " + x + "," + y);
            }
        }
    }

    /** The case from the report: a JPEG from a camera held upright. */
    @ParameterizedTest
    @ValueSource(ints = {6, 8})
    void jpegPortraitComesOutUpright(int orientation) throws Exception {
        BufferedImage blocks = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                blocks.setRGB(x, y, x < 16 && y < 16 ? 0xff0000 : 0x2040ff);
            }
        }
        byte[] jpg = Files.readAllBytes(TestImages.write(blocks, "jpeg", dir.resolve("plain.jpg")));
        byte[] e = exif(orientation);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpg, 0, 2);
        int len = 2 + 6 + e.length;
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(e);
        out.write(jpg, 2, jpg.length - 2);
        Path file = Files.write(dir.resolve("portrait.jpg"), out.toByteArray());
        BufferedImage ours = ImageFiles.read(file);
        assertEquals(32, ours.getWidth(), "portrait");
        assertEquals(64, ours.getHeight());
        // The red corner block (top left as stored) is top right after a clockwise turn (6), bottom left after 8.
        int red = orientation == 6 ? ours.getRGB(24, 8) : ours.getRGB(8, 56);
        assertTrue(((red >> 16) & 0xff) > 200 && (red & 0xff) < 60, Integer.toHexString(red));
    }
}
