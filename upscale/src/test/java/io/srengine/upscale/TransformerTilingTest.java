package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import io.srengine.testing.TransformerFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tiling of window-attention transformers: the SwinIR fixture exported from PyTorch
 * (tools/export_transformer_fixtures.py: window 4, two residual groups of two blocks, random weights)
 * upscaled in tiles equals the whole-image result within a level with the tiling the model asks for,
 * and not without the window alignment.
 */
class TransformerTilingTest {
    private static final SessionOptions REFERENCE = SessionOptions.builder().backend("reference").build();

    private static Path fixture(String name) {
        assumeTrue(TransformerFixtures.root() != null, TransformerFixtures.unavailableReason());
        return TransformerFixtures.root().resolve(name).resolve("model.onnx");
    }

    @Test
    void windowMultipleIsReadFromTheExport() {
        for (String c : List.of("swinir_classical_x2_opset17", "swinir_light_x3_opset13", "hat_x2_opset17")) {
            assertEquals(4, ModelTiling.windowMultiple(Model.load(fixture(c)).graph()), c);
        }
        assertEquals(8, ModelTiling.windowMultiple(Model.load(fixture("dat_light_x4_opset17")).graph()),
                "DAT pads to its longer split side");
        assertEquals(1, ModelTiling.windowMultiple(TinyModels.convShuffle(2, 2, 3, true).graph()),
                "a convolutional model keeps the default tiling");
        Model swin = Model.load(fixture("swinir_classical_x2_opset17"));
        try (SessionTileModel t = new SessionTileModel(swin, REFERENCE)) {
            assertEquals(4, t.alignment());
            assertEquals(8, t.recommendedPadding(), "two windows");
            assertEquals(2, t.scale(), "the scale of an export whose output size has no symbolic form");
        }
        assertEquals(Upscaler.DEFAULT_PADDING, Upscaler.defaultTilePadding(swin), "raised to the default");
        assertEquals(16, Upscaler.defaultTilePadding(Model.load(fixture("dat_light_x4_opset17"))));
    }

    @Test
    void alignedWindowsStartOnTheGridAndCoverTheirCores() {
        for (int len : new int[] {9, 37, 64, 101}) {
            for (int tile : new int[] {5, 16, 23}) {
                for (int pad : new int[] {0, 3, 8}) {
                    for (int align : new int[] {1, 4, 8}) {
                        List<TilePlan.Span> spans = TilePlan.plan(len, len * 2, 2, tile, pad, 0, align,
                                Resampler.Filter.LANCZOS3, Resampler.Filter.BICUBIC, false, "width");
                        int covered = 0;
                        for (TilePlan.Span s : spans) {
                            String at = "len " + len + " tile " + tile + " pad " + pad + " align " + align + ": " + s;
                            assertEquals(covered, s.out0(), at);
                            covered = s.out1();
                            assertEquals(0, s.win0() % align, at);
                            int c0 = s.out0() / 2;
                            int c1 = s.out1() / 2;
                            assertTrue(s.win0() <= Math.max(0, c0 - pad), at);
                            assertTrue(s.win0() + s.winLen() >= Math.min(len, c1 + pad) && s.win0() + s.winLen() <= len, at);
                        }
                        assertEquals(2 * len, covered);
                    }
                }
            }
        }
    }

    @Test
    void tiledSwinIrEqualsUntiledWithinOneLevel() {
        Model m = Model.load(fixture("swinir_classical_x2_opset17"));
        PlanarImage img = UpscalerTest.randomImage(45, 38, false, 5);
        PlanarImage whole;
        try (Upscaler up = Upscaler.builder(m).sessionOptions(REFERENCE).tileSize(0).build()) {
            whole = up.upscale(img, null);
        }
        try (Upscaler up = Upscaler.builder(m).sessionOptions(REFERENCE).tileSize(13).build()) {
            assertEquals(Upscaler.DEFAULT_PADDING, up.tilePadding(), "two windows of 4, raised to the default 16");
            float d = maxDiff(whole, up.upscale(img, null));
            System.out.printf("SwinIR fixture, tiles of 13 aligned to 4, padding 16: %.4f levels from untiled%n", d * 255);
            assertTrue(d <= 1 / 255f, "tiled differs from untiled by " + d * 255 + " levels");
        }
        // The same padding without the alignment: tiles see other windows than the whole image.
        try (SessionTileModel inner = new SessionTileModel(m, REFERENCE);
                Upscaler up = Upscaler.builder(unaligned(inner)).tileSize(13).tilePadding(Upscaler.DEFAULT_PADDING)
                        .build()) {
            float d = maxDiff(whole, up.upscale(img, null));
            System.out.printf("SwinIR fixture, unaligned tiles: %.2f levels from untiled%n", d * 255);
            assertTrue(d > 1 / 255f, "unaligned tiles differ by only " + d * 255 + " levels");
        }
    }

    private static TileModel unaligned(TileModel m) {
        return new TileModel() {
            public int scale() {
                return m.scale();
            }

            public int fixedHeight() {
                return 0;
            }

            public int fixedWidth() {
                return 0;
            }

            public Tensor run(Tensor tile) {
                return m.run(tile);
            }

            public String name() {
                return m.name();
            }

            public String backendName() {
                return m.backendName();
            }

            public void close() {}
        };
    }

    private static float maxDiff(PlanarImage a, PlanarImage b) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        float max = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.red().length; i++) {
                max = Math.max(max, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
            }
        }
        return max;
    }
}
