package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.List;
import java.util.Map;

/**
 * Folds an inference-mode BatchNormalization into the Conv or ConvTranspose that feeds it:
 * {@code bn(conv(x, W) + b) = conv(x, W * s) + (b - mean) * s + beta} with {@code s = gamma /
 * sqrt(var + eps)} per output channel. Applies when the convolution's output is read only by the
 * batch norm and all parameters are constant. Arithmetic in double, rounded once to float.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** Folds every eligible pair; returns how many were folded. */
    public static int apply(Graph graph) {
        int folded = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, List<Node>> consumers = graph.consumers();
            for (Node conv : List.copyOf(graph.nodes())) {
                if (!conv.opType().equals("Conv") && !conv.opType().equals("ConvTranspose")) {
                    continue;
                }
                Node bn = RewriteSupport.soleConsumer(graph, consumers, conv.output(0));
                if (bn == null || !bn.opType().equals("BatchNormalization") || !bn.input(0).equals(conv.output(0))
                        || conv.attributes().has(io.srengine.ops.FusedActivation.ATTR_KIND)) {
                    continue;
                }
                if (fold(graph, conv, bn)) {
                    folded++;
                    changed = true;
                    break;
                }
            }
        }
        return folded;
    }

    private static boolean fold(Graph graph, Node conv, Node bn) {
        Map<String, Tensor> init = graph.initializers();
        Tensor w = init.get(conv.input(1));
        Tensor b = conv.hasInput(2) ? init.get(conv.input(2)) : null;
        Tensor gamma = init.get(bn.input(1));
        Tensor beta = init.get(bn.input(2));
        Tensor mean = init.get(bn.input(3));
        Tensor var = init.get(bn.input(4));
        if (w == null || (conv.hasInput(2) && b == null) || gamma == null || beta == null || mean == null || var == null) {
            return false;
        }
        for (int i = 1; i < bn.outputs().size(); i++) {
            if (!bn.output(i).isEmpty()) {
                return false;
            }
        }
        boolean transposed = conv.opType().equals("ConvTranspose");
        int group = (int) conv.attrInt("group", 1);
        int[] ws = w.shape();
        int outChannels = transposed ? ws[1] * group : ws[0];
        if (gamma.size() != outChannels || beta.size() != outChannels || mean.size() != outChannels
                || var.size() != outChannels || (b != null && b.size() != outChannels)) {
            return false;
        }
        double eps = bn.attrFloat("epsilon", 1e-5f);
        double[] scale = new double[outChannels];
        float[] bias = new float[outChannels];
        for (int m = 0; m < outChannels; m++) {
            scale[m] = gamma.getDouble(m) / Math.sqrt(var.getDouble(m) + eps);
            double b0 = b == null ? 0 : b.getDouble(m);
            bias[m] = (float) ((b0 - mean.getDouble(m)) * scale[m] + beta.getDouble(m));
        }
        float[] src = w.toFloatArray();
        float[] dst = new float[src.length];
        int spatial = 1;
        for (int i = 2; i < ws.length; i++) {
            spatial *= ws[i];
        }
        if (!transposed) {
            int perOut = src.length / ws[0];
            for (int i = 0; i < src.length; i++) {
                dst[i] = (float) (src[i] * scale[i / perOut]);
            }
        } else {
            // ConvTranspose weights are [C_in, M/group, k...]; output channel = group index * M/group + j.
            int inPerGroup = ws[0] / group;
            int outPerGroup = ws[1];
            for (int c = 0; c < ws[0]; c++) {
                for (int j = 0; j < outPerGroup; j++) {
                    int m = (c / inPerGroup) * outPerGroup + j;
                    int base = (c * outPerGroup + j) * spatial;
                    for (int k = 0; k < spatial; k++) {
                        dst[base + k] = (float) (src[base + k] * scale[m]);
                    }
                }
            }
        }
        String wName = graph.freshName(conv.name() + "_bn_folded_W");
        init.put(wName, Tensor.of(dst, ws));
        String bName = graph.freshName(conv.name() + "_bn_folded_B");
        init.put(bName, Tensor.of(bias, outChannels));
        Node fused = conv.withInput(1, wName).withInput(2, bName).withOutputs(List.of(bn.output(0)));
        RewriteSupport.replace(graph, conv, fused);
        graph.nodes().remove(bn);
        graph.removeDeadCode();
        return true;
    }
}
