package io.srengine.graph;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A computation graph: inputs, outputs, constant initializers and nodes. Values are referred to by
 * name. This is the intermediate representation every backend compiles from.
 *
 * <p>A graph is a plain mutable container so that importers and rewrites can build it step by step;
 * a {@link io.srengine.Model} never hands out its own graph, only copies. Not thread-safe.
 */
public final class Graph {
    private String name;
    private int opsetVersion;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final LinkedHashMap<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
    private final HashMap<String, TensorType> valueTypes = new HashMap<>();
    private int nameCounter;

    public Graph(String name, int opsetVersion) {
        this.name = name == null ? "" : name;
        this.opsetVersion = opsetVersion;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The version of the default ONNX operator set the graph was written against. */
    public int opsetVersion() {
        return opsetVersion;
    }

    public void setOpsetVersion(int v) {
        this.opsetVersion = v;
    }

    /** Graph inputs that are fed at run time (initializers are not among them). Mutable. */
    public List<ValueInfo> inputs() {
        return inputs;
    }

    /** Graph outputs. Mutable. */
    public List<ValueInfo> outputs() {
        return outputs;
    }

    /** Constant tensors by value name. Mutable. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** Nodes, in topological order once {@link #sortTopologically()} has run. Mutable. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Key/value metadata, e.g. ONNX {@code metadata_props}. Mutable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Inferred types of values, filled by {@link io.srengine.ops.ShapeInference}. Mutable. */
    public Map<String, TensorType> valueTypes() {
        return valueTypes;
    }

    /** The inferred or declared type of a value, or null. */
    public TensorType typeOf(String value) {
        TensorType t = valueTypes.get(value);
        if (t != null) {
            return t;
        }
        Tensor init = initializers.get(value);
        if (init != null) {
            return TensorType.of(init.dataType(), init.shape());
        }
        for (ValueInfo v : inputs) {
            if (v.name().equals(value)) {
                return v.type();
            }
        }
        return null;
    }

    public boolean isInitializer(String value) {
        return initializers.containsKey(value);
    }

    public boolean isGraphInput(String value) {
        for (ValueInfo v : inputs) {
            if (v.name().equals(value)) {
                return true;
            }
        }
        return false;
    }

    public boolean isGraphOutput(String value) {
        for (ValueInfo v : outputs) {
            if (v.name().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Map from value name to the node producing it. */
    public Map<String, Node> producers() {
        Map<String, Node> m = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                if (!o.isEmpty()) {
                    m.put(o, n);
                }
            }
        }
        return m;
    }

    /** Map from value name to the nodes that read it, in node order. */
    public Map<String, List<Node>> consumers() {
        Map<String, List<Node>> m = new HashMap<>();
        for (Node n : nodes) {
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    m.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
        return m;
    }

    /** A value name not used anywhere in the graph yet, starting with {@code prefix}. */
    public String freshName(String prefix) {
        Set<String> used = allValueNames();
        for (Node n : nodes) {
            used.add(n.name());
        }
        String candidate;
        do {
            candidate = prefix + "_" + (nameCounter++);
        } while (used.contains(candidate));
        return candidate;
    }

    private Set<String> allValueNames() {
        Set<String> used = new HashSet<>(initializers.keySet());
        inputs.forEach(v -> used.add(v.name()));
        outputs.forEach(v -> used.add(v.name()));
        for (Node n : nodes) {
            used.addAll(n.inputs());
            used.addAll(n.outputs());
        }
        return used;
    }

    /**
     * Checks that every value a node reads is a graph input, an initializer or some node's output,
     * that no value is produced twice, and that every graph output is produced.
     *
     * @throws SrException {@link ErrorCode#INVALID_GRAPH} naming the value and the node
     */
    public void validateReferences() {
        Set<String> available = new HashSet<>(initializers.keySet());
        inputs.forEach(v -> available.add(v.name()));
        Map<String, String> producedBy = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                String prev = producedBy.put(o, n.name());
                if (prev != null || isGraphInput(o)) {
                    throw new SrException(ErrorCode.INVALID_GRAPH, "value '" + o + "' is produced twice (by "
                            + (prev != null ? "node '" + prev + "'" : "the graph inputs") + " and node '" + n.name() + "')");
                }
            }
        }
        available.addAll(producedBy.keySet());
        for (Node n : nodes) {
            for (String i : n.inputs()) {
                if (!i.isEmpty() && !available.contains(i)) {
                    throw new SrException(ErrorCode.INVALID_GRAPH, n.describe() + " reads '" + i
                            + "', which is neither a graph input, an initializer nor any node's output"
                            + " (a missing initializer?)");
                }
            }
        }
        for (ValueInfo o : outputs) {
            if (!available.contains(o.name())) {
                throw new SrException(ErrorCode.INVALID_GRAPH, "graph output '" + o.name() + "' is not produced by any node");
            }
        }
    }

    /**
     * Reorders the nodes so that every node comes after the producers of its inputs, keeping the
     * original order where it is already valid.
     *
     * @throws SrException {@link ErrorCode#INVALID_GRAPH} if the graph has a cycle, naming its nodes
     */
    public void sortTopologically() {
        Map<String, Integer> producerIndex = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                if (!o.isEmpty()) {
                    producerIndex.put(o, i);
                }
            }
        }
        int n = nodes.size();
        int[] pending = new int[n];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<Integer> deps = new HashSet<>();
            for (String in : nodes.get(i).inputs()) {
                Integer p = producerIndex.get(in);
                if (p != null && !isInitializer(in) && deps.add(p)) {
                    dependents.get(p).add(i);
                }
            }
            pending[i] = deps.size();
        }
        // A min-heap on the original index keeps the given order wherever it is already valid.
        TreeSet<Integer> ready = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> sorted = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.pollFirst();
            sorted.add(nodes.get(i));
            for (int d : dependents.get(i)) {
                if (--pending[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (sorted.size() != n) {
            List<String> cycle = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (pending[i] > 0) {
                    cycle.add(nodes.get(i).name());
                }
            }
            throw new SrException(ErrorCode.INVALID_GRAPH, "the graph has a cycle through node(s) " + cycle);
        }
        nodes.clear();
        nodes.addAll(sorted);
    }

    /** Removes nodes whose outputs no graph output depends on, and initializers nobody uses. Keeps node order. */
    public void removeDeadCode() {
        Map<String, Node> producers = producers();
        Set<String> live = new HashSet<>();
        Set<Node> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Deque<String> work = new ArrayDeque<>();
        outputs.forEach(v -> work.add(v.name()));
        while (!work.isEmpty()) {
            String v = work.poll();
            if (!live.add(v)) {
                continue;
            }
            Node p = producers.get(v);
            if (p != null && keep.add(p)) {
                for (String in : p.inputs()) {
                    if (!in.isEmpty()) {
                        work.add(in);
                    }
                }
            }
        }
        nodes.removeIf(n -> !keep.contains(n));
        for (Node n : nodes) {
            live.addAll(n.outputs());
        }
        initializers.keySet().removeIf(k -> !live.contains(k));
        valueTypes.keySet().retainAll(live);
    }

    /** A deep copy of the structure; tensors are shared (treated as immutable by convention). */
    public Graph copy() {
        Graph g = new Graph(name, opsetVersion);
        g.inputs.addAll(inputs);
        g.outputs.addAll(outputs);
        g.initializers.putAll(initializers);
        g.nodes.addAll(nodes);
        g.metadata.putAll(metadata);
        g.valueTypes.putAll(valueTypes);
        g.nameCounter = nameCounter;
        return g;
    }

    /** Op types used in the graph, with the names of the nodes that use each. */
    public Map<String, List<String>> opUsage() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Node n : nodes) {
            m.computeIfAbsent(n.opType(), k -> new ArrayList<>()).add(n.name());
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Graph '").append(name).append("' opset ").append(opsetVersion).append('\n');
        sb.append("  inputs: ").append(inputs).append('\n');
        sb.append("  outputs: ").append(outputs).append('\n');
        sb.append("  initializers: ").append(initializers.size()).append('\n');
        for (Node n : nodes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
