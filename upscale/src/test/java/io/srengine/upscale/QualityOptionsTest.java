package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Tensor;
import io.srengine.image.PlanarImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** --tta, --alpha model and --colorfix on models whose behaviour the tests know. */
class QualityOptionsTest {
    @Test
    void dihedralInvertsEachOfTheEightSymmetries() {
        float[] img = new float[2 * 5 * 3];
        Random r = new Random(1);
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextFloat();
        }
        for (int t = 0; t < 8; t++) {
            float[] sym = Dihedral.apply(img, 2, 5, 3, t);
            assertArrayEquals(img, Dihedral.invert(sym, 2, 5, 3, t), "symmetry " + t);
        }
        // a transposition puts pixel (x, y) at (y, x): pixel (4, 0) of the 5x3 original is (0, 4) of the 3x5
        assertEquals(img[4], Dihedral.apply(img, 1, 5, 3, 4)[4 * 3]);
    }

    /** A model that is not symmetric: it shifts the image one pixel right. TTA averages the eight shifted versions. */
    static final class ShiftRight implements TileModel {
        int runs;

        public int scale() {
            return 1;
        }

        public int fixedHeight() {
            return 0;
        }

        public int fixedWidth() {
            return 0;
        }

        public Tensor run(Tensor tile) {
            runs++;
            int h = tile.dim(2);
            int w = tile.dim(3);
            float[] in = tile.floats();
            float[] out = new float[in.length];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[(c * h + y) * w + x] = in[(c * h + y) * w + Math.max(0, x - 1)];
                    }
                }
            }
            return Tensor.of(out, 1, 3, h, w);
        }

        public String name() {
            return "shift";
        }

        public String backendName() {
            return "test";
        }

        public void close() {}
    }

    @Test
    void ttaRunsEightPassesAndAveragesThemTurnedBack() {
        PlanarImage img = UpscalerTest.randomImage(9, 7, false, 3);
        ShiftRight m = new ShiftRight();
        PlanarImage out;
        try (Upscaler up = Upscaler.builder(m).tileSize(0).tta(true).build()) {
            out = up.upscale(img, null);
        }
        assertEquals(8, m.runs);
        // Of the eight passes, shifting right/left/down/up (two each after turning back): an inner pixel
        // is the mean of its four neighbours, each taken twice.
        int x = 4;
        int y = 3;
        float[] p = img.red();
        float expected = (p[y * 9 + x - 1] + p[y * 9 + x + 1] + p[(y - 1) * 9 + x] + p[(y + 1) * 9 + x]) / 4;
        assertEquals(expected, out.red()[y * 9 + x], 1e-6);
        // A model that commutes with the symmetries (blur, then nearest upscale) is unchanged by TTA.
        PlanarImage plain;
        PlanarImage tta;
        try (Upscaler a = Upscaler.builder(new BlurModel(2, 1)).tileSize(0).build();
                Upscaler b = Upscaler.builder(new BlurModel(2, 1)).tileSize(0).tta(true).build()) {
            plain = a.upscale(img, null);
            tta = b.upscale(img, null);
        }
        for (int i = 0; i < plain.red().length; i++) {
            assertEquals(plain.red()[i], tta.red()[i], 1e-6);
        }
    }

    /** A model that adds a colour cast: the colour fix removes it and keeps the rest. */
    @Test
    void colorFixRemovesACastTheModelAdds() {
        PlanarImage img = UpscalerTest.randomImage(40, 30, false, 5);
        BlurModel blur = new BlurModel(2, 0);
        TileModel cast = new StreamedOutputTestModels.Offset(blur, 0.1f);
        PlanarImage fixed;
        PlanarImage raw;
        PlanarImage reference;
        try (Upscaler f = Upscaler.builder(cast).tileSize(16).colorFix(true).build();
                Upscaler r = Upscaler.builder(cast).tileSize(16).build();
                Upscaler n = Upscaler.builder(blur).tileSize(16).colorFix(true).build()) {
            fixed = f.upscale(img, null);
            raw = r.upscale(img, null);
            reference = n.upscale(img, null);
        }
        double castRaw = 0;
        double castFixed = 0;
        for (int i = 0; i < raw.red().length; i++) {
            castRaw += raw.red()[i] - reference.red()[i];
            castFixed += fixed.red()[i] - reference.red()[i];
        }
        castRaw /= raw.red().length;
        castFixed /= raw.red().length;
        assertTrue(castRaw > 0.08, "the model's cast shows without the fix: " + castRaw);
        assertTrue(Math.abs(castFixed) < 0.005, "and is gone with it: " + castFixed);
    }

    @Test
    void colorFixIsSeamlessAcrossTiles() {
        PlanarImage img = UpscalerTest.randomImage(50, 37, false, 6);
        PlanarImage whole;
        PlanarImage tiled;
        try (Upscaler a = Upscaler.builder(new BlurModel(2, 1)).tileSize(0).colorFix(true).build();
                Upscaler b = Upscaler.builder(new BlurModel(2, 1)).tileSize(12).tilePadding(16).colorFix(true).build()) {
            whole = a.upscale(img, null);
            tiled = b.upscale(img, null);
        }
        for (int i = 0; i < whole.red().length; i++) {
            assertEquals(whole.red()[i], tiled.red()[i], 1e-5, "pixel " + i);
        }
    }

    /** Alpha through a nearest model comes out nearest; through bicubic it is smooth. */
    @Test
    void alphaThroughTheModel() {
        PlanarImage img = UpscalerTest.randomImage(11, 8, true, 7);
        PlanarImage out;
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 0)).tileSize(5).tilePadding(2)
                .alphaMode(Upscaler.AlphaMode.MODEL).build()) {
            out = up.upscale(img, null);
        }
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 22; x++) {
                assertEquals(img.alpha()[(y / 2) * 11 + x / 2], out.alpha()[y * 22 + x], 1e-6, "at " + x + "," + y);
            }
        }
    }
}
