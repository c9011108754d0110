package io.srengine.reference;

import static io.srengine.reference.SingleNode.iota;
import static io.srengine.reference.SingleNode.run;
import static io.srengine.reference.SingleNode.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.ops.FusedActivation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conv and ConvTranspose reference kernels on cases small enough to compute by hand. */
class ReferenceConvTest {
    private static final float TOL = 1e-6f;

    @Test
    void conv1dWithPaddingAndBias() {
        Tensor y = run("Conv", Map.of("pads", new long[] {1, 1}), t(new float[] {1, 2, 3, 4}, 1, 1, 4),
                t(new float[] {1, 0, -1}, 1, 1, 3), t(new float[] {0.5f}, 1));
        // y[o] = x[o-1] - x[o+1] + 0.5, zero outside
        assertArrayEquals(new float[] {-1.5f, -1.5f, -1.5f, 3.5f}, y.floats(), TOL);
    }

    @Test
    void groupedConvWithChannelMultiplier() {
        Tensor x = t(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        Tensor y = run("Conv", Map.of("group", 2L), x, t(new float[] {1, 2, 3, 4}, 4, 1, 1, 1));
        assertArrayEquals(new int[] {1, 4, 2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 4, 6, 8, 15, 18, 21, 24, 20, 24, 28, 32}, y.floats(), TOL);
    }

    @Test
    void dilatedStridedConv() {
        Tensor y = run("Conv", Map.of("dilations", new long[] {2, 2}, "strides", new long[] {2, 2}), iota(1, 1, 5, 5),
                t(new float[] {1, 1, 1, 1}, 1, 1, 2, 2));
        // y[i][j] = x[2i][2j] + x[2i][2j+2] + x[2i+2][2j] + x[2i+2][2j+2]
        assertArrayEquals(new float[] {24, 32, 64, 72}, y.floats(), TOL);
    }

    @Test
    void sameLowerPadsTheBeginning() {
        // in 4, kernel 2, stride 1: total padding 1, at the start for SAME_LOWER, at the end for SAME_UPPER
        Tensor x = t(new float[] {1, 2, 3, 4}, 1, 1, 4);
        Tensor w = t(new float[] {1, 10}, 1, 1, 2);
        assertArrayEquals(new float[] {10, 21, 32, 43}, run("Conv", Map.of("auto_pad", "SAME_LOWER"), x, w).floats(), TOL);
        assertArrayEquals(new float[] {21, 32, 43, 4}, run("Conv", Map.of("auto_pad", "SAME_UPPER"), x, w).floats(), TOL);
    }

    @Test
    void fusedActivationsApplyAfterTheBias() {
        Tensor x = t(new float[] {-2, -0.5f, 0.5f, 2}, 1, 1, 4);
        Tensor w = t(new float[] {1}, 1, 1, 1);
        Tensor b = t(new float[] {0}, 1);
        assertArrayEquals(new float[] {0, 0, 0.5f, 2}, fused(x, w, b, Map.of(FusedActivation.ATTR_KIND, "Relu")), TOL);
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0.5f, 2}, fused(x, w, b,
                Map.of(FusedActivation.ATTR_KIND, "LeakyRelu", FusedActivation.ATTR_ALPHA, 0.1f)), TOL);
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1}, fused(x, w, b, Map.of(FusedActivation.ATTR_KIND, "Clip",
                FusedActivation.ATTR_MIN, -1f, FusedActivation.ATTR_MAX, 1f)), TOL);
        assertArrayEquals(new float[] {(float) Math.tanh(-2), (float) Math.tanh(-0.5), (float) Math.tanh(0.5),
                (float) Math.tanh(2)}, fused(x, w, b, Map.of(FusedActivation.ATTR_KIND, "Tanh")), TOL);
        assertEquals(1 / (1 + Math.exp(2)), fused(x, w, b, Map.of(FusedActivation.ATTR_KIND, "Sigmoid"))[0], TOL);
        // bias 1 is added before the activation
        assertArrayEquals(new float[] {0, 0.5f, 1.5f, 3}, fused(x, w, t(new float[] {1}, 1),
                Map.of(FusedActivation.ATTR_KIND, "Relu")), TOL);
    }

    @Test
    void fusedPreluHasOneSlopePerOutputChannel() {
        Tensor x = t(new float[] {-2, 2}, 1, 1, 2);
        Tensor y = run("Conv", Map.of(FusedActivation.ATTR_KIND, "PRelu"), x, t(new float[] {1, 1}, 2, 1, 1), null,
                t(new float[] {0.1f, 0.2f}, 2, 1, 1));
        assertArrayEquals(new float[] {-0.2f, 2, -0.4f, 2}, y.floats(), TOL);
    }

    private static float[] fused(Tensor x, Tensor w, Tensor b, Map<String, ?> attrs) {
        return run("Conv", attrs, x, w, b).floats();
    }

    @Test
    void conv3d() {
        // all-ones 2x2x2 kernel over 0..26 in a 3x3x3 cube: each output sums a 2x2x2 block
        Tensor y = run("Conv", Map.of(), iota(1, 1, 3, 3, 3), t(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 2, 2, 2));
        assertArrayEquals(new int[] {1, 1, 2, 2, 2}, y.shape());
        float first = 0 + 1 + 3 + 4 + 9 + 10 + 12 + 13;
        assertArrayEquals(new float[] {first, first + 8, first + 24, first + 32, first + 72, first + 80, first + 96,
                first + 104}, y.floats(), TOL);
    }

    @Test
    void float16InputGivesFloat16Output() {
        Tensor x = t(new float[] {1, 2, 3, 4}, 1, 1, 4).to(DataType.FLOAT16);
        Tensor y = run("Conv", Map.of(), x, t(new float[] {1, 1}, 1, 1, 2).to(DataType.FLOAT16));
        assertEquals(DataType.FLOAT16, y.dataType());
        assertArrayEquals(new float[] {3, 5, 7}, y.toFloatArray(), TOL);
    }

    private static float[] transpose1d(Map<String, Object> attrs) {
        return run("ConvTranspose", attrs, t(new float[] {1, 2}, 1, 1, 2), t(new float[] {1, 1, 1}, 1, 1, 3)).floats();
    }

    @Test
    void convTransposeScattersEveryInputOverTheKernel() {
        Map<String, Object> a = new HashMap<>(Map.of("strides", new long[] {2}));
        // x0 covers outputs 0..2, x1 covers 2..4
        assertArrayEquals(new float[] {1, 1, 3, 2, 2}, transpose1d(a), TOL);
        a.put("pads", new long[] {1, 1});
        assertArrayEquals(new float[] {1, 3, 2}, transpose1d(a), TOL);
        a.remove("pads");
        a.put("output_padding", new long[] {1});
        assertArrayEquals(new float[] {1, 1, 3, 2, 2, 0}, transpose1d(a), TOL);
    }

    @Test
    void convTransposeOutputShapeSplitsPaddingLikeOnnx() {
        // natural size 5, requested 4: one cell of padding, at the start unless SAME_UPPER
        Map<String, Object> a = new HashMap<>(Map.of("strides", new long[] {2}, "output_shape", new long[] {4}));
        assertArrayEquals(new float[] {1, 3, 2, 2}, transpose1d(a), TOL);
        a.put("auto_pad", "SAME_UPPER");
        assertArrayEquals(new float[] {1, 1, 3, 2}, transpose1d(a), TOL);
        // requested 7: negative padding, the extra cells hold no contribution
        a.put("output_shape", new long[] {7});
        a.remove("auto_pad");
        assertArrayEquals(new float[] {0, 1, 1, 3, 2, 2, 0}, transpose1d(a), TOL);
    }

    @Test
    void convTransposeDilationGroupsAndBias() {
        Tensor y = run("ConvTranspose", Map.of("dilations", new long[] {2}), t(new float[] {1, 2}, 1, 1, 2),
                t(new float[] {1, 1}, 1, 1, 2));
        assertArrayEquals(new float[] {1, 2, 1, 2}, y.floats(), TOL);
        // two groups of one channel, each with its own two-channel kernel and a bias per output channel
        Tensor g = run("ConvTranspose", Map.of("group", 2L), t(new float[] {1, 2}, 1, 2, 1),
                t(new float[] {1, 2, 3, 4}, 2, 2, 1), t(new float[] {0, 0, 0, 10}, 4));
        assertArrayEquals(new float[] {1, 2, 6, 18}, g.floats(), TOL);
    }
}
