package io.srengine.cli;

import io.srengine.Model;
import io.srengine.models.NcnnModels;
import io.srengine.formats.npm.PackageCache;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The outputs of the original programs (realesrgan-, realcugan-, waifu2x-ncnn-vulkan) on small crops,
 * made on Mesa's lavapipe by {@code tools/ncnn_reference_fixtures.py} (see the README beside the
 * fixtures), and the fetched models they are compared with.
 */
final class NcnnFixtures {
    static final String DIR = "/io/srengine/cli/ncnn-fixtures/";

    record Case(String model, int outputScale, String crop, String program, String flags) {
        @Override
        public String toString() {
            return model + (outputScale > 0 ? " x" + outputScale : "") + " on " + crop;
        }
    }

    private NcnnFixtures() {}

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        try (InputStream in = NcnnFixtures.class.getResourceAsStream(DIR + "fixtures.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] f = lines[i].split("\t");
                String name = f[0];
                int scale = 0;
                int at = name.indexOf("@x");
                if (at > 0) {
                    scale = Integer.parseInt(name.substring(at + 2));
                    name = name.substring(0, at);
                }
                out.add(new Case(name, scale, f[1], f[2], f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static BufferedImage crop(String crop) {
        return image(DIR + "crops/" + crop + ".png");
    }

    static BufferedImage expected(Case c) {
        return image(DIR + c.crop() + "/" + c.model() + (c.outputScale() > 0 ? "@x" + c.outputScale() : "") + ".png");
    }

    static BufferedImage image(String resource) {
        try (InputStream in = NcnnFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fetchable model in the cache, downloading them when missing: the tests need them, so a failure fails. */
    static synchronized PackageCache fetched() {
        PackageCache cache = PackageCache.defaultCache();
        NcnnModels.fetch(List.of(), cache, line -> System.out.println("[ncnn fixtures] " + line));
        return cache;
    }

    static Model load(String name) {
        return NcnnModels.find(name).orElseThrow().load(fetched());
    }

    /** The image as planar RGB in [0, 1]. */
    static float[] planes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] x = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                int p = img.getRGB(i, y);
                x[y * w + i] = ((p >> 16) & 255) / 255f;
                x[w * h + y * w + i] = ((p >> 8) & 255) / 255f;
                x[2 * w * h + y * w + i] = (p & 255) / 255f;
            }
        }
        return x;
    }
}
