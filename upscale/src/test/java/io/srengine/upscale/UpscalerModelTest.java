package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.image.PlanarImage;
import org.junit.jupiter.api.Test;

/** The upscaler on real graphs run by the reference backend. */
class UpscalerModelTest {
    private static final SessionOptions REFERENCE = SessionOptions.builder().backend("reference").build();

    private static void needsConv() {
        assumeTrue(TinyModels.supported("Conv", "Relu", "DepthToSpace", "Resize"),
                "the reference backend lacks Conv, Relu, DepthToSpace or Resize");
    }

    @Test
    void tiledMatchesUntiledOnALayoutOpGraph() {
        assumeTrue(TinyModels.supported("Pad", "Slice", "Sum", "Mul", "Concat", "DepthToSpace"), "layout ops missing");
        Model m = TinyModels.blurByShuffle(2);
        PlanarImage img = UpscalerTest.randomImage(29, 22, false, 14);
        PlanarImage whole = upscale(m, img, 0, 0);
        BlurModel java = new BlurModel(2, 1);
        try (Upscaler up = Upscaler.builder(java).tileSize(0).build()) {
            PlanarImage expected = up.upscale(img, null);
            assertEquals(0f, maxDiff(expected, whole), 1e-6f, "the graph is the 3x3 blur it claims to be");
        }
        for (int tile : new int[] {5, 9}) {
            assertEquals(0f, maxDiff(whole, upscale(m, img, tile, 1)), 1e-6f, "tile " + tile);
        }
        assertTrue(maxDiff(whole, upscale(m, img, 5, 0)) > 1 / 255f, "without padding the cuts show");
    }

    private static float maxDiff(PlanarImage a, PlanarImage b) {
        float max = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.red().length; i++) {
                max = Math.max(max, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
            }
        }
        return max;
    }

    private static PlanarImage upscale(Model m, PlanarImage img, int tile, int pad) {
        try (Upscaler up = Upscaler.builder(m).sessionOptions(REFERENCE).tileSize(tile).tilePadding(pad).build()) {
            return up.upscale(img, null);
        }
    }

    @Test
    void tiledMatchesUntiledWithinOneLevel() {
        needsConv();
        Model m = TinyModels.convShuffle(3, 3, 11, true);
        PlanarImage img = UpscalerTest.randomImage(41, 30, false, 12);
        PlanarImage whole = upscale(m, img, 0, 0);
        assertEquals(123, whole.width());
        for (int tile : new int[] {7, 16}) {
            PlanarImage tiled = upscale(m, img, tile, 4);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < whole.red().length; i++) {
                    assertEquals(whole.plane(c)[i], tiled.plane(c)[i], 1 / 255f, "tile " + tile + " channel " + c + " at " + i);
                }
            }
        }
    }

    @Test
    void scaleComesFromMetadataOrShapes() {
        needsConv();
        try (Upscaler a = Upscaler.builder(TinyModels.convShuffle(2, 1, 1, true)).sessionOptions(REFERENCE).build();
                Upscaler b = Upscaler.builder(TinyModels.convShuffle(4, 1, 1, false)).sessionOptions(REFERENCE).build();
                Upscaler c = Upscaler.builder(TinyModels.nearest(3)).sessionOptions(REFERENCE).build()) {
            assertEquals(2, a.modelScale());
            assertEquals(4, b.modelScale());
            assertEquals(3, c.modelScale());
            PlanarImage img = UpscalerTest.randomImage(9, 7, false, 13);
            PlanarImage out = c.upscale(img, null);
            assertEquals(27, out.width());
            assertEquals(img.green()[3 * 9 + 4], out.green()[(3 * 3 + 2) * 27 + 4 * 3 + 1], 0f, "nearest keeps samples");
        }
    }

    @Test
    void modelsOnOtherThanRgbAreRejected() {
        needsConv();
        SrException e = assertThrows(SrException.class,
                () -> Upscaler.builder(TinyModels.withInputChannels(1)).sessionOptions(REFERENCE).build());
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("1 channels") && e.getMessage().contains("RGB"), e.getMessage());
    }
}
