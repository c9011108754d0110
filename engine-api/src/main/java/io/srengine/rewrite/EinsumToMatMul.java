package io.srengine.rewrite;

import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.EinsumSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns two-input Einsums that are batched matrix products, such as attention's {@code
 * "bhid,bhjd->bhij"} and {@code "bhij,bhjd->bhid"}, into MatMul with Transposes where the axes are not
 * already in place, so that backends run them with their matrix-product kernels.
 *
 * <p>Eligible: two terms without ellipsis or repeated labels, where every label is a batch label (in
 * both inputs and the output), the row label (first input and output), the column label (second input
 * and output) or the contracted label (both inputs, not the output), with exactly one row, column and
 * contracted label. Batch labels keep the order of the output.
 */
public final class EinsumToMatMul {
    private EinsumToMatMul() {}

    /** Rewrites every eligible Einsum; returns how many. */
    public static int apply(Graph graph) {
        int count = 0;
        List<Node> out = new ArrayList<>();
        for (Node n : List.copyOf(graph.nodes())) {
            if (n.opType().equals("Einsum") && n.domain().isEmpty() && n.inputs().size() == 2 && rewrite(graph, n, out)) {
                count++;
            } else {
                out.add(n);
            }
        }
        if (count > 0) {
            graph.nodes().clear();
            graph.nodes().addAll(out);
        }
        return count;
    }

    private static boolean rewrite(Graph graph, Node n, List<Node> out) {
        EinsumSpec spec;
        try {
            spec = EinsumSpec.parse(n, n.attrString("equation", null), 2);
        } catch (RuntimeException e) {
            return false; // shape inference reports it
        }
        int[] a = spec.inputTerms()[0];
        int[] b = spec.inputTerms()[1];
        int[] o = spec.outputTerm();
        if (spec.hasEllipsis(0) || spec.hasEllipsis(1) || repeats(a) || repeats(b)) {
            return false;
        }
        List<Integer> batch = new ArrayList<>();
        int row = -1;
        int col = -1;
        int k = -1;
        for (int l : o) {
            boolean inA = has(a, l);
            boolean inB = has(b, l);
            if (inA && inB) {
                batch.add(l);
            } else if (inA && row < 0) {
                row = l;
            } else if (inB && col < 0) {
                col = l;
            } else {
                return false;
            }
        }
        for (int l : a) {
            if (!has(o, l)) {
                if (!has(b, l) || k >= 0) {
                    return false;
                }
                k = l;
            }
        }
        for (int l : b) {
            if (!has(o, l) && l != k) {
                return false;
            }
        }
        if (row < 0 || col < 0 || k < 0 || a.length != batch.size() + 2 || b.length != batch.size() + 2) {
            return false;
        }
        int[] wantA = concat(batch, row, k);
        int[] wantB = concat(batch, k, col);
        int[] product = concat(batch, row, col);
        String left = transpose(graph, n, n.input(0), a, wantA, "a", out);
        String right = transpose(graph, n, n.input(1), b, wantB, "b", out);
        if (Arrays.equals(product, o)) {
            out.add(new Node(n.name(), "MatMul", List.of(left, right), n.outputs(), Attributes.empty()));
        } else {
            String p = graph.freshName(n.name() + "_product");
            out.add(new Node(graph.freshName(n.name() + "_matmul"), "MatMul", List.of(left, right), List.of(p),
                    Attributes.empty()));
            out.add(new Node(n.name(), "Transpose", List.of(p), n.outputs(),
                    Attributes.empty().with("perm", perm(product, o))));
        }
        return true;
    }

    private static String transpose(Graph graph, Node n, String value, int[] have, int[] want, String role,
            List<Node> out) {
        if (Arrays.equals(have, want)) {
            return value;
        }
        String t = graph.freshName(n.name() + "_" + role);
        Node node = new Node(graph.freshName(n.name() + "_transpose_" + role), "Transpose", List.of(value), List.of(t),
                Attributes.empty().with("perm", perm(have, want)));
        out.add(node);
        graph.nodes().add(node); // registers its names with freshName; apply() replaces the list at the end
        return t;
    }

    /** The Transpose perm that reorders axes labelled {@code from} into the order {@code to}. */
    private static long[] perm(int[] from, int[] to) {
        long[] p = new long[to.length];
        for (int i = 0; i < to.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (from[j] == to[i]) {
                    p[i] = j;
                }
            }
        }
        return p;
    }

    private static int[] concat(List<Integer> batch, int x, int y) {
        int[] r = new int[batch.size() + 2];
        for (int i = 0; i < batch.size(); i++) {
            r[i] = batch.get(i);
        }
        r[batch.size()] = x;
        r[batch.size() + 1] = y;
        return r;
    }

    private static boolean has(int[] t, int l) {
        return Arrays.stream(t).anyMatch(v -> v == l);
    }

    private static boolean repeats(int[] t) {
        return Arrays.stream(t).distinct().count() != t.length;
    }
}
