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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upscaler on real graphs run by the reference backend. */
class UpscalerModelTest {
    private static final SessionOptions REFERENCE = SessionOptions.builder().backend("reference").build();

    @BeforeEach
    void needsOps() {
        assumeTrue(TinyModels.supported("Conv", "Relu", "DepthToSpace", "Resize"),
                "the reference backend lacks Conv, Relu, DepthToSpace or Resize");
    }

    private static PlanarImage upscale(Model m, PlanarImage img, int tile, int pad) {
        try (Upscaler up = Upscaler.builder(m).sessionOptions(REFERENCE).tileSize(tile).tilePadding(pad).build()) {
            return up.upscale(img, null);
        }
    }

    @Test
    void tiledMatchesUntiledWithinOneLevel() {
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
        SrException e = assertThrows(SrException.class,
                () -> Upscaler.builder(TinyModels.withInputChannels(1)).sessionOptions(REFERENCE).build());
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("1 channels") && e.getMessage().contains("RGB"), e.getMessage());
    }
}
