package io.srengine.bench;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The single-kernel benchmark graphs, built in code so that srengine and ONNX Runtime (through the
 * ONNX exporter) run exactly the same thing:
 *
 * <ul>
 *   <li>{@code conv3x3}: 64→64, 3×3, padding 1, bias, on 128×128 — the workhorse of EDSR/SRVGG/RRDB;
 *   <li>{@code conv1x1}: 64→64 on 128×128;
 *   <li>{@code conv_transpose}: FSRCNN's last layer, 56→3, 9×9, stride 2, on 128×128;
 *   <li>{@code pixel_shuffle}: DepthToSpace (CRD, PyTorch's PixelShuffle) 256→64 channels, 128² → 256²;
 *   <li>{@code dense_block}: one residual dense block of RRDBNet (64 features, growth 32, five 3×3
 *       convolutions over growing concatenations, LeakyReLU, residual scale 0.2) on 64×64.
 * </ul>
 */
final class KernelGraphs {
    private KernelGraphs() {}

    record KernelCase(Graph graph, int[] inputShape) {}

    static KernelCase of(String kernel) {
        B b = new B(kernel);
        return switch (kernel) {
            case "conv3x3" -> {
                b.output(b.conv(b.input(1, 64, 128, 128), 64, 64, 3, 1));
                yield new KernelCase(b.g, new int[] {1, 64, 128, 128});
            }
            case "conv1x1" -> {
                b.output(b.conv(b.input(1, 64, 128, 128), 64, 64, 1, 0));
                yield new KernelCase(b.g, new int[] {1, 64, 128, 128});
            }
            case "conv_transpose" -> {
                String x = b.input(1, 56, 128, 128);
                String y = b.node("ConvTranspose", List.of(x, b.random(56, 3, 9, 9), b.random(3)),
                        Map.of("strides", new long[] {2, 2}, "pads", new long[] {4, 4, 4, 4},
                                "output_padding", new long[] {1, 1}), new int[] {1, 3, 256, 256});
                b.output(y);
                yield new KernelCase(b.g, new int[] {1, 56, 128, 128});
            }
            case "pixel_shuffle" -> {
                String x = b.input(1, 256, 128, 128);
                b.output(b.node("DepthToSpace", List.of(x), Map.of("blocksize", 2L, "mode", "CRD"),
                        new int[] {1, 64, 256, 256}));
                yield new KernelCase(b.g, new int[] {1, 256, 128, 128});
            }
            case "dense_block" -> {
                int h = 64;
                String x = b.input(1, 64, h, h);
                String cat = x;
                int c = 64;
                String last = null;
                for (int i = 0; i < 5; i++) {
                    int out = i == 4 ? 64 : 32;
                    String y = b.conv(cat, c, out, 3, 1);
                    if (i < 4) {
                        y = b.node("LeakyRelu", List.of(y), Map.of("alpha", 0.2f), new int[] {1, out, h, h});
                        cat = b.node("Concat", List.of(cat, y), Map.of("axis", 1L), new int[] {1, c + 32, h, h});
                        c += 32;
                    } else {
                        last = y;
                    }
                }
                String scaled = b.node("Mul", List.of(last, b.constant(Tensor.scalar(0.2f))), Map.of(),
                        new int[] {1, 64, h, h});
                b.output(b.node("Add", List.of(scaled, x), Map.of(), new int[] {1, 64, h, h}));
                yield new KernelCase(b.g, new int[] {1, 64, h, h});
            }
            default -> throw new IllegalArgumentException("unknown kernel '" + kernel
                    + "'; use conv3x3, conv1x1, conv_transpose, pixel_shuffle or dense_block");
        };
    }

    /** Builds a graph node by node with fixed-seed random weights. */
    static final class B {
        final Graph g;
        int count;
        long seed = 11;

        B(String name) {
            g = new Graph(name, 13);
        }

        String input(int... shape) {
            g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, shape)));
            return "x";
        }

        String constant(Tensor t) {
            String n = "c" + count++;
            g.initializers().put(n, t);
            return n;
        }

        String random(int... shape) {
            float[] v = new float[Tensor.checkedSize(shape)];
            SplittableRandom r = new SplittableRandom(seed++);
            float scale = shape.length == 4 ? (float) Math.sqrt(1.0 / (shape[1] * shape[2] * shape[3])) : 0.1f;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
            }
            return constant(Tensor.of(v, shape));
        }

        String conv(String x, int in, int out, int k, int pad) {
            int[] xs = g.typeOf(x).shape().toIntArray();
            return node("Conv", List.of(x, random(out, in, k, k), random(out)),
                    Map.of("pads", new long[] {pad, pad, pad, pad}), new int[] {xs[0], out, xs[2], xs[3]});
        }

        String node(String op, List<String> inputs, Map<String, ?> attrs, int[] outShape) {
            String out = op.toLowerCase() + count++;
            g.nodes().add(new Node(op + "_" + count, op, new ArrayList<>(inputs), List.of(out), Attributes.of(attrs)));
            g.valueTypes().put(out, TensorType.of(DataType.FLOAT32, outShape));
            return out;
        }

        void output(String v) {
            g.outputs().add(new ValueInfo(v, g.typeOf(v)));
        }
    }
}
