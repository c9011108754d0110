package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Images with colour profiles or PNG gamma/chromaticity chunks read as LittleCMS converts them to
 * sRGB (tools/lcms_reference.py calls liblcms2 itself through Python, with profiles LittleCMS builds).
 * Before srengine applied profiles, the raw values were taken as sRGB: a ProPhoto (224, 0, 155) on
 * screen came out (158, 36, 128).
 */
class ColorManagementTest {
    static final Path TOOL = Path.of("../tools/lcms_reference.py");
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsLittleCms() throws Exception {
        boolean ok = Files.isExecutable(Path.of(PYTHON));
        if (ok) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import PIL, ctypes; ctypes.CDLL('liblcms2.so.2')")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor() == 0;
        }
        assumeTrue(ok, "needs Debian's python3-pil and liblcms2 (.ci/run installs them)");
    }

    static String python(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, TOOL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "lcms_reference.py " + String.join(" ", args) + ": " + out);
        return out;
    }

    byte[] profile(String name) throws Exception {
        Path icc = dir.resolve(name + ".icc");
        python("profile", name, icc.toString());
        return Files.readAllBytes(icc);
    }

    /** Saturated colours (the one from the report first), grays, and a coarse cube of the rest. */
    static BufferedImage colours() {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        int[][] fixed = {{224, 0, 155}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}, {128, 128, 128},
            {12, 240, 200}};
        for (int i = 0; i < 128; i++) {
            int[] c = i < fixed.length ? fixed[i] : new int[] {(i * 37) % 256, (i * 91) % 256, (i * 53 + 20) % 256};
            img.setRGB(i % 16, i / 16, c[0] << 16 | c[1] << 8 | c[2]);
        }
        return img;
    }

    /** LittleCMS's sRGB for each pixel of {@code png}, in 16 bits. */
    int[][] reference(Path png, String... gamma) throws Exception {
        Path txt = dir.resolve(png.getFileName() + ".txt");
        List<String> args = new ArrayList<>(List.of("convert", png.toString(), txt.toString()));
        args.addAll(List.of(gamma));
        python(args.toArray(String[]::new));
        List<String> lines = Files.readAllLines(txt);
        int[][] rgb = new int[lines.size()][3];
        for (int i = 0; i < rgb.length; i++) {
            String[] f = lines.get(i).trim().split(" ");
            for (int c = 0; c < 3; c++) {
                rgb[i][c] = Integer.parseInt(f[c]);
            }
        }
        return rgb;
    }

    /** Every pixel of {@code ours} within {@code tolerance} 8-bit steps of the reference (x, y scaled by {@code step}). */
    static void assertMatches(int[][] ref, int w, BufferedImage ours, int step, int tolerance) {
        int worst = 0;
        for (int i = 0; i < ref.length; i++) {
            int x = (i % w) * step;
            int y = (i / w) * step;
            int[] got = new int[3];
            if (ours.getRaster().getNumBands() == 1) {
                // getRGB would take gray samples for linear light; compare the stored values
                java.util.Arrays.fill(got, ours.getRaster().getSample(x, y, 0));
            } else {
                int argb = ours.getRGB(x, y);
                got = new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
            }
            for (int c = 0; c < 3; c++) {
                int want = (int) Math.round(ref[i][c] / 257.0);
                worst = Math.max(worst, Math.abs(got[c] - want));
                assertTrue(Math.abs(got[c] - want) <= tolerance, "pixel " + i + " channel " + c + ": LittleCMS " + want
                        + ", srengine " + got[c]);
            }
        }
        assertTrue(worst <= tolerance);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prophoto", "adobergb", "widegamut-linear"})
    void pngWithIccProfileReadsAsLittleCmsConvertsIt(String name) throws Exception {
        byte[] png = TestImages.withChunk(TestImages.pngBytes(colours()), "iCCP", TestImages.iccpChunk(profile(name)));
        Path file = Files.write(dir.resolve(name + ".png"), png);
        assertMatches(reference(file), 16, ImageFiles.read(file), 1, 1);
    }

    @Test
    void theReportedColourComesOutAsShown() throws Exception {
        byte[] png = TestImages.withChunk(TestImages.pngBytes(colours()), "iCCP", TestImages.iccpChunk(profile("prophoto")));
        Path file = Files.write(dir.resolve("pp.png"), png);
        int[][] ref = reference(file);
        int argb = ImageFiles.read(file).getRGB(0, 0);
        // (224, 0, 155) in ProPhoto is out of sRGB's gamut: LittleCMS clips it, as srengine does.
        assertEquals(Math.round(ref[0][0] / 257.0), (argb >> 16) & 0xff);
        assertTrue(((argb >> 16) & 0xff) > 224, "a ProPhoto magenta is more saturated in sRGB terms, not duller");
    }

    /** Each colour of {@link #colours()} as a 16x16 block, so that JPEG's chroma subsampling does not mix them. */
    static BufferedImage blocks() {
        BufferedImage c = colours();
        BufferedImage img = new BufferedImage(16 * 16, 8 * 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, c.getRGB(x / 16, y / 16));
            }
        }
        return img;
    }

    @Test
    void jpegWithIccProfileReadsAsLittleCmsConvertsIt() throws Exception {
        Path plain = TestImages.write(blocks(), "jpeg", dir.resolve("plain.jpg"));
        byte[] jpg = Files.readAllBytes(plain);
        byte[] icc = profile("adobergb");
        byte[] head = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int len = 2 + head.length + 2 + icc.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (len >> 8), (byte) len});
        out.writeBytes(head);
        out.writeBytes(new byte[] {1, 1});
        out.writeBytes(icc);
        out.write(jpg, 2, jpg.length - 2);
        Path file = Files.write(dir.resolve("adobe.jpg"), out.toByteArray());
        assertNotNull(ImageFiles.probe(file).metadata().iccProfile());
        // Pillow (libjpeg-turbo) and the JDK (IJG libjpeg) may decode a sample one step apart.
        int[][] all = reference(file);
        int[][] centres = new int[128][];
        for (int i = 0; i < 128; i++) {
            centres[i] = all[((i / 16) * 16 + 8) * 256 + (i % 16) * 16 + 8];
        }
        BufferedImage ours = ImageFiles.read(file);
        BufferedImage sampled = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 128; i++) {
            sampled.setRGB(i % 16, i / 16, ours.getRGB((i % 16) * 16 + 8, (i / 16) * 16 + 8));
        }
        assertMatches(centres, 16, sampled, 1, 2);
    }

    @Test
    void pngGammaAndChromaticitiesReadAsLittleCmsConvertsThem() throws Exception {
        double[] chrm = {0.3457, 0.3585, 0.7347, 0.2653, 0.1152, 0.8264, 0.1566, 0.0177};
        long[] fixed = new long[8];
        String[] args = new String[9];
        args[0] = "1.0";
        for (int i = 0; i < 8; i++) {
            fixed[i] = Math.round(chrm[i] * 100000);
            args[i + 1] = Double.toString(fixed[i] / 100000.0);
        }
        byte[] png = TestImages.pngBytes(colours());
        png = TestImages.withChunk(png, "gAMA", TestImages.int32(100000));
        png = TestImages.withChunk(png, "cHRM", TestImages.int32(fixed));
        Path file = Files.write(dir.resolve("linear.png"), png);
        assertMatches(reference(file, args), 16, ImageFiles.read(file), 1, 1);
    }

    @Test
    void pngGammaAloneReadsAsLittleCmsConvertsIt() throws Exception {
        Path file = Files.write(dir.resolve("g18.png"),
                TestImages.withChunk(TestImages.pngBytes(colours()), "gAMA", TestImages.int32(55556)));
        assertMatches(reference(file, "0.55556"), 16, ImageFiles.read(file), 1, 1);
    }

    @Test
    void grayPngWithGrayProfile() throws Exception {
        BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 128; i++) {
            gray.getRaster().setSample(i % 16, i / 16, 0, i * 2);
        }
        Path file = Files.write(dir.resolve("gray.png"),
                TestImages.withChunk(TestImages.pngBytes(gray), "iCCP", TestImages.iccpChunk(profile("gray-gamma22"))));
        BufferedImage ours = ImageFiles.read(file);
        assertEquals(PixelFormat.of(gray), PixelFormat.of(ours), "gray stays gray");
        assertMatches(reference(file), 16, ours, 1, 1);
    }

    @Test
    void srgbAndUntaggedImagesAreLeftAsTheyAre() throws Exception {
        BufferedImage img = colours();
        Path tagged = Files.write(dir.resolve("srgb.png"), TestImages.withChunk(TestImages.pngBytes(img), "sRGB", new byte[] {0}));
        Path g22 = Files.write(dir.resolve("g22.png"), TestImages.withChunk(TestImages.pngBytes(img), "gAMA", TestImages.int32(45455)));
        for (Path p : List.of(tagged, g22)) {
            BufferedImage back = ImageFiles.read(p);
            for (int i = 0; i < 128; i++) {
                assertEquals(img.getRGB(i % 16, i / 16), back.getRGB(i % 16, i / 16), p + " pixel " + i);
            }
        }
    }
}
