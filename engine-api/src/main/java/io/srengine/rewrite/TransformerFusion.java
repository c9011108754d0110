package io.srengine.rewrite;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.OpRegistry;
import io.srengine.ops.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses what transformer blocks spell out in dozens of small nodes into srengine's internal ops (see
 * {@link OpRegistry#INTERNAL_DOMAIN}), on a graph specialised to one input size, where shapes are
 * concrete and the shift masks are constants. Backends that implement the internal ops call it after
 * {@link ShapeSpecializer}; the result computes what the input graph does.
 *
 * <ol>
 *   <li>Chains of data movement that only reorder whole rows of a token sequence (reshape to an
 *       image, cyclic shift, window partition, and back) become one {@code RowGather}.
 *   <li>A RowGather moves past row-wise ops (a matrix product with constant weights, a per-column
 *       bias, GELU, LayerNormalization over the last axis): after the ones that consume it, or
 *       before the ones that produce it when its consumer cannot take it, so that projections run on
 *       the tokens in their own order and the reorderings meet the attention.
 *   <li>Attention (QKᵀ, scale, position bias and shift mask, Softmax, ·V) with the reorderings and
 *       head splits around it becomes one {@code Attention} that reads the packed projections through
 *       row tables ({@link AttentionFusion}).
 *   <li>MatMul by a constant with its bias, GELU and residual Add becomes {@code Linear}; an Add
 *       read by a LayerNormalization over the last axis becomes {@code AddLayerNormalization}
 *       ({@link LinearFusion}).
 * </ol>
 */
public final class TransformerFusion {
    private TransformerFusion() {}

    /** What was fused, for logs and tests. */
    public record Report(int rowGathers, int attentions, int linears, int addLayerNorms) {}

    /** Fuses in place; the graph must be specialised (every shape known) and sorted. */
    public static Report apply(Graph g) {
        Map<String, IndexMap.Ints> memo = new HashMap<>();
        int gathers = recogniseRowGathers(g, memo);
        retype(g);
        moveRowGathers(g);
        retype(g);
        int attentions = AttentionFusion.apply(g, memo);
        retype(g);
        int[] linear = LinearFusion.apply(g);
        retype(g);
        return new Report(gathers, attentions, linear[0], linear[1]);
    }

    static void retype(Graph g) {
        g.removeDeadCode();
        ShapeInference.infer(g);
    }

    static Map<Node, Integer> order(Graph g) {
        Map<Node, Integer> m = new java.util.IdentityHashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            m.put(g.nodes().get(i), i);
        }
        return m;
    }

    // ---- 1. row gathers --------------------------------------------------------------------------

    private static int recogniseRowGathers(Graph g, Map<String, IndexMap.Ints> memo) {
        Map<String, Node> producers = g.producers();
        Map<String, List<Node>> consumers = g.consumers();
        Map<Node, Integer> order = order(g);
        int count = 0;
        for (Node n : List.copyOf(g.nodes())) {
            if (!IndexMap.isMovement(g, n) || n.opType().equals("RowGather")) {
                continue;
            }
            String v = n.output(0);
            boolean head = g.isGraphOutput(v);
            for (Node c : consumers.getOrDefault(v, List.of())) {
                head |= !IndexMap.isMovement(g, c);
            }
            if (!head) {
                continue;
            }
            MovementDag dag = MovementDag.backward(g, producers, order, v);
            if (dag == null || dag.nodes.stream().allMatch(TransformerFusion::reshapeOnly)) {
                continue;
            }
            TensorType src = g.typeOf(dag.source);
            TensorType dst = g.typeOf(v);
            if (src == null || dst == null || src.rank() < 2 || dst.rank() < 1 || src.dataType() != DataType.FLOAT32
                    || lastDim(src) != lastDim(dst)) {
                continue;
            }
            int[] rows = rows(dag.evaluate(g, memo), lastDim(src));
            if (rows == null) {
                continue;
            }
            if (isIdentity(rows, src)) {
                // Only reshapes in effect (a crop that keeps everything, a roll by zero): no copy at all.
                String shapeName = g.freshName(n.name() + "_shape");
                g.initializers().put(shapeName, Tensor.ofLongs(toLongs(dst.shape().toIntArray()), dst.rank()));
                RewriteSupport.replace(g, n, new Node(g.freshName(n.name() + "_view"), "Reshape",
                        List.of(dag.source, shapeName), List.of(v), Attributes.empty()));
                continue;
            }
            String rowsName = g.freshName(n.name() + "_rows");
            g.initializers().put(rowsName, Tensor.ofInts(rows, rows.length));
            Node gather = new Node(g.freshName(n.name() + "_row_gather"), "RowGather", OpRegistry.INTERNAL_DOMAIN,
                    List.of(dag.source, rowsName), List.of(v),
                    Attributes.empty().with("shape", toLongs(dst.shape().toIntArray())));
            RewriteSupport.replace(g, n, gather);
            count++;
        }
        return count;
    }

    private static boolean isIdentity(int[] rows, TensorType src) {
        if (rows.length * (long) lastDim(src) != src.shape().elementCount().value()) {
            return false;
        }
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] != r) {
                return false;
            }
        }
        return true;
    }

    private static boolean reshapeOnly(Node n) {
        return switch (n.opType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity" -> true;
            default -> false;
        };
    }

    static int lastDim(TensorType t) {
        return (int) t.shape().dim(t.rank() - 1).value();
    }

    /**
     * The source row of each row of a mapping whose rows are {@code c} long, -1 for a zero row; null
     * unless every row is a whole source row (or zeros).
     */
    static int[] rows(IndexMap.Ints map, int c) {
        int[] m = map.data();
        if (c == 0 || m.length % c != 0) {
            return null;
        }
        int[] rows = new int[m.length / c];
        for (int r = 0; r < rows.length; r++) {
            int first = m[r * c];
            if (first == 0) {
                for (int j = 1; j < c; j++) {
                    if (m[r * c + j] != 0) {
                        return null;
                    }
                }
                rows[r] = -1;
                continue;
            }
            if ((first - 1) % c != 0) {
                return null;
            }
            for (int j = 1; j < c; j++) {
                if (m[r * c + j] != first + j) {
                    return null;
                }
            }
            rows[r] = (first - 1) / c;
        }
        return rows;
    }

    static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    // ---- 2. moving row gathers past row-wise ops -----------------------------------------------

    private static void moveRowGathers(Graph g) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, List<Node>> consumers = g.consumers();
            for (Node gather : List.copyOf(g.nodes())) {
                if (gather.opType().equals("RowGather") && !hasZeroRows(g, gather)) {
                    Node f = RewriteSupport.soleConsumer(g, consumers, gather.output(0));
                    if (f != null && rowWise(g, f, gather.output(0))) {
                        swapDown(g, gather, f);
                        changed = true;
                        break;
                    }
                }
            }
        }
        changed = true;
        while (changed) {
            changed = false;
            Map<String, List<Node>> consumers = g.consumers();
            Map<String, Node> producers = g.producers();
            for (Node gather : List.copyOf(g.nodes())) {
                if (!gather.opType().equals("RowGather") || hasZeroRows(g, gather)) {
                    continue;
                }
                // Gathers that feed movement stay for the attention to absorb; the others (the window
                // reverse before a residual Add) climb towards the attention output that they reorder.
                boolean stuck = !consumers.getOrDefault(gather.output(0), List.of()).isEmpty();
                for (Node c : consumers.getOrDefault(gather.output(0), List.of())) {
                    stuck &= !IndexMap.isMovement(g, c);
                }
                Node f = producers.get(gather.input(0));
                int at = f == null ? -1 : g.isInitializer(f.input(0)) && f.inputs().size() == 2 ? 1 : 0;
                if (stuck && f != null && rowWise(g, f, f.input(at))
                        && RewriteSupport.soleConsumer(g, consumers, f.output(0)) == gather) {
                    swapUp(g, gather, f, at);
                    changed = true;
                    break;
                }
            }
        }
    }

    private static boolean hasZeroRows(Graph g, Node gather) {
        for (int r : g.initializers().get(gather.input(1)).ints()) {
            if (r < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code f} computes each row of its output from the same row of {@code v} (its input 0)
     * and constants alone, keeping the number of rows.
     */
    static boolean rowWise(Graph g, Node f, String v) {
        int at = dataInput(f, v);
        if (!f.domain().isEmpty() || at < 0 || f.outputs().size() != 1) {
            return false;
        }
        TensorType in = g.typeOf(v);
        TensorType out = g.typeOf(f.output(0));
        if (in == null || out == null || in.rank() != out.rank() || in.rank() < 2) {
            return false;
        }
        for (int k = 0; k < in.rank() - 1; k++) {
            if (!in.shape().dim(k).equals(out.shape().dim(k))) {
                return false;
            }
        }
        return switch (f.opType()) {
            case "MatMul" -> constantOfRank(g, f.input(1), 2);
            case "Add", "Sub", "Mul", "Div" -> f.inputs().size() == 2 && perColumnConstant(g, f.input(1 - at));
            case "Gelu", "Erf", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Exp", "Sqrt", "Neg", "Abs" -> true;
            case "LayerNormalization" -> f.outputs().size() == 1 && lastAxis(f, in.rank())
                    && constOrAbsent(g, f, 1) && constOrAbsent(g, f, 2);
            case "Softmax", "LogSoftmax" -> lastAxis(f, in.rank());
            default -> false;
        };
    }

    /**
     * The input through which {@code v} reaches row-wise op {@code f}: input 0, or input 1 of a binary
     * op whose input 0 is the constant ({@code Add(bias, x)}, as PyTorch writes it); -1 otherwise.
     */
    static int dataInput(Node f, String v) {
        if (f.inputs().isEmpty()) {
            return -1;
        }
        if (f.input(0).equals(v)) {
            return f.inputs().size() > 1 && f.input(1).equals(v) ? -1 : 0;
        }
        boolean binary = switch (f.opType()) {
            case "Add", "Sub", "Mul", "Div" -> true;
            default -> false;
        };
        return binary && f.inputs().size() == 2 && f.input(1).equals(v) ? 1 : -1;
    }

    private static boolean lastAxis(Node f, int rank) {
        long a = f.attrInt("axis", -1);
        return a == -1 || a == rank - 1;
    }

    private static boolean constOrAbsent(Graph g, Node f, int i) {
        return !f.hasInput(i) || g.isInitializer(f.input(i));
    }

    private static boolean constantOfRank(Graph g, String v, int rank) {
        Tensor t = g.initializers().get(v);
        return t != null && t.rank() == rank;
    }

    /** A constant whose only axis of size > 1 (if any) is the last: the same for every row. */
    private static boolean perColumnConstant(Graph g, String v) {
        Tensor t = g.initializers().get(v);
        if (t == null) {
            return false;
        }
        for (int k = 0; k < t.rank() - 1; k++) {
            if (t.dim(k) != 1) {
                return false;
            }
        }
        return true;
    }

    /** {@code f(gather(x))} becomes {@code gather(f(x))}. */
    private static void swapDown(Graph g, Node gather, Node f) {
        String x = gather.input(0);
        TensorType xt = g.typeOf(x);
        TensorType yt = g.typeOf(f.output(0));
        int[] fx = xt.shape().toIntArray();
        fx[fx.length - 1] = lastDim(yt);
        String mid = g.freshName(f.output(0) + "_tokens");
        List<String> in = new ArrayList<>(f.inputs());
        in.set(dataInput(f, gather.output(0)), x);
        Node f2 = f.withInputs(in).withOutputs(List.of(mid));
        Node g2 = new Node(gather.name(), "RowGather", OpRegistry.INTERNAL_DOMAIN, List.of(mid, gather.input(1)),
                f.outputs(), Attributes.empty().with("shape", toLongs(yt.shape().toIntArray())));
        g.valueTypes().put(mid, new TensorType(yt.dataType(), io.srengine.graph.Shape.of(fx)));
        List<Node> nodes = g.nodes();
        nodes.set(nodes.indexOf(gather), f2);
        nodes.set(nodes.indexOf(f), g2);
    }

    /** {@code gather(f(x))} becomes {@code f(gather(x))}. */
    private static void swapUp(Graph g, Node gather, Node f, int at) {
        String x = f.input(at);
        TensorType xt = g.typeOf(x);
        int[] shape = g.typeOf(gather.output(0)).shape().toIntArray();
        shape[shape.length - 1] = lastDim(xt);
        String mid = g.freshName(gather.output(0) + "_rows_first");
        Node g2 = new Node(gather.name(), "RowGather", OpRegistry.INTERNAL_DOMAIN, List.of(x, gather.input(1)),
                List.of(mid), Attributes.empty().with("shape", toLongs(shape)));
        g.valueTypes().put(mid, new TensorType(xt.dataType(), io.srengine.graph.Shape.of(shape)));
        List<String> in = new ArrayList<>(f.inputs());
        in.set(at, mid);
        Node f2 = f.withInputs(in).withOutputs(gather.outputs());
        List<Node> nodes = g.nodes();
        nodes.set(nodes.indexOf(f), g2);
        nodes.set(nodes.indexOf(gather), f2);
    }
}
