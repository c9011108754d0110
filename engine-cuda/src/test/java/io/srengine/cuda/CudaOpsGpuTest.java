package io.srengine.cuda;

import static io.srengine.cuda.testing.GpuAssumptions.assumeGpu;
import static io.srengine.cuda.testing.GpuAssumptions.cuda;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.cuda.plan.ConvTiling;
import io.srengine.cuda.plan.OpGraphs;
import io.srengine.cuda.testing.SrGraphs;
import io.srengine.cuda.testing.Tolerances;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel on the GPU against the reference backend, on seeded random inputs with odd sizes and
 * channel counts, in every precision (bounds in {@link Tolerances}). Skipped without a GPU.
 */
class CudaOpsGpuTest {
    @BeforeEach
    void gpu() {
        assumeGpu();
    }

    static Tensor reference(Model m, Tensor x) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(x);
        }
    }

    static Tensor onGpu(Model m, Tensor x, Precision p, String... props) {
        try (Session s = m.newSession(cuda(p, props))) {
            return s.run(x);
        }
    }

    static Model conv(int cin, int cout, int k, int stride, int dil, int group, String act) {
        GraphBuilder b = new GraphBuilder("conv" + cin + "x" + cout, 17);
        String x = b.input("x", "N", cin, "H", "W");
        String w = b.random("w", cin * 31L + cout, (float) Math.sqrt(3.0 / (cin / group * k * k)), cout, cin / group, k, k);
        String bias = b.random("b", 5, 0.1f, cout);
        String y = b.op("Conv", List.of(x, w, bias), Map.of("kernel_shape", new long[] {k, k}, "strides",
                new long[] {stride, stride}, "dilations", new long[] {dil, dil}, "group", (long) group, "pads",
                new long[] {k / 2 * dil, k / 2, k / 2 * dil, k / 2}));
        if (act != null) {
            y = b.op(act, y);
        }
        b.output(y);
        return Model.fromGraph(b.build(), true);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void convolutionsOfOddShapes(Precision p) {
        int[] channels = {1, 3, 7, 16, 17, 33, 64};
        for (int cin : channels) {
            for (int cout : channels) {
                if ((cin * 7 + cout) % 3 != 0 && cin != cout) {
                    continue; // a spread of pairs, all of them for square layers
                }
                Model m = conv(cin, cout, 3, 1, 1, 1, cin % 2 == 0 ? "Relu" : null);
                Tensor x = SrGraphs.input(cin + cout, 1, cin, 23, 31);
                Tolerances.assertClose(onGpu(m, x, p), reference(m, x), p, m.source());
            }
        }
        int[][] variants = {{16, 16, 3, 2, 1, 1}, {16, 32, 3, 1, 2, 1}, {64, 64, 1, 1, 1, 1}, {32, 32, 3, 1, 1, 4},
            {16, 16, 3, 1, 1, 16}, {24, 40, 5, 2, 1, 1}, {8, 8, 7, 1, 3, 1}};
        for (int[] v : variants) {
            Model m = conv(v[0], v[1], v[2], v[3], v[4], v[5], "LeakyRelu");
            Tensor x = SrGraphs.input(v[0], 2, v[0], 19, 26);
            Tolerances.assertClose(onGpu(m, x, p), reference(m, x), p, m.source() + " variant " + java.util.Arrays.toString(v));
        }
    }

    /**
     * Each tensor-core tiling on shapes with pixel and channel tails and several reduction tiles,
     * and on inputs of 12, 27 and 68 channels stored padded to 16, 32 and 72 with zeros.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP16", "BF16"})
    void everyTensorCoreTiling(Precision p) {
        int[][] shapes = {{64, 64, 3}, {96, 32, 3}, {192, 64, 3}, {64, 48, 3}, {128, 136, 1}, {8, 64, 3}, {64, 4, 3},
            {12, 3, 3}, {27, 4, 3}, {68, 64, 1}, {3, 3, 3}};
        for (int[] s : shapes) {
            Model m = conv(s[0], s[1], s[2], 1, 1, 1, "Relu");
            Tensor x = SrGraphs.input(s[0] + s[1], 1, s[0], 37, 45);
            Tensor ref = reference(m, x);
            for (ConvTiling t : ConvTiling.ALL) {
                Tolerances.assertClose(onGpu(m, x, p, "cuda.conv.tile", t.name()), ref, p,
                        m.source() + " tile " + t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyOtherOp(Precision p) {
        for (int i = 0; i < OpGraphs.COUNT; i++) {
            Model m = Model.fromGraph(OpGraphs.build(i), false);
            Tensor x = SrGraphs.input(100 + i, 1, 16, 21, 18);
            Tolerances.assertClose(onGpu(m, x, p), reference(m, x), p, "op graph " + i);
        }
    }

    @Test
    void largeImagesRunThroughEveryStage() {
        Model m = conv(3, 64, 3, 1, 1, 1, "Relu");
        Tensor x = SrGraphs.input(77, 1, 3, 513, 769);
        Tolerances.assertClose(onGpu(m, x, Precision.FP16), reference(m, x), Precision.FP16, "3->64 on 513x769");
    }
}
