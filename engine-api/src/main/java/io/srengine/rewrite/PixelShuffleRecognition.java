package io.srengine.rewrite;

import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Recognises the pixel shuffle that PyTorch emits below opset 11 (and TensorFlow-style exports at
 * any opset) and replaces it with one DepthToSpace node, which backends implement directly or fuse
 * into the preceding convolution.
 *
 * <p>The pattern is a 6-D Transpose with perm {@code [0,1,4,2,5,3]} (CRD order, PyTorch's
 * PixelShuffle) or {@code [0,3,4,1,5,2]} (DCR order, TensorFlow's depth_to_space), reached from a
 * 4-D value {@code X = [n, c*r*r, h, w]} through a chain of Reshape/Unsqueeze and leading to a 4-D
 * value {@code Y = [n, c, h*r, w*r]} through a chain of Reshape/Squeeze. With static shapes the
 * chains are one Reshape each; with dynamic axes PyTorch emits Unsqueeze, Reshape, Transpose,
 * Reshape, Reshape, Squeeze. The match is checked on the (possibly symbolic) inferred shapes, so
 * it holds at every input size, and every intermediate value must have exactly one reader.
 */
public final class PixelShuffleRecognition {
    private static final long[] CRD_PERM = {0, 1, 4, 2, 5, 3};
    private static final long[] DCR_PERM = {0, 3, 4, 1, 5, 2};

    private PixelShuffleRecognition() {}

    /** Rewrites every match; returns how many. */
    public static int apply(Graph graph) {
        int count = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node t : List.copyOf(graph.nodes())) {
                if (t.opType().equals("Transpose") && tryRewrite(graph, t)) {
                    count++;
                    changed = true;
                    break;
                }
            }
        }
        return count;
    }

    private static boolean tryRewrite(Graph graph, Node transpose) {
        long[] perm = transpose.attrInts("perm", null);
        boolean crd = Arrays.equals(perm, CRD_PERM);
        if (!crd && !Arrays.equals(perm, DCR_PERM)) {
            return false;
        }
        Map<String, Node> producers = graph.producers();
        Map<String, List<Node>> consumers = graph.consumers();
        // Walk back to the 4-D source.
        List<Node> chain = new ArrayList<>();
        String x = transpose.input(0);
        while (rank(graph, x) != 4) {
            Node p = producers.get(x);
            if (p == null || !(p.opType().equals("Reshape") || p.opType().equals("Unsqueeze"))
                    || RewriteSupport.soleConsumer(graph, consumers, x) == null) {
                return false;
            }
            chain.add(p);
            x = p.input(0);
        }
        if (chain.isEmpty()) {
            return false;
        }
        // Walk forward to the 4-D result.
        String y = transpose.output(0);
        List<Node> after = new ArrayList<>();
        while (rank(graph, y) != 4) {
            Node c = RewriteSupport.soleConsumer(graph, consumers, y);
            if (c == null || !(c.opType().equals("Reshape") || c.opType().equals("Squeeze")) || !c.input(0).equals(y)) {
                return false;
            }
            after.add(c);
            y = c.output(0);
        }
        if (after.isEmpty()) {
            return false;
        }
        Shape six = shape(graph, transpose.input(0));
        Shape in = shape(graph, x);
        Shape out = shape(graph, y);
        if (six == null || in == null || out == null || six.rank() != 6) {
            return false;
        }
        Dim r1 = crd ? six.dim(2) : six.dim(1);
        Dim r2 = crd ? six.dim(3) : six.dim(2);
        Dim c = crd ? six.dim(1) : six.dim(3);
        if (!r1.isKnown() || !r1.equals(r2) || r1.value() < 1) {
            return false;
        }
        long r = r1.value();
        Dim n = in.dim(0);
        Dim h = in.dim(2);
        Dim w = in.dim(3);
        boolean sixMatches = six.dim(0).equals(n) && six.dim(4).equals(h) && six.dim(5).equals(w)
                && in.dim(1).equals(c.times(r * r));
        boolean outMatches = out.dim(0).equals(n) && out.dim(1).equals(c) && out.dim(2).equals(h.times(r))
                && out.dim(3).equals(w.times(r));
        if (!sixMatches || !outMatches) {
            return false;
        }
        Node d2s = new Node(graph.freshName(transpose.name() + "_depth_to_space"), "DepthToSpace",
                List.of(x), List.of(y),
                Attributes.of(Map.of("blocksize", r, "mode", crd ? "CRD" : "DCR")));
        List<Node> nodes = graph.nodes();
        int at = nodes.indexOf(transpose);
        nodes.set(at, d2s);
        nodes.removeAll(chain);
        nodes.removeAll(after);
        graph.removeDeadCode();
        return true;
    }

    private static int rank(Graph graph, String value) {
        TensorType t = graph.typeOf(value);
        return t == null ? -1 : t.rank();
    }

    private static Shape shape(Graph graph, String value) {
        TensorType t = graph.typeOf(value);
        return t == null ? null : t.shape();
    }
}
