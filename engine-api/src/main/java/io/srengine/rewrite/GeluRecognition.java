package io.srengine.rewrite;

import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.List;

/**
 * Recognises GELU as exporters before opset 20 spell it, {@code x · (1 + erf(x / √2)) · 0.5}, and
 * replaces the five nodes by one {@code Gelu}: one pass over the tensor instead of five, and a node
 * that backends fuse into the preceding matrix product. Matched shapes: {@code Div(x, √2)} or {@code
 * Mul(x, 1/√2)} into Erf; {@code Add(erf, 1)}; then {@code Mul(Mul(x, that), 0.5)} (PyTorch) or {@code
 * Mul(Mul(x, 0.5), that)}, each binary op in either input order. Every intermediate value must have
 * no other reader.
 */
public final class GeluRecognition {
    private static final double REL = 1e-6;

    private GeluRecognition() {}

    /** Rewrites every match; returns how many. */
    public static int apply(Graph graph) {
        int count = 0;
        Match m = new Match(graph);
        for (Node erf : List.copyOf(graph.nodes())) {
            if (erf.opType().equals("Erf") && erf.domain().isEmpty() && tryRewrite(graph, m, erf)) {
                count++;
                m = new Match(graph);
            }
        }
        if (count > 0) {
            graph.removeDeadCode();
        }
        return count;
    }

    private static boolean tryRewrite(Graph graph, Match m, Node erf) {
        Node scale = m.producers.get(erf.input(0));
        if (scale == null || !scale.domain().isEmpty() || m.uses(erf.input(0)) != 1) {
            return false;
        }
        String x;
        if (scale.opType().equals("Div") && m.isScalar(scale.input(1), Math.sqrt(2), REL)) {
            x = scale.input(0);
        } else if (scale.opType().equals("Mul") && m.isScalar(scale.input(1), Math.sqrt(0.5), REL)) {
            x = scale.input(0);
        } else if (scale.opType().equals("Mul") && m.isScalar(scale.input(0), Math.sqrt(0.5), REL)) {
            x = scale.input(1);
        } else {
            return false;
        }
        Node add = m.soleConsumer(erf.output(0), "Add");
        if (add == null || !m.isScalar(Match.other(add, erf.output(0)), 1, REL)) {
            return false;
        }
        Node mul1 = m.soleConsumer(add.output(0), "Mul");
        if (mul1 == null) {
            return false;
        }
        String a = Match.other(mul1, add.output(0));
        Node last;
        if (a.equals(x)) {
            // PyTorch: Mul(Mul(x, 1 + erf), 0.5)
            last = m.soleConsumer(mul1.output(0), "Mul");
            if (last == null || !m.isScalar(Match.other(last, mul1.output(0)), 0.5, REL)) {
                return false;
            }
        } else {
            // Mul(Mul(x, 0.5), 1 + erf): a is the half of x.
            Node half = m.producer(a, "Mul");
            if (half == null || m.uses(a) != 1 || Match.other(half, x) == null
                    || !m.isScalar(Match.other(half, x), 0.5, REL)) {
                return false;
            }
            last = mul1;
        }
        Node gelu = new Node(graph.freshName(erf.name() + "_gelu"), "Gelu", List.of(x), List.of(last.output(0)),
                Attributes.empty());
        RewriteSupport.replace(graph, last, gelu);
        return true;
    }
}
