package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recognises layer normalisation as exporters before opset 17 spell it and replaces it with one
 * LayerNormalization node:
 *
 * <pre>
 *   mean = ReduceMean(x, axes)          d = Sub(x, mean)
 *   var  = ReduceMean(Pow(d, 2), axes)  (or Mul(d, d))
 *   y    = Div(d, Sqrt(Add(var, eps)))  [Mul(y, scale)] [Add(y, bias)]
 * </pre>
 *
 * The axes must be the trailing ones (LayerNormalization normalises from {@code axis} to the last);
 * a normalisation over other axes (OmniSR's over channels of NCHW) stays as it is. Scale and bias
 * are taken into the node when they are constants that broadcast to the normalised shape, and every
 * intermediate value must have no reader outside the pattern.
 */
public final class LayerNormRecognition {
    private LayerNormRecognition() {}

    /** Rewrites every match; returns how many. */
    public static int apply(Graph graph) {
        int count = 0;
        Match m = new Match(graph);
        for (Node sqrt : List.copyOf(graph.nodes())) {
            if (sqrt.opType().equals("Sqrt") && sqrt.domain().isEmpty() && tryRewrite(graph, m, sqrt)) {
                count++;
                m = new Match(graph);
            }
        }
        if (count > 0) {
            graph.removeDeadCode();
        }
        return count;
    }

    private static boolean tryRewrite(Graph graph, Match m, Node sqrt) {
        Node addEps = m.producer(sqrt.input(0), "Add");
        if (addEps == null || m.uses(addEps.output(0)) != 1) {
            return false;
        }
        String var = null;
        double eps = Double.NaN;
        for (int i = 0; i < 2; i++) {
            double e = m.scalar(addEps.input(1 - i));
            if (!Double.isNaN(e)) {
                eps = e;
                var = addEps.input(i);
            }
        }
        Node varMean = var == null ? null : m.producer(var, "ReduceMean");
        if (varMean == null || m.uses(var) != 1) {
            return false;
        }
        String sq = varMean.input(0);
        Node square = m.producers.get(sq);
        if (square == null || m.uses(sq) != 1) {
            return false;
        }
        String d;
        if (square.opType().equals("Pow") && m.isScalar(square.input(1), 2, 0)) {
            d = square.input(0);
        } else if (square.opType().equals("Mul") && square.input(0).equals(square.input(1))) {
            d = square.input(0);
        } else {
            return false;
        }
        Node sub = m.producer(d, "Sub");
        if (sub == null) {
            return false;
        }
        String x = sub.input(0);
        Node mean = m.producer(sub.input(1), "ReduceMean");
        if (mean == null || !mean.input(0).equals(x) || m.uses(mean.output(0)) != 1) {
            return false;
        }
        Node div = m.soleConsumer(sqrt.output(0), "Div");
        if (div == null || !div.input(0).equals(d) || m.uses(d) != 2 + (square.opType().equals("Mul") ? 1 : 0)) {
            return false;
        }
        TensorType xt = graph.typeOf(x);
        if (xt == null) {
            return false;
        }
        int rank = xt.rank();
        int axis = trailingAxis(graph, mean, rank);
        if (axis < 0 || trailingAxis(graph, varMean, rank) != axis) {
            return false;
        }
        Shape normalized = Shape.of(xt.shape().dims().subList(axis, rank));
        // Scale and bias that follow.
        String y = div.output(0);
        List<Node> absorbed = new ArrayList<>();
        String scale = null;
        String bias = null;
        Node mul = m.soleConsumer(y, "Mul");
        if (mul != null && fits(graph, Match.other(mul, y), normalized)) {
            scale = Match.other(mul, y);
            absorbed.add(mul);
            y = mul.output(0);
        }
        Node add = m.soleConsumer(y, "Add");
        if (add != null && fits(graph, Match.other(add, y), normalized)) {
            bias = Match.other(add, y);
            absorbed.add(add);
            y = add.output(0);
        }
        if (scale == null) {
            if (!normalized.isKnown()) {
                return false;
            }
            int[] dims = normalized.toIntArray();
            float[] ones = new float[Tensor.checkedSize(dims)];
            Arrays.fill(ones, 1f);
            scale = graph.freshName(sqrt.name() + "_unit_scale");
            graph.initializers().put(scale, Tensor.of(ones, dims).to(xt.dataType()));
        }
        List<String> inputs = new ArrayList<>(List.of(x, scale));
        if (bias != null) {
            inputs.add(bias);
        }
        Node ln = new Node(graph.freshName(sqrt.name() + "_layer_norm"), "LayerNormalization", inputs, List.of(y),
                Attributes.empty().with("axis", (long) axis).with("epsilon", (float) eps));
        Node last = absorbed.isEmpty() ? div : absorbed.getLast();
        RewriteSupport.replace(graph, last, ln);
        return true;
    }

    /** The first axis of a keepdims ReduceMean over a contiguous run of trailing axes, else -1. */
    private static int trailingAxis(Graph graph, Node reduce, int rank) {
        if (reduce.attrInt("keepdims", 1) != 1 || !reduce.hasInput(1)) {
            return -1;
        }
        Tensor axes = graph.initializers().get(reduce.input(1));
        if (axes == null || axes.size() == 0) {
            return -1;
        }
        long[] a = axes.toLongArray();
        boolean[] seen = new boolean[rank];
        for (long v : a) {
            long ax = v < 0 ? v + rank : v;
            if (ax < 0 || ax >= rank || seen[(int) ax]) {
                return -1;
            }
            seen[(int) ax] = true;
        }
        int first = rank - a.length;
        for (int k = first; k < rank; k++) {
            if (!seen[k]) {
                return -1;
            }
        }
        return first;
    }

    /** Whether {@code value} is a floating-point constant that broadcasts unidirectionally to {@code normalized}. */
    private static boolean fits(Graph graph, String value, Shape normalized) {
        Tensor t = value == null ? null : graph.initializers().get(value);
        if (t == null || !t.dataType().isFloatingPoint() || t.rank() > normalized.rank()) {
            return false;
        }
        for (int k = 0; k < t.rank(); k++) {
            // An unknown size (a channel count that only the input size's arithmetic gives) is checked
            // by LayerNormalization's own inference once the graph is specialised.
            Dim want = normalized.dim(normalized.rank() - t.rank() + k);
            int got = t.dim(k);
            if (got != 1 && want.isKnown() && want.value() != got) {
                return false;
            }
        }
        return true;
    }
}
