package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * Small graphs over a {@code [1, 16, 6, 7]} input, one per op or op variant the CUDA backend runs
 * besides plain convolutions, shared by the emulation and GPU tests.
 */
public final class OpGraphs {
    public static final int COUNT = 24;

    private OpGraphs() {}

    private static String conv(GraphBuilder b, String x, int cin, int cout, long seed) {
        return b.op("Conv", List.of(x, b.random("w", seed, 0.3f, cout, cin, 3, 3), b.random("b", seed + 1, 0.1f, cout)),
                Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}));
    }

    private static String resize(GraphBuilder b, String x, String mode, String ctm, float s) {
        String scales = b.constant("scales", Tensor.of(new float[] {1, 1, s, s}, 4));
        return b.op("Resize", List.of(x, "", scales), Map.of("mode", mode, "coordinate_transformation_mode", ctm));
    }

    private static String pad(GraphBuilder b, String x, String mode, long... pads) {
        return b.op("Pad", List.of(x, b.ints("pads", pads), b.constant("v", Tensor.of(new float[] {0.5f}))),
                Map.of("mode", mode));
    }

    /** Graph number {@code i}, named after what it tests. */
    public static Graph build(int i) {
        GraphBuilder b = new GraphBuilder("op" + i, 17);
        String x = b.input("x", "N", 16, "H", "W");
        String y = switch (i) {
            case 0 -> resize(b, x, "linear", "half_pixel", 2f);
            case 1 -> resize(b, x, "cubic", "half_pixel", 2f);
            case 2 -> resize(b, x, "linear", "align_corners", 1.5f);
            case 3 -> resize(b, x, "nearest", "half_pixel", 3f);
            case 4 -> pad(b, x, "reflect", 0, 0, 2, 1, 0, 0, 1, 2);
            case 5 -> pad(b, x, "edge", 0, 0, -1, 3, 0, 0, 2, -2);
            case 6 -> pad(b, x, "constant", 0, 0, 1, 1, 0, 0, 1, 1);
            case 7 -> b.op("MaxPool", List.of(x), Map.of("kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                    "pads", new long[] {1, 1, 1, 1}, "ceil_mode", 1L));
            case 8 -> b.op("AveragePool", List.of(x), Map.of("kernel_shape", new long[] {2, 3}, "strides", new long[] {2, 2},
                    "pads", new long[] {0, 1, 1, 1}, "count_include_pad", 1L));
            case 9 -> b.op("Mul", x, b.op("Sigmoid", b.op("GlobalAveragePool", x)));
            case 10 -> b.op("ReduceMean", List.of(x, b.ints("axes", 1)), Map.of("keepdims", 1L));
            case 11 -> b.op("Slice", x, b.ints("s", 2, 1), b.ints("e", 10, 5), b.ints("a", 1, 2), b.ints("st", 3, 1));
            case 12 -> b.op("Concat", List.of(x, b.op("Relu", x)), Map.of("axis", 2L));
            case 13 -> b.op("DepthToSpace", List.of(x), Map.of("blocksize", 2L, "mode", "DCR"));
            case 14 -> b.op("ConvTranspose", List.of(x, b.random("w", 3, 0.3f, 16, 4, 3, 3), b.random("b", 4, 0.1f, 4)),
                    Map.of("kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1},
                            "output_padding", new long[] {1, 1}));
            case 15 -> b.op("Sub", b.constant("one", Tensor.of(new float[] {1f})), b.op("Tanh", x));
            case 16 -> b.op("BatchNormalization", x, b.random("g", 5, 1f, 16), b.random("be", 6, 0.5f, 16),
                    b.random("mu", 7, 0.5f, 16), b.constant("var", Tensor.of(new float[] {0.5f, 1, 2, 0.25f, 0.5f, 1, 2, 0.25f,
                        0.5f, 1, 2, 0.25f, 0.5f, 1, 2, 0.25f}, 16)));
            case 17 -> b.op("Clip", x, b.constant("lo", Tensor.of(new float[] {-0.3f})), b.constant("hi",
                    Tensor.of(new float[] {0.4f})));
            case 18 -> b.op("Div", b.op("Max", x, b.op("Neg", x)), b.random("d", 8, 1f, 16, 1, 1));
            case 19 -> {
                // A conv whose output feeds two readers: no epilogue fusion may apply.
                String c = conv(b, x, 16, 16, 9);
                yield b.op("Add", b.op("Mul", c, b.constant("k", Tensor.of(new float[] {0.5f}))), b.op("Relu", c));
            }
            case 20 -> {
                // Residual scale and add fused into the conv; the conv reads a Concat copied from a graph input.
                String c = conv(b, b.op("Concat", List.of(x, x), Map.of("axis", 1L)), 32, 16, 10);
                yield b.op("Add", x, b.op("Mul", c, b.constant("k", Tensor.of(new float[] {0.2f}))));
            }
            case 21 -> b.op("Mean", x, b.op("Abs", x), b.op("Exp", b.op("Neg", b.op("Abs", x))));
            case 22 -> b.op("GlobalMaxPool", b.op("PRelu", x, b.random("slope", 11, 0.5f, 16, 1, 1)));
            case 23 -> {
                // Conv then a separate pixel shuffle in DCR order with a LeakyRelu between: not fusable.
                String c = b.op("LeakyRelu", List.of(conv(b, x, 16, 16, 12)), Map.of("alpha", 0.1f));
                yield b.op("DepthToSpace", List.of(b.op("Relu", c)), Map.of("blocksize", 2L, "mode", "CRD"));
            }
            default -> throw new IllegalArgumentException("no op graph " + i);
        };
        b.output(y);
        return b.build();
    }
}
