package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges equal constants and equal computations. Exported transformers recompute the same thing in
 * every block: each shifted-window block rebuilds the attention mask from the input size with the
 * same few dozen nodes. Merged once here, the mask is built (and, once the input size is known,
 * folded and stored) once per model instead of once per block.
 *
 * <p>Two initializers are equal when type, shape and every element agree. Two nodes are equal when
 * op type, domain, attributes and input names agree (after earlier merges); the later one's outputs
 * are renamed to the earlier one's. A node writing a graph output is never merged away.
 */
public final class CommonSubexpressions {
    private CommonSubexpressions() {}

    /** Merges in place; returns how many initializers and nodes were removed. */
    public static int apply(Graph graph) {
        Map<String, String> rename = new HashMap<>();
        Map<String, List<String>> constantsByKey = new HashMap<>();
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            if (graph.isGraphOutput(e.getKey())) {
                continue;
            }
            List<String> same = constantsByKey.computeIfAbsent(tensorKey(e.getValue()), k -> new ArrayList<>());
            String first = null;
            for (String candidate : same) {
                if (sameTensor(graph.initializers().get(candidate), e.getValue())) {
                    first = candidate;
                    break;
                }
            }
            if (first != null) {
                rename.put(e.getKey(), first);
            } else {
                same.add(e.getKey());
            }
        }
        int merged = rename.size();
        Map<String, Node> nodeByKey = new HashMap<>();
        List<Node> kept = new ArrayList<>();
        for (Node n : graph.nodes()) {
            List<String> inputs = new ArrayList<>();
            for (String in : n.inputs()) {
                inputs.add(rename.getOrDefault(in, in));
            }
            Node r = inputs.equals(n.inputs()) ? n : n.withInputs(inputs);
            boolean writesOutput = r.outputs().stream().anyMatch(graph::isGraphOutput);
            String key = nodeKey(r);
            Node first = writesOutput ? null : nodeByKey.get(key);
            if (first != null && first.outputs().size() == r.outputs().size()) {
                for (int i = 0; i < r.outputs().size(); i++) {
                    if (!r.output(i).isEmpty()) {
                        rename.put(r.output(i), first.output(i));
                    }
                }
                merged++;
                continue;
            }
            if (!writesOutput) {
                nodeByKey.putIfAbsent(key, r);
            }
            kept.add(r);
        }
        if (merged > 0) {
            graph.nodes().clear();
            graph.nodes().addAll(kept);
            graph.removeDeadCode();
        }
        return merged;
    }

    private static String nodeKey(Node n) {
        StringBuilder sb = new StringBuilder(n.domain()).append(':').append(n.opType()).append(n.inputs()).append('{');
        n.attributes().asMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            sb.append(e.getKey()).append('=');
            Object v = e.getValue();
            if (v instanceof long[] a) {
                sb.append(Arrays.toString(a));
            } else if (v instanceof float[] a) {
                sb.append(Arrays.toString(a));
            } else if (v instanceof String[] a) {
                sb.append(Arrays.toString(a));
            } else if (v instanceof Tensor t) {
                sb.append(tensorKey(t)).append(Arrays.toString(t.toFloatArray()));
            } else {
                sb.append(v);
            }
            sb.append(';');
        });
        // Nodes with several outputs can only merge when the same outputs are present.
        for (String o : n.outputs()) {
            sb.append(o.isEmpty() ? '_' : 'o');
        }
        return sb.append('}').toString();
    }

    /** Type, shape and a hash of the elements; {@link #sameTensor} settles collisions. */
    static String tensorKey(Tensor t) {
        int h = 1;
        for (int i = 0; i < t.size(); i++) {
            long bits = t.dataType().isFloatingPoint() ? Double.doubleToLongBits(t.getDouble(i)) : t.getLong(i);
            h = 31 * h + Long.hashCode(bits);
        }
        return t.dataType().name() + Arrays.toString(t.shape()) + ':' + Integer.toHexString(h);
    }

    static boolean sameTensor(Tensor a, Tensor b) {
        if (a.dataType() != b.dataType() || !Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        boolean fp = a.dataType().isFloatingPoint();
        for (int i = 0; i < a.size(); i++) {
            boolean same = fp ? Double.doubleToLongBits(a.getDouble(i)) == Double.doubleToLongBits(b.getDouble(i))
                    : a.getLong(i) == b.getLong(i);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
