package io.srengine.reference;

import static io.srengine.reference.SingleNode.iota;
import static io.srengine.reference.SingleNode.run;
import static io.srengine.reference.SingleNode.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.srengine.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pool, BatchNormalization and ReduceMean reference kernels on cases small enough to compute by hand. */
class ReferencePoolTest {
    private static final float TOL = 1e-6f;
    private static final Tensor ONE_TO_FIVE = t(new float[] {1, 2, 3, 4, 5}, 1, 1, 5);

    @Test
    void averagePoolDivisorWithAndWithoutPadding() {
        Map<String, Object> a = Map.of("kernel_shape", new long[] {3}, "strides", new long[] {2}, "pads",
                new long[] {1, 1});
        // windows [-1..1], [1..3], [3..5]; cell 5 is end padding
        assertArrayEquals(new float[] {1.5f, 3, 4.5f}, run("AveragePool", a, ONE_TO_FIVE).floats(), TOL);
        Map<String, Object> b = new java.util.HashMap<>(a);
        b.put("count_include_pad", 1L);
        assertArrayEquals(new float[] {1, 3, 3}, run("AveragePool", b, ONE_TO_FIVE).floats(), TOL);
    }

    @Test
    void ceilModeOverhangIsNotCountedAsPadding() {
        // kernel 2 stride 2 on 5 cells with ceil_mode: the third window holds cell 4 and one cell past the
        // input that is not padding, so it averages over one cell even with count_include_pad
        Map<String, Object> a = Map.of("kernel_shape", new long[] {2}, "strides", new long[] {2}, "ceil_mode", 1L,
                "count_include_pad", 1L);
        assertArrayEquals(new float[] {1.5f, 3.5f, 5}, run("AveragePool", a, ONE_TO_FIVE).floats(), TOL);
    }

    @Test
    void dilatedCeilMaxPool() {
        Map<String, Object> a = Map.of("kernel_shape", new long[] {2}, "dilations", new long[] {2}, "strides",
                new long[] {3}, "ceil_mode", 1L);
        Tensor y = run("MaxPool", a, t(new float[] {3, 1, 4, 1, 5, 9, 2, 6}, 1, 1, 8));
        // windows {0,2}, {3,5}, {6,8}; cell 8 lies outside
        assertArrayEquals(new float[] {4, 9, 2}, y.floats(), TOL);
    }

    @Test
    void maxPoolIgnoresPaddingEvenForNegativeInputs() {
        Tensor y = run("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "pads", new long[] {1, 1, 0, 0}),
                t(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {-1, -1, -1, -1}, y.floats(), TOL);
    }

    @Test
    void sameUpperAveragePoolExcludesItsPadding() {
        Tensor y = run("AveragePool", Map.of("kernel_shape", new long[] {2}, "auto_pad", "SAME_UPPER"), ONE_TO_FIVE);
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4.5f, 5}, y.floats(), TOL);
    }

    @Test
    void globalPools() {
        Tensor x = iota(1, 2, 2, 3);
        assertArrayEquals(new float[] {2.5f, 8.5f}, run("GlobalAveragePool", Map.of(), x).floats(), TOL);
        assertArrayEquals(new float[] {5, 11}, run("GlobalMaxPool", Map.of(), x).floats(), TOL);
        assertArrayEquals(new int[] {1, 2, 1, 1}, run("GlobalMaxPool", Map.of(), x).shape());
    }

    @Test
    void batchNormalizationPerChannel() {
        Tensor y = run("BatchNormalization", Map.of("epsilon", 0f), t(new float[] {1, 2, 3, 4}, 1, 2, 1, 2),
                t(new float[] {1, 2}, 2), t(new float[] {0, 1}, 2), t(new float[] {1, 3}, 2), t(new float[] {4, 1}, 2));
        assertArrayEquals(new float[] {0, 0.5f, 1, 3}, y.floats(), TOL);
        // rank 2 input [N, C]
        Tensor z = run("BatchNormalization", Map.of("epsilon", 0f), t(new float[] {1, 3, 3, 4}, 2, 2),
                t(new float[] {1, 2}, 2), t(new float[] {0, 1}, 2), t(new float[] {1, 3}, 2), t(new float[] {4, 1}, 2));
        assertArrayEquals(new float[] {0, 1, 1, 3}, z.floats(), TOL);
    }

    @Test
    void batchNormalizationPerActivationWithSpatialZero() {
        Tensor ones = t(new float[] {1, 1, 1, 1}, 4);
        Tensor y = run("BatchNormalization", Map.of("epsilon", 0f, "spatial", 0L), iota(2, 2, 2), ones,
                t(new float[] {0, 0, 0, 0}, 4), t(new float[] {0, 1, 2, 3}, 4), ones);
        assertArrayEquals(new float[] {0, 0, 0, 0, 4, 4, 4, 4}, y.floats(), TOL);
    }

    @Test
    void reduceMean() {
        Tensor x = iota(2, 3);
        assertArrayEquals(new float[] {1, 4}, run("ReduceMean", Map.of("keepdims", 0L), x,
                Tensor.ofLongs(new long[] {1}, 1)).floats(), TOL);
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, run("ReduceMean", Map.of(), x,
                Tensor.ofLongs(new long[] {-2}, 1)).floats(), TOL);
        assertArrayEquals(new float[] {2.5f}, run("ReduceMean", Map.of(), x).floats(), TOL);
        assertArrayEquals(x.floats(), run("ReduceMean", Map.of("noop_with_empty_axes", 1L), x,
                Tensor.ofLongs(new long[0], 0)).floats(), TOL);
    }
}
