package io.srengine.bench;

import io.srengine.Model;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.ConvTransposeSpec;
import io.srengine.rewrite.ShapeSpecializer;
import java.util.Map;

/**
 * Floating-point operations of a model for one input size, counting what dominates SR networks: two
 * per multiply-accumulate of every Conv, ConvTranspose, MatMul and Gemm (the usual convention, also
 * ONNX Runtime's profilers'; the attention Einsums of OmniSR are MatMuls once loaded); element-wise
 * work, Softmax and normalisations, a few percent at most, are left out.
 */
final class Flops {
    private Flops() {}

    static double of(Graph prepared, int[] inputShape) {
        Graph g = ShapeSpecializer.specialize(prepared, Map.of(prepared.inputs().get(0).name(), inputShape));
        double f = 0;
        for (Node n : g.nodes()) {
            int[] x = g.typeOf(n.input(0)).shape().toIntArray();
            if (n.opType().equals("Conv")) {
                int[] w = g.initializers().containsKey(n.input(1)) ? g.initializers().get(n.input(1)).shape()
                        : g.typeOf(n.input(1)).shape().toIntArray();
                ConvSpec s = ConvSpec.of(n, x, w);
                double taps = 1;
                double out = 1;
                for (int i = 0; i < s.spatialRank(); i++) {
                    taps *= s.kernel(i);
                    out *= s.outputSize(i);
                }
                f += 2.0 * s.batch() * s.outChannels() * out * s.inChannelsPerGroup() * taps;
            } else if (n.opType().equals("MatMul") || n.opType().equals("Gemm")) {
                // Every output element is a dot product over the inner dimension.
                int[] out = g.typeOf(n.output(0)).shape().toIntArray();
                boolean transA = n.opType().equals("Gemm") && n.attrInt("transA", 0) == 1;
                int k = x.length == 1 ? x[0] : transA ? x[0] : x[x.length - 1];
                double count = 1;
                for (int d : out) {
                    count *= d;
                }
                f += 2.0 * count * k;
            } else if (n.opType().equals("ConvTranspose")) {
                int[] w = g.initializers().get(n.input(1)).shape();
                ConvTransposeSpec s = ConvTransposeSpec.of(n, x, w);
                double taps = 1;
                double in = 1;
                for (int i = 0; i < s.spatialRank(); i++) {
                    taps *= s.kernel(i);
                    in *= s.inputSize(i);
                }
                f += 2.0 * s.batch() * s.inChannels() * in * s.outChannelsPerGroup() * taps;
            }
        }
        return f;
    }

    static double ofModel(String model, int[] shape) {
        return of(Model.load(BenchModels.bytes(model)).graph(), shape);
    }

    static double ofKernel(String kernel) {
        KernelGraphs.KernelCase k = KernelGraphs.of(kernel);
        return of(Model.fromGraph(k.graph(), false).graph(), k.inputShape());
    }
}
