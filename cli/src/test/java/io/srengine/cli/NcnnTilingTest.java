package io.srengine.cli;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiled equals untiled within one 8-bit level for every family of ncnn models, with the tile
 * padding each model's metadata asks for: Real-ESRGAN (SRVGGNetCompact; its RRDBNets need 50 and more
 * pixels of padding, which makes them too slow to tile here), Real-CUGAN at
 * every scale (whole-image squeeze-and-excitation means, stride-aligned windows) and waifu2x
 * (cunet at x1 and x2, upconv7). And the reason for the means: the same Real-CUGAN model tiled
 * with per-tile means, as the program tiles, does not agree.
 */
class NcnnTilingTest {
    private static final SessionOptions CPU = SessionOptions.builder().backend("cpu").threads(2).build();

    static BufferedImage photo(int w, int h) throws Exception {
        BufferedImage a = ImageIO.read(Path.of(System.getProperty("srengine.repo.root", ".."), "models/samples/astronaut.png").toFile());
        return a.getSubimage(30, 20, w, h);
    }

    static int[] compare(BufferedImage a, BufferedImage b) {
        int over = 0;
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int sh = 0; sh < 24; sh += 8) {
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
