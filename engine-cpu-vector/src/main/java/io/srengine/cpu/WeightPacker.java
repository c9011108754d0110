package io.srengine.cpu;

import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.ConvTransposeSpec;
import java.util.Map;

/**
 * Packs the weights of every convolution when a model is compiled, before any input size is known,
 * under the keys the plans look them up by. The kernel choice needs only channel counts and
 * attributes, so a stand-in spatial size is enough to resolve the spec; a ConvTranspose whose padding
 * depends on the input size (auto_pad, output_shape) is packed by its first plan instead.
 */
final class WeightPacker {
    private WeightPacker() {}

    static void packAll(Graph g, Map<String, Object> packs) {
        for (Node n : g.nodes()) {
            if (!n.opType().equals("Conv") && !n.opType().equals("ConvTranspose")) {
                continue;
            }
            Tensor w = g.initializers().get(n.input(1));
            Tensor b = n.hasInput(2) ? g.initializers().get(n.input(2)) : null;
            TensorType xt = g.typeOf(n.input(0));
            if (w == null || w.rank() != 4 || (n.hasInput(2) && b == null) || xt == null || xt.rank() != 4) {
                continue;
            }
            try {
                if (n.opType().equals("Conv")) {
                    int[] x = standIn(xt.shape(), w.dim(1) * (int) n.attrInt("group", 1), w);
                    ConvSpec s = ConvSpec.of(n, x, w.shape());
                    ConvLowering.Kind kind = ConvLowering.choose(s, g.isGraphInput(n.input(0)));
                    packs.computeIfAbsent(ConvLowering.key(n, kind), k -> ConvLowering.pack(kind, s, w, b));
                } else if (xt.shape().isKnown()) {
                    ConvTransposeSpec s = ConvTransposeSpec.of(n, xt.shape().toIntArray(), w.shape());
                    packs.computeIfAbsent(ConvLowering.key(n, s.padBegin(0), s.padBegin(1)),
                            k -> ConvLowering.packTranspose(s, w, b));
                }
            } catch (SrException | ArithmeticException e) {
                // Packed when a plan first needs it; the plan reports any real problem with the node.
            }
        }
    }

    /** A concrete input shape with the known channel count and a spatial size every kernel fits. */
    private static int[] standIn(Shape x, int channels, Tensor w) {
        int h = Math.max(64, 4 * w.dim(2));
        int wd = Math.max(64, 4 * w.dim(3));
        return new int[] {1, channels, x.dim(2).isKnown() ? (int) x.dim(2).value() : h,
                x.dim(3).isKnown() ? (int) x.dim(3).value() : wd};
    }
}
