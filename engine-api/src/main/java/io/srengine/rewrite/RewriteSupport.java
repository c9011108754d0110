package io.srengine.rewrite;

import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.List;
import java.util.Map;

/** Small queries shared by the rewrites. */
final class RewriteSupport {
    private RewriteSupport() {}

    /**
     * The single node reading {@code value}, or null when it has several readers, none, or is a graph
     * output (whose name must survive).
     */
    static Node soleConsumer(Graph graph, Map<String, List<Node>> consumers, String value) {
        if (graph.isGraphOutput(value)) {
            return null;
        }
        List<Node> readers = consumers.get(value);
        if (readers == null || readers.size() != 1) {
            return null;
        }
        Node n = readers.getFirst();
        int uses = 0;
        for (String in : n.inputs()) {
            if (in.equals(value)) {
                uses++;
            }
        }
        return uses == 1 ? n : null;
    }

    /** Replaces {@code oldNode} by {@code newNode} at the same position. */
    static void replace(Graph graph, Node oldNode, Node newNode) {
        List<Node> nodes = graph.nodes();
        nodes.set(nodes.indexOf(oldNode), newNode);
    }
}
