package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.SessionOptions;
import io.srengine.graph.Graph;
import io.srengine.upscale.Upscaler;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiled equals untiled within one 8-bit level for every family of ncnn models, with the tile
 * padding each model's metadata asks for: Real-ESRGAN (SRVGGNetCompact; its RRDBNets need 50 and more
 * pixels of padding, which makes them too slow to tile here, so one cut is checked), Real-CUGAN at
 * every scale (whole-image squeeze-and-excitation means, stride-aligned windows) and waifu2x
 * (cunet at x1 and x2, upconv7). And the reason for the means: the same Real-CUGAN model tiled
 * with per-tile means, as the program tiles, does not agree.
 */
class NcnnTilingTest {
    private static final SessionOptions CPU = SessionOptions.builder().backend("cpu").threads(2).build();

    static BufferedImage photo(int w, int h) throws Exception {
        BufferedImage a = ImageIO.read(Path.of(System.getProperty("srengine.repo.root", ".."), "models/samples/astronaut.png").toFile());
        if (30 + w > a.getWidth()) {
            // Wider than the sample: continue it with its mirror image, which keeps the content natural at the seam.
            BufferedImage wide = new BufferedImage(2 * a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < a.getHeight(); y++) {
                for (int x = 0; x < a.getWidth(); x++) {
                    wide.setRGB(x, y, a.getRGB(x, y));
                    wide.setRGB(2 * a.getWidth() - 1 - x, y, a.getRGB(x, y));
                }
            }
            a = wide;
        }
        return a.getSubimage(30, 20, w, h);
    }

    /** Values more than one level apart and the largest difference, over R, G, B and alpha. */
    static int[] compare(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth(), "width");
        assertEquals(a.getHeight(), b.getHeight(), "height");
        int over = 0;
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int sh = 0; sh < 32; sh += 8) {
                    int d = Math.abs(((p >> sh) & 255) - ((q >> sh) & 255));
                    over += d > 1 ? 1 : 0;
                    worst = Math.max(worst, d);
                }
            }
        }
        return new int[] {over, worst};
    }

    static BufferedImage upscale(Model m, BufferedImage in, int tile) {
        try (Upscaler up = Upscaler.builder(m).sessionOptions(CPU).tileSize(tile).build()) {
            return up.upscale(in);
        }
    }

    /**
     * Test-time augmentation runs the tiles flipped and transposed, and alpha through the model runs
     * them as gray: each of those images has means of its own, which the tiles must be given.
     */
    @Test
    void tiledEqualsUntiledWithTtaAndAlphaThroughTheModel() throws Exception {
        Model m = NcnnFixtures.load("realcugan-up2x-conservative");
        BufferedImage rgb = photo(52, 40);
        BufferedImage in = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                int alpha = Math.min(255, 40 + (x * 7 + y * 3) % 256);
                in.setRGB(x, y, alpha << 24 | (rgb.getRGB(x, y) & 0xFFFFFF));
            }
        }
        BufferedImage[] out = new BufferedImage[2];
        int[] tiles = {0, 24};
        for (int i = 0; i < 2; i++) {
            try (Upscaler up = Upscaler.builder(m).sessionOptions(CPU).tileSize(tiles[i]).tta(true)
                    .alphaMode(Upscaler.AlphaMode.MODEL).build()) {
                out[i] = up.upscale(in);
            }
        }
        int[] r = compare(out[0], out[1]);
        System.out.printf("realcugan-up2x-conservative with TTA and alpha through the model, tiled vs untiled: %d values"
                + " more than one level apart, worst %d%n", r[0], r[1]);
        assertTrue(r[1] <= 1, "tiled and untiled differ by up to " + r[1] + " levels");
    }

    /** waifu2x's x4 as two x2 passes: file to file (streamed, tiled) gives what the in-memory run gives. */
    @Test
    void repeatedPassesFromFileToFile(@TempDir Path dir) throws Exception {
        Model m = NcnnFixtures.load("waifu2x-cunet-noise1-scale2x");
        BufferedImage in = NcnnFixtures.crop("face-37x29");
        Path src = dir.resolve("in.png");
        Path dst = dir.resolve("out.png");
        ImageIO.write(in, "png", src.toFile());
        BufferedImage memory;
        try (Upscaler up = Upscaler.builder(m).sessionOptions(CPU).tileSize(0).outputScale(4).build()) {
            assertEquals(2, up.passes());
            memory = up.upscale(in);
        }
        try (Upscaler up = Upscaler.builder(m).sessionOptions(CPU).tileSize(16).outputScale(4).build()) {
            up.upscale(src, dst);
        }
        BufferedImage file = ImageIO.read(dst.toFile());
        assertEquals(4 * in.getWidth(), file.getWidth());
        int[] r = compare(memory, file);
        assertTrue(r[1] <= 1, "the file run differs from the in-memory one by up to " + r[1] + " levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"realesrgan-x4fast", "realesr-animevideov3-x3",
            "realcugan-up2x-denoise2x", "realcugan-up3x-conservative", "realcugan-up4x-no-denoise", "waifu2x-cunet-noise2",
            "waifu2x-cunet-scale2x", "waifu2x-upconv7-noise1-scale2x"})
    void tiledEqualsUntiled(String name) throws Exception {
        Model m = NcnnFixtures.load(name);
        BufferedImage in = photo(120, 90);
        BufferedImage whole = upscale(m, in, 0);
        BufferedImage tiled = upscale(m, in, 24);
        int[] r = compare(whole, tiled);
        System.out.printf("%s: tiled (24-pixel tiles, %s pixels of padding) vs untiled: %d values more than one level"
                + " apart, worst %d%n", name, m.metadata().get(ModelMetadata.TILE_PADDING), r[0], r[1]);
        assertTrue(r[1] <= 1, name + ": tiled and untiled differ by up to " + r[1] + " levels");
    }

    /**
     * The RRDBNets' tile padding, checked the affordable way (their tiled runs take too long here): a
     * window cut from a strip at a column, as a tile is, run alone against the whole strip (which has
     * as much context again beyond the cut). Output columns with at least the model's tile_padding
     * input pixels between them and the cut must be within one level of the untiled strip's, which is
     * what a tile's core needs. Prints from how much context on that holds on this strip: the least
     * padding the model needs here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"realesrgan-x4plus", "realesrgan-x4plus-anime"})
    void rrdbNetTilePaddingSuffices(String name) throws Exception {
        Model m = NcnnFixtures.load(name);
        int pad = Integer.parseInt(m.metadata().get(ModelMetadata.TILE_PADDING));
        int window = pad + 48;
        BufferedImage strip = photo(window + pad, 32);
        float[] whole = run(m, strip);
        float[] cut = run(m, strip.getSubimage(0, 0, window, strip.getHeight()));
        int s = 4;
        int h = strip.getHeight() * s;
        int[] worstAt = new int[window];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < window * s; x++) {
                    int a = level(whole[(c * h + y) * strip.getWidth() * s + x]);
                    int b = level(cut[(c * h + y) * window * s + x]);
                    int col = x / s;
                    worstAt[col] = Math.max(worstAt[col], Math.abs(a - b));
                }
            }
        }
        int needed = 0;
        int worstBeyondPad = 0;
        for (int col = 0; col < window; col++) {
            int context = window - 1 - col;
            if (worstAt[col] > 1) {
                needed = Math.max(needed, context + 1);
            }
            if (context >= pad) {
                worstBeyondPad = Math.max(worstBeyondPad, worstAt[col]);
            }
        }
        System.out.printf("%s: window cut from a %dx%d strip; columns with %d or more pixels of context before the cut"
                + " are within one level of the untiled strip (tile_padding %d: worst %d there)%n", name, strip.getWidth(),
                strip.getHeight(), needed, pad, worstBeyondPad);
        assertTrue(worstBeyondPad <= 1, name + ": " + pad + " pixels of context leave differences of " + worstBeyondPad
                + " levels; " + needed + " would do");
    }

    private static float[] run(Model m, BufferedImage in) {
        try (io.srengine.Session session = m.newSession(CPU)) {
            return session.run(io.srengine.Tensor.of(NcnnFixtures.planes(in), 1, 3, in.getHeight(), in.getWidth())).floats();
        }
    }

    /** 8 bits as the programs and srengine's image writer round. */
    private static int level(float v) {
        float q = v * 255 + 0.5f;
        return q >= 255 ? 255 : q > 0 ? (int) q : 0;
    }

    @Test
    void perTileMeansAreNotTheUntiledResult() throws Exception {
        Model m = NcnnFixtures.load("realcugan-up2x-denoise2x");
        Graph g = m.graph();
        g.metadata().remove(ModelMetadata.WHOLE_IMAGE_MEANS);
        Model perTile = Model.fromGraph(g, false);
        BufferedImage in = photo(120, 90);
        int[] r = compare(upscale(m, in, 0), upscale(perTile, in, 24));
        System.out.printf("realcugan-up2x-denoise2x tiled with per-tile means: %d values more than one level apart,"
                + " worst %d%n", r[0], r[1]);
        assertTrue(r[1] > 1, "per-tile means should change the result; the test image does not show it");
    }
}
