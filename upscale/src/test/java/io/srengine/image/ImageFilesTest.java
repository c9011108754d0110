package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static final List<PixelFormat> PNG_FORMATS = List.of(
            new PixelFormat(false, false, 8), new PixelFormat(false, true, 8), new PixelFormat(true, false, 8),
            new PixelFormat(true, true, 8), new PixelFormat(false, false, 16), new PixelFormat(false, true, 16),
            new PixelFormat(true, false, 16), new PixelFormat(true, true, 16));

    /** Every PNG layout written by the JDK's encoder reads back with its format and exact samples. */
    @Test
    void pngLayoutsReadBackExactly() {
        for (PixelFormat f : PNG_FORMATS) {
            Path file = TestImages.write(TestImages.make(f, 13, 9), "png", dir.resolve("in.png"));
            BufferedImage img = ImageFiles.read(file);
            assertEquals(f, PixelFormat.of(img), "format of " + f);
            PlanarImage p = PlanarImage.from(img);
            int max = f.maxValue();
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 13; x++) {
                    int i = y * 13 + x;
                    float r = TestImages.sample(x, y, 0, f.bitDepth()) / (float) max;
                    assertEquals(r, p.red()[i], 1e-7f, f + " red at " + x + "," + y);
                    float g = f.gray() ? r : TestImages.sample(x, y, 1, f.bitDepth()) / (float) max;
                    assertEquals(g, p.green()[i], 1e-7f, f + " green");
                    if (f.alpha()) {
                        float a = TestImages.sample(x, y, f.gray() ? 1 : 3, f.bitDepth()) / (float) max;
                        assertEquals(a, p.alpha()[i], 1e-7f, f + " alpha");
                    }
                }
            }
        }
    }

    @Test
    void paletteReadsAsColourWithItsTransparency() {
        for (boolean alpha : new boolean[] {false, true}) {
            BufferedImage src = TestImages.palette(11, 7, alpha);
            BufferedImage img = ImageFiles.read(TestImages.write(src, "png", dir.resolve("pal.png")));
            PlanarImage p = PlanarImage.from(img);
            assertEquals(new PixelFormat(false, alpha, 8), p.format());
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 11; x++) {
                    int argb = src.getRGB(x, y);
                    int i = y * 11 + x;
                    assertEquals(((argb >> 16) & 0xff) / 255f, p.red()[i], 1e-7f);
                    assertEquals((argb & 0xff) / 255f, p.blue()[i], 1e-7f);
                    if (alpha) {
                        assertEquals((argb >>> 24) / 255f, p.alpha()[i], 1e-7f);
                    }
                }
            }
        }
    }

    @Test
    void bmpAndJpegRead() {
        BufferedImage rgb = TestImages.make(PixelFormat.RGB8, 16, 12);
        PlanarImage bmp = PlanarImage.from(ImageFiles.read(TestImages.write(rgb, "bmp", dir.resolve("a.bmp"))));
        PlanarImage want = PlanarImage.from(rgb);
        for (int i = 0; i < 16 * 12; i++) {
            assertEquals(want.red()[i], bmp.red()[i], 0f);
            assertEquals(want.blue()[i], bmp.blue()[i], 0f);
        }
        BufferedImage smooth = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                smooth.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 128);
            }
        }
        PlanarImage jpg = PlanarImage.from(ImageFiles.read(TestImages.write(smooth, "jpeg", dir.resolve("a.jpg"))));
        assertEquals(PixelFormat.RGB8, jpg.format());
        assertEquals(30 * 6 / 255f, jpg.red()[12 * 32 + 30], 8 / 255f, "JPEG is lossy but close on a smooth ramp");
    }

    @Test
    void webpDecodesThroughThePlugin() throws IOException {
        Path file = Files.write(dir.resolve("a.webp"), TestImages.WEBP_RGBA_5X4);
        BufferedImage img = ImageFiles.read(file);
        assertEquals(5, img.getWidth());
        assertEquals(4, img.getHeight());
        PlanarImage p = PlanarImage.from(img);
        assertTrue(p.hasAlpha());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                int argb = TestImages.webpPixel(x, y);
                int i = y * 5 + x;
                assertEquals(((argb >> 16) & 0xff) / 255f, p.red()[i], 1e-7f, "red at " + x + "," + y);
                assertEquals(((argb >> 8) & 0xff) / 255f, p.green()[i], 1e-7f);
                assertEquals((argb & 0xff) / 255f, p.blue()[i], 1e-7f);
                assertEquals((argb >>> 24) / 255f, p.alpha()[i], 1e-7f);
            }
        }
    }

    @Test
    void missingFileIsNamed() {
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(dir.resolve("nope.png")));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.png"), e.getMessage());
    }

    @Test
    void directoryIsNotAnImage() {
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(dir));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void emptyFileIsReported() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.png"));
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(f));
        assertEquals(ErrorCode.IMAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("empty (0 bytes)"), e.getMessage());
    }

    @Test
    void unsupportedFormatIsReported() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.png"), "these are words, not pixels\n");
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(f));
        assertEquals(ErrorCode.IMAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("not an image in a supported format"), e.getMessage());
    }

    @Test
    void corruptPngIsReported() throws IOException {
        byte[] bytes = Files.readAllBytes(TestImages.write(TestImages.make(PixelFormat.RGB8, 40, 30), "png", dir.resolve("ok.png")));
        for (int i = 60; i < bytes.length - 20; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Path f = Files.write(dir.resolve("bad.png"), bytes);
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(f));
        assertEquals(ErrorCode.IMAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("bad.png"), e.getMessage());
    }

    @Test
    void truncatedFilesAreReported() throws IOException {
        Path png = TestImages.write(TestImages.make(PixelFormat.RGB8, 64, 48), "png", dir.resolve("ok.png"));
        Path cutPng = TestImages.truncated(png, (int) Files.size(png) / 2, dir.resolve("cut.png"));
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(cutPng));
        assertEquals(ErrorCode.IMAGE_ERROR, e.code(), e.getMessage());
        Path jpg = TestImages.write(TestImages.make(PixelFormat.RGB8, 64, 48), "jpeg", dir.resolve("ok.jpg"));
        Path cutJpg = TestImages.truncated(jpg, (int) Files.size(jpg) / 2, dir.resolve("cut.jpg"));
        SrException j = assertThrows(SrException.class, () -> ImageFiles.read(cutJpg));
        assertEquals(ErrorCode.IMAGE_ERROR, j.code(), j.getMessage());
        assertTrue(j.getMessage().contains("cut.jpg"), j.getMessage());
    }

    @Test
    void imageTooLargeToIndexIsRefusedBeforeDecoding() throws IOException {
        Path f = Files.write(dir.resolve("huge.png"), TestImages.pngHeader(60000, 50000));
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(f));
        assertEquals(ErrorCode.IMAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("60000x50000") && e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void unreadableFileIsReported() throws IOException {
        Path f = TestImages.write(TestImages.make(PixelFormat.RGB8, 4, 4), "png", dir.resolve("secret.png"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "running as a user who reads any file (root): permissions cannot be tested");
        SrException e = assertThrows(SrException.class, () -> ImageFiles.read(f));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("not readable"), e.getMessage());
    }

    @Test
    void outputFormatComesFromTheExtension() {
        assertEquals(ImageFormat.PNG, ImageFiles.outputFormat(Path.of("a.PNG")));
        assertEquals(ImageFormat.JPEG, ImageFiles.outputFormat(Path.of("a.jpeg")));
        assertEquals(ImageFormat.WEBP, ImageFiles.outputFormat(Path.of("a.webp")));
        for (String bad : new String[] {"a.gif", "noextension", "a.xyz"}) {
            SrException e = assertThrows(SrException.class, () -> ImageFiles.outputFormat(Path.of(bad)));
            assertEquals(ErrorCode.IMAGE_ERROR, e.code(), bad);
            assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("png"), e.getMessage());
        }
        assertTrue(ImageFormat.WEBP.canWrite(), "webp-imageio's encoder is a dependency; the help text says WebP is written");
    }

    @Test
    void outputChecksCatchBadPaths() throws IOException {
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 4, 4), "png", dir.resolve("in.png"));
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub.png"));
        record Case(Path out, ErrorCode code, String text) {}
        for (Case c : new Case[] {
                new Case(dir.resolve("missing/out.png"), ErrorCode.IO_ERROR, "does not exist"),
                new Case(file.resolve("out.png"), ErrorCode.IO_ERROR, "is not a directory"),
                new Case(sub, ErrorCode.IO_ERROR, "is a directory"),
                new Case(in, ErrorCode.IO_ERROR, "is the input"),
                new Case(dir.resolve("x/../in.png"), ErrorCode.IO_ERROR, "is the input"),
                new Case(dir.resolve("out.gif"), ErrorCode.IMAGE_ERROR, "cannot write")}) {
            SrException e = assertThrows(SrException.class, () -> ImageFiles.checkOutput(in, c.out()), c.out().toString());
            assertEquals(c.code(), e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(c.text()), e.getMessage());
        }
        assertEquals(ImageFormat.PNG, ImageFiles.checkOutput(in, dir.resolve("out.png")));
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("out.png");
        Files.writeString(out, "old");
        BufferedImage img = TestImages.make(new PixelFormat(false, true, 16), 9, 5);
        ImageFiles.write(img, out);
        PlanarImage back = PlanarImage.from(ImageFiles.read(out));
        assertEquals(new PixelFormat(false, true, 16), back.format());
        assertEquals(TestImages.sample(3, 2, 3, 16) / 65535f, back.alpha()[2 * 9 + 3], 1e-7f);
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(out));
        assertOnly(out);
        SrException e = assertThrows(SrException.class, () -> ImageFiles.write(img, dir.resolve("nodir/x.png")));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertOnly(out);
    }

    @Test
    void formatsWithoutAlphaOr16BitsGetWhatTheyCanHold() throws IOException {
        BufferedImage img = new PixelFormat(false, true, 16).allocate(4, 3);
        float[] half = new float[12];
        float[] zero = new float[12];
        java.util.Arrays.fill(half, 0.5f);
        Pixels.write(img, 0, 0, 4, 3, zero, zero, zero, half);
        for (String ext : new String[] {"jpg", "bmp"}) {
            Path out = dir.resolve("flat." + ext);
            ImageFiles.write(img, out);
            PlanarImage back = PlanarImage.from(ImageFiles.read(out));
            assertEquals(PixelFormat.RGB8, back.format(), ext);
            // black at half opacity over white is mid gray
            assertEquals(0.5f, back.red()[5], 3 / 255f, ext);
        }
        Path tif = dir.resolve("keep.tiff");
        ImageFiles.write(img, tif);
        assertEquals(new PixelFormat(false, true, 16), PixelFormat.of(ImageFiles.read(tif)));
        BufferedImage pal = TestImages.palette(6, 5, false);
        ImageFiles.write(pal, dir.resolve("pal.jpg"));
        assertNotNull(ImageFiles.read(dir.resolve("pal.jpg")));
    }

    private void assertOnly(Path... expected) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> !p.getFileName().toString().equals("nodir")).sorted().toList();
            assertEquals(List.of(expected), files);
        }
    }
}
