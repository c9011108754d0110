package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.List;
import java.util.Map;

/** A graph's producers and consumers, with the small queries pattern rewrites ask of them. */
final class Match {
    final Graph graph;
    final Map<String, Node> producers;
    final Map<String, List<Node>> consumers;

    Match(Graph graph) {
        this.graph = graph;
        this.producers = graph.producers();
        this.consumers = graph.consumers();
    }

    /** The node writing {@code value} when it has op type {@code opType}, else null. */
    Node producer(String value, String opType) {
        Node p = producers.get(value);
        return p != null && p.opType().equals(opType) && p.domain().isEmpty() ? p : null;
    }

    /** The single reader of {@code value} (see {@link RewriteSupport#soleConsumer}), when it has op type {@code opType}. */
    Node soleConsumer(String value, String opType) {
        Node c = RewriteSupport.soleConsumer(graph, consumers, value);
        return c != null && c.opType().equals(opType) && c.domain().isEmpty() ? c : null;
    }

    /** Number of nodes reading {@code value}, plus one if it is a graph output. */
    int uses(String value) {
        return consumers.getOrDefault(value, List.of()).size() + (graph.isGraphOutput(value) ? 1 : 0);
    }

    /** The constant {@code value} when it holds a single element, else NaN. */
    double scalar(String value) {
        Tensor t = graph.initializers().get(value);
        return t != null && t.size() == 1 && t.dataType().isFloatingPoint() ? t.getDouble(0) : Double.NaN;
    }

    /** Whether {@code value} is a single-element constant within {@code rel} of {@code expected}. */
    boolean isScalar(String value, double expected, double rel) {
        double v = scalar(value);
        return Math.abs(v - expected) <= rel * Math.abs(expected);
    }

    /** For a binary node with one input {@code known}, the other input; null when neither is. */
    static String other(Node binary, String known) {
        if (binary.input(0).equals(known)) {
            return binary.input(1);
        }
        return binary.input(1).equals(known) ? binary.input(0) : null;
    }
}
