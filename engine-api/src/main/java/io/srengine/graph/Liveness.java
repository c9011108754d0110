package io.srengine.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value is born and where it dies in a topologically sorted graph, so that a backend can
 * hand a value's buffer to a later value once nobody reads it any more.
 *
 * <p>Node indices refer to {@link Graph#nodes()}; graph inputs are born at index -1 and graph outputs
 * live until {@link Integer#MAX_VALUE}. Initializers are constants and are not tracked.
 */
public final class Liveness {
    private final Map<String, Integer> firstDef = new HashMap<>();
    private final Map<String, Integer> lastUse = new HashMap<>();
    private final List<List<String>> dyingAfter;

    /**
     * Computes the liveness of every value in {@code graph}. Later changes to the graph are not
     * reflected.
     *
     * @param graph a topologically sorted graph
     */
    public Liveness(Graph graph) {
        List<Node> nodes = graph.nodes();
        for (ValueInfo in : graph.inputs()) {
            firstDef.put(in.name(), -1);
            lastUse.put(in.name(), -1);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !graph.isInitializer(in)) {
                    lastUse.put(in, i);
                }
            }
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    firstDef.put(out, i);
                    lastUse.putIfAbsent(out, i);
                }
            }
        }
        for (ValueInfo out : graph.outputs()) {
            lastUse.put(out.name(), Integer.MAX_VALUE);
        }
        dyingAfter = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            dyingAfter.add(new ArrayList<>());
        }
        lastUse.forEach((v, i) -> {
            if (i >= 0 && i < nodes.size()) {
                dyingAfter.get(i).add(v);
            }
        });
        dyingAfter.forEach(l -> l.sort(null));
    }

    /**
     * Index of the node that produces {@code value}.
     *
     * @param value a value name
     * @return the node index; -1 for graph inputs and unknown names
     */
    public int definedAt(String value) {
        Integer i = firstDef.get(value);
        return i == null ? -1 : i;
    }

    /**
     * Index of the last node that reads {@code value}.
     *
     * @param value a value name
     * @return the node index; {@link Integer#MAX_VALUE} for graph outputs, -1 for unknown names and
     *     initializers
     */
    public int lastUsedAt(String value) {
        Integer i = lastUse.get(value);
        return i == null ? -1 : i;
    }

    /**
     * Values whose last reader is node {@code index}: their buffers are free once it has run.
     *
     * @param index a node index in {@code [0, nodes)}
     * @return the value names, sorted; the caller must not modify the list
     * @throws IndexOutOfBoundsException for an index outside the graph
     */
    public List<String> dyingAfter(int index) {
        return dyingAfter.get(index);
    }
}
