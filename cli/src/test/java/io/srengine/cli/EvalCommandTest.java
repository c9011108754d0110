package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.SessionOptions;
import io.srengine.image.ImageFiles;
import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.TestImages;
import io.srengine.upscale.TinyModels;
import io.srengine.upscale.Upscaler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    private static EvalCommand command() {
        EvalCommand c = new EvalCommand();
        c.models = spec -> TinyModels.nearestByShuffle(2);
        return c;
    }

    private static CliRunner.Result eval(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--backend";
        all[args.length + 1] = "reference";
        return CliRunner.run("eval", command(), all);
    }

    /** A smooth photograph-like test image: gradients and a soft ring, so that bicubic does well. */
    private Path photo(String name, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - w / 2.0, y - h / 2.0);
                int v = (int) (127 + 100 * Math.sin(r / 6.0));
                img.setRGB(x, y, v << 16 | (x * 255 / w) << 8 | (y * 255 / h));
            }
        }
        return TestImages.write(img, "png", dir.resolve(name));
    }

    @Test
    void reportsEachImageAndTheMean() {
        Path a = photo("a.png", 64, 48);
        Path b = photo("b.png", 41, 37);
        CliRunner.Result r = eval(a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("(x2) on backend reference"), out);
        assertTrue(out.contains("2-pixel border excluded"), out);
        assertTrue(out.matches("(?s).*\\na\\.png +64x48 .*"), out);
        assertTrue(out.matches("(?s).*\\nb\\.png +40x36 .*"), "cropped to a multiple of the scale: " + out);
        assertTrue(out.contains("mean of 2"), out);
        // The numbers are the evaluation's own, and nearest-neighbour loses to bicubic on smooth content.
        try (Upscaler up = Upscaler.builder(TinyModels.nearestByShuffle(2))
                .sessionOptions(SessionOptions.builder().backend("reference").build()).build()) {
            QualityEvaluation.Result ra = QualityEvaluation.run(PlanarImage.from(ImageFiles.read(a)), up);
            assertTrue(ra.psnrModel() < ra.psnrBicubic(), ra.toString());
            assertTrue(ra.ssimBicubic() > 0.5 && ra.ssimBicubic() <= 1, ra.toString());
            String row = String.format(Locale.ROOT, "%9.2f %7.4f  %9.2f %7.4f", ra.psnrBicubic(), ra.ssimBicubic(),
                    ra.psnrModel(), ra.ssimModel());
            assertTrue(out.contains(row), row + " in\n" + out);
        }
    }

    @Test
    void directoriesAndComparisons() throws IOException {
        Path d = Files.createDirectory(dir.resolve("photos"));
        photo("photos/p1.png", 50, 40);
        photo("photos/p2.png", 30, 30);
        Files.writeString(d.resolve("readme.txt"), "not an image");
        Path cmp = dir.resolve("cmp");
        CliRunner.Result r = eval(d.toString(), "--save-comparison", cmp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mean of 2"), r.out());
        BufferedImage c1 = ImageFiles.read(cmp.resolve("p1-comparison.png"));
        assertEquals(40, c1.getHeight(), "a crop as large as the image allows, on the scale's grid");
        assertEquals(4 * 40 + 12, c1.getWidth());
        assertEquals(0xffffffff, c1.getRGB(41, 5), "white gap between panels");
        BufferedImage c2 = ImageFiles.read(cmp.resolve("p2-comparison.png"));
        assertEquals(30, c2.getHeight());
    }

    @Test
    void badImagesAreReportedAndTheRestEvaluated() throws IOException {
        Path good = photo("good.png", 40, 40);
        Path tiny = TestImages.write(TestImages.make(PixelFormat.RGB8, 12, 12), "png", dir.resolve("tiny.png"));
        Path empty = Files.createFile(dir.resolve("empty.png"));
        CliRunner.Result r = eval(good.toString(), tiny.toString(), empty.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("tiny.png: ") && r.err().contains("too small to evaluate at x2"), r.err());
        assertTrue(r.err().contains("empty.png: ") && r.err().contains("empty (0 bytes)"), r.err());
        assertTrue(r.out().contains("mean of 1"), r.out());
    }

    @Test
    void missingInputIsBadInput() {
        CliRunner.Result r = eval(dir.resolve("nothing.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("input not found"), r.err());
        CliRunner.Result none = CliRunner.run("eval", command());
        assertEquals(Main.EXIT_BAD_INPUT, none.code());
        assertTrue(none.err().contains("IMAGE|DIR"), none.err());
    }
}
