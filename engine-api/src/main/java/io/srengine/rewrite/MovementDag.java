package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data-movement nodes (see {@link IndexMap}) that a value is computed through from a single
 * other value, its source: for attention's query, the Reshape/Transpose/Gather from the packed QKV
 * projection; for a window partition, the Reshape/Slice/Concat/Transpose from the token sequence.
 */
final class MovementDag {
    final String source;
    final String target;
    final List<Node> nodes;

    private MovementDag(String source, String target, List<Node> nodes) {
        this.source = source;
        this.target = target;
        this.nodes = nodes;
    }

    /**
     * The movement nodes {@code target} depends on, back to the first values not computed by one;
     * null unless exactly one such value is not a constant. With no movement node in between, the
     * target is its own source.
     */
    static MovementDag backward(Graph g, Map<String, Node> producers, Map<Node, Integer> order, String target) {
        Set<Node> found = new HashSet<>();
        Set<String> leaves = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(target));
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            String v = work.poll();
            if (!seen.add(v)) {
                continue;
            }
            Node p = producers.get(v);
            if (p != null && IndexMap.isMovement(g, p)) {
                found.add(p);
                int data = p.opType().equals("Concat") ? p.inputs().size() : 1;
                for (int i = 0; i < data; i++) {
                    work.add(p.input(i));
                }
            } else if (!g.isInitializer(v)) {
                leaves.add(v);
            } else {
                return null; // a constant moved into the value: not a view of one source
            }
        }
        if (leaves.size() != 1) {
            return null;
        }
        List<Node> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(order::get));
        return new MovementDag(leaves.iterator().next(), target, sorted);
    }

    /** Where each element of the target comes from in the source (positions plus one, 0 = zero fill). */
    IndexMap.Ints evaluate(Graph g, Map<String, IndexMap.Ints> memo) {
        String key = key(g);
        IndexMap.Ints cached = memo.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, IndexMap.Ints> values = new HashMap<>();
        values.put(source, IndexMap.iota(g.typeOf(source).shape().toIntArray()));
        for (Node n : nodes) {
            int data = n.opType().equals("Concat") ? n.inputs().size() : 1;
            List<IndexMap.Ints> in = new ArrayList<>();
            for (int i = 0; i < data; i++) {
                in.add(values.get(n.input(i)));
            }
            values.put(n.output(0), IndexMap.apply(g, n, in));
        }
        IndexMap.Ints result = values.get(target);
        memo.put(key, result);
        return result;
    }

    /** A description equal for two DAGs exactly when they compute the same mapping. */
    private String key(Graph g) {
        Map<String, String> ref = new HashMap<>();
        ref.put(source, "S");
        StringBuilder sb = new StringBuilder(IndexMap.describe(g.typeOf(source).shape().toIntArray()));
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            sb.append('|').append(n.opType()).append(n.attributes()).append('(');
            for (String in : n.inputs()) {
                Tensor t = g.initializers().get(in);
                sb.append(t != null ? digest(t) : ref.getOrDefault(in, "?" + in)).append(',');
            }
            sb.append(")->").append(IndexMap.describe(g.typeOf(n.output(0)).shape().toIntArray()));
            ref.put(n.output(0), "#" + i);
        }
        return sb.append("=>").append(ref.get(target)).toString();
    }

    private static String digest(Tensor t) {
        if (t.size() <= 16) {
            return t.dataType() + IndexMap.describe(t.shape()) + java.util.Arrays.toString(t.toLongArray());
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8);
            for (int i = 0; i < t.size(); i++) {
                b.clear();
                md.update(b.putLong(t.getLong(i)).array());
            }
            return t.dataType() + IndexMap.describe(t.shape()) + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
