package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.FusedActivation;
import java.util.List;
import java.util.Map;

/**
 * Marks activations that directly follow a Conv or ConvTranspose as fused into it (see {@link
 * FusedActivation} for the attributes), so that backends apply them in the convolution's epilogue
 * instead of making another pass over memory. Applies when the convolution's output is read only by
 * the activation and the activation's parameters are constant: Relu, LeakyRelu, Sigmoid, Tanh, Clip
 * with constant bounds, and PRelu whose slope is a single value or one value per output channel.
 */
public final class ActivationFusion {
    private ActivationFusion() {}

    /** Fuses every eligible pair; returns how many. */
    public static int apply(Graph graph) {
        int fused = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, List<Node>> consumers = graph.consumers();
            for (Node conv : List.copyOf(graph.nodes())) {
                if (!(conv.opType().equals("Conv") || conv.opType().equals("ConvTranspose"))
                        || conv.attributes().has(FusedActivation.ATTR_KIND)) {
                    continue;
                }
                Node act = RewriteSupport.soleConsumer(graph, consumers, conv.output(0));
                if (act == null || !act.input(0).equals(conv.output(0))) {
                    continue;
                }
                Node fusedNode = fuse(graph, conv, act);
                if (fusedNode != null) {
                    RewriteSupport.replace(graph, conv, fusedNode.withOutputs(List.of(act.output(0))));
                    graph.nodes().remove(act);
                    graph.removeDeadCode();
                    fused++;
                    changed = true;
                    break;
                }
            }
        }
        return fused;
    }

    private static Node fuse(Graph graph, Node conv, Node act) {
        Attributes a = conv.attributes();
        switch (act.opType()) {
            case "Relu", "Sigmoid", "Tanh" -> {
                return conv.withAttributes(a.with(FusedActivation.ATTR_KIND, act.opType()));
            }
            case "LeakyRelu" -> {
                return conv.withAttributes(a.with(FusedActivation.ATTR_KIND, "LeakyRelu")
                        .with(FusedActivation.ATTR_ALPHA, act.attrFloat("alpha", 0.01f)));
            }
            case "Clip" -> {
                Tensor min = act.hasInput(1) ? graph.initializers().get(act.input(1)) : null;
                Tensor max = act.hasInput(2) ? graph.initializers().get(act.input(2)) : null;
                if ((act.hasInput(1) && min == null) || (act.hasInput(2) && max == null)
                        || (min != null && min.size() != 1) || (max != null && max.size() != 1)) {
                    return null;
                }
                Attributes b = a.with(FusedActivation.ATTR_KIND, "Clip");
                if (min != null) {
                    b = b.with(FusedActivation.ATTR_MIN, (float) min.getDouble(0));
                }
                if (max != null) {
                    b = b.with(FusedActivation.ATTR_MAX, (float) max.getDouble(0));
                }
                return conv.withAttributes(b);
            }
            case "PRelu" -> {
                Tensor slope = graph.initializers().get(act.input(1));
                TensorType outType = graph.typeOf(conv.output(0));
                if (slope == null || outType == null || outType.rank() < 2) {
                    return null;
                }
                if (!perChannel(slope, outType)) {
                    return null;
                }
                String name = graph.freshName(conv.name() + "_prelu_slope");
                graph.initializers().put(name, Tensor.of(slope.toFloatArray(), slope.size()));
                return conv.withAttributes(a.with(FusedActivation.ATTR_KIND, "PRelu"))
                        .withInput(FusedActivation.SLOPE_INPUT, name);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * True when the slope, broadcast against the convolution output [N, M, spatial...], is one value
     * or varies along the channel axis only.
     */
    private static boolean perChannel(Tensor slope, TensorType out) {
        if (slope.size() == 1) {
            return true;
        }
        int[] s = slope.shape();
        int rank = out.rank();
        if (s.length > rank || !out.shape().dim(1).isKnown() || slope.size() != out.shape().dim(1).value()) {
            return false;
        }
        // Right-align the slope against the output: the non-1 axis must be axis 1.
        int offset = rank - s.length;
        for (int i = 0; i < s.length; i++) {
            if (s[i] != 1 && i + offset != 1) {
                return false;
            }
        }
        return true;
    }
}
