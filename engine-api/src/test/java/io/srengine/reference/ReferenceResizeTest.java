package io.srengine.reference;

import static io.srengine.reference.SingleNode.iota;
import static io.srengine.reference.SingleNode.run;
import static io.srengine.reference.SingleNode.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.srengine.Tensor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resize reference kernel on cases small enough to compute by hand. */
class ReferenceResizeTest {
    private static final float TOL = 1e-6f;
    private static final Tensor ROW = t(new float[] {10, 20, 30, 40}, 1, 1, 1, 4);

    private static float[] resize(Map<String, ?> attrs, Tensor x, float... scales) {
        return run("Resize", attrs, x, null, t(scales, scales.length)).floats();
    }

    private static float[] resizeTo(Map<String, ?> attrs, Tensor x, long... sizes) {
        return run("Resize", attrs, x, null, null, Tensor.ofLongs(sizes, sizes.length)).floats();
    }

    @Test
    void simpleNearestCeilsWhenDownsamplingAndFloorsWhenUpsampling() {
        Map<String, Object> simple = Map.of("nearest_mode", "simple", "coordinate_transformation_mode", "asymmetric");
        // sources 0, 1.33, 2.67
        assertArrayEquals(new float[] {10, 30, 40}, resize(simple, ROW, 1, 1, 1, 0.75f), TOL);
        Map<String, Object> floor = Map.of("nearest_mode", "round_prefer_floor", "coordinate_transformation_mode",
                "asymmetric");
        assertArrayEquals(new float[] {10, 20, 40}, resize(floor, ROW, 1, 1, 1, 0.75f), TOL);
        // sources 0, 0.5, 1, 1.5, ...
        assertArrayEquals(new float[] {10, 10, 20, 20, 30, 30, 40, 40}, resize(simple, ROW, 1, 1, 1, 2), TOL);
    }

    @Test
    void nearestRoundingModes() {
        Map<String, Object> a = new HashMap<>(Map.of("coordinate_transformation_mode", "asymmetric"));
        // upsample by 4: sources 0, .25, .5, .75, 1, ...
        a.put("nearest_mode", "round_prefer_floor");
        assertEquals(10, resize(a, ROW, 1, 1, 1, 4)[2]);
        a.put("nearest_mode", "round_prefer_ceil");
        assertEquals(20, resize(a, ROW, 1, 1, 1, 4)[2]);
        a.put("nearest_mode", "floor");
        assertEquals(10, resize(a, ROW, 1, 1, 1, 4)[3]);
        a.put("nearest_mode", "ceil");
        assertEquals(20, resize(a, ROW, 1, 1, 1, 4)[1]);
    }

    @Test
    void tfHalfPixelForNn() {
        // sources (o + 0.5) / 0.5 = 1, 3
        assertArrayEquals(new float[] {20, 40}, resizeTo(Map.of("coordinate_transformation_mode",
                "tf_half_pixel_for_nn"), ROW, 1, 1, 1, 2), TOL);
    }

    @Test
    void pytorchHalfPixelMapsALengthOneOutputToTheFirstCell() {
        Map<String, Object> a = Map.of("mode", "cubic", "coordinate_transformation_mode", "pytorch_half_pixel");
        assertArrayEquals(new float[] {10}, resizeTo(a, ROW, 1, 1, 1, 1), TOL);
        // half_pixel maps it to the centre, 1.5
        assertArrayEquals(new float[] {25}, resizeTo(Map.of("mode", "linear"), ROW, 1, 1, 1, 1), TOL);
    }

    @Test
    void cubicWeightsAtAQuarterCell() {
        // output 2 samples source 0.75: taps -1, 0, 1, 2 at distances 1.75, .75, .25, 1.25; only tap 1 is non-zero
        float[] y = resize(Map.of("mode", "cubic"), t(new float[] {0, 1, 0, 0}, 1, 1, 1, 4), 1, 1, 1, 2);
        assertEquals(0.87890625f, y[2], TOL);
    }

    @Test
    void trilinearAlignCornersReproducesALinearFunction() {
        // f(a, b, c) = 4a + 2b + c on a 2x2x2 grid, resized to 4x4x4 with corners aligned
        float[] y = resize(Map.of("mode", "linear", "coordinate_transformation_mode", "align_corners"), iota(2, 2, 2),
                2, 2, 2);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals((4 * i + 2 * j + k) / 3f, y[(i * 4 + j) * 4 + k], 1e-5f, i + "," + j + "," + k);
                }
            }
        }
    }

    @Test
    void tfCropAndResizeExtrapolatesOutsideTheInput() {
        Map<String, Object> a = Map.of("mode", "linear", "coordinate_transformation_mode", "tf_crop_and_resize",
                "extrapolation_value", 7f);
        // roi [0, 1.5] over 3 cells: sources 0, 1, 2, 3
        Tensor y = run("Resize", a, t(new float[] {1, 2, 3}, 3), t(new float[] {0, 1.5f}, 2), null,
                Tensor.ofLongs(new long[] {4}, 1));
        assertArrayEquals(new float[] {1, 2, 3, 7}, y.floats(), TOL);
    }

    @Test
    void antialiasWidensTheLinearKernelWhenDownsampling() {
        // scale 0.5, half_pixel: output 0 samples 0.5; the triangle stretched to +-2 cells covers cells -1..2
        // with weights .25, .75, .75, .25, normalised; cell -1 reads cell 0
        float[] y = resize(Map.of("mode", "linear", "antialias", 1L), ROW, 1, 1, 1, 0.5f);
        assertEquals((0.25f * 10 + 0.75f * 10 + 0.75f * 20 + 0.25f * 30) / 2f, y[0], 1e-5f);
        float[] excluded = resize(Map.of("mode", "linear", "antialias", 1L, "exclude_outside", 1L), ROW, 1, 1, 1, 0.5f);
        assertEquals((0.75f * 10 + 0.75f * 20 + 0.25f * 30) / 1.75f, excluded[0], 1e-5f);
    }

    @Test
    void axesResizeOnlyTheNamedAxes() {
        Tensor y = run("Resize", Map.of("axes", new long[] {-1}), ROW, null, t(new float[] {0.5f}, 1));
        assertArrayEquals(new int[] {1, 1, 1, 2}, y.shape());
        assertArrayEquals(new float[] {10, 30}, y.floats(), TOL);
    }
}
