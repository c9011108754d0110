package io.srengine.rewrite;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code MatMul(X, W)} (W a constant matrix) or {@code Gemm(X, W, b)} with its per-column bias Add,
 * a GELU and a residual Add of a same-shaped value becomes one {@code Linear}; a LayerNormalization
 * over the last axis of an Add of two same-shaped values becomes {@code AddLayerNormalization},
 * which also gives the sum (the next residual). Each absorbed value must have no other reader.
 */
final class LinearFusion {
    private LinearFusion() {}

    /** Returns {linears, addLayerNorms}. */
    static int[] apply(Graph g) {
        int linears = 0;
        for (Node n : List.copyOf(g.nodes())) {
            if (g.nodes().contains(n) && fuseLinear(g, n)) {
                linears++;
            }
        }
        TransformerFusion.retype(g);
        int norms = 0;
        for (Node n : List.copyOf(g.nodes())) {
            if (g.nodes().contains(n) && fuseAddLayerNorm(g, n)) {
                norms++;
            }
        }
        return new int[] {linears, norms};
    }

    private static boolean fuseLinear(Graph g, Node mm) {
        if (!mm.domain().isEmpty()) {
            return false;
        }
        Tensor w;
        String bias = "";
        String x = mm.input(0);
        TensorType xt = g.typeOf(x);
        if (xt == null || xt.dataType() != DataType.FLOAT32 || xt.rank() < 1) {
            return false;
        }
        if (mm.opType().equals("MatMul")) {
            w = g.initializers().get(mm.input(1));
            if (w == null || w.rank() != 2 || w.dataType() != DataType.FLOAT32 || xt.rank() < 2) {
                return false;
            }
        } else if (mm.opType().equals("Gemm")) {
            Tensor b = mm.hasInput(2) ? g.initializers().get(mm.input(2)) : null;
            w = g.initializers().get(mm.input(1));
            if (w == null || mm.attrInt("transA", 0) != 0 || mm.attrFloat("alpha", 1f) != 1f
                    || mm.attrFloat("beta", 1f) != 1f || mm.hasInput(2) && (b == null || !perColumn(b, w, mm))) {
                return false;
            }
            if (mm.attrInt("transB", 0) == 1) {
                w = transpose(w);
            }
            if (b != null) {
                bias = mm.input(2);
            }
        } else {
            return false;
        }
        Map<String, List<Node>> consumers = g.consumers();
        List<Node> absorbed = new ArrayList<>(List.of(mm));
        String y = mm.output(0);
        int n = w.dim(1);
        if (bias.isEmpty()) {
            Node add = RewriteSupport.soleConsumer(g, consumers, y);
            String other = add == null || !add.opType().equals("Add") || !add.domain().isEmpty() ? null : Match.other(add, y);
            Tensor b = other == null ? null : g.initializers().get(other);
            if (b != null && b.size() == n && b.dataType() == DataType.FLOAT32 && lastAxisOnly(b)) {
                bias = other;
                absorbed.add(add);
                y = add.output(0);
            }
        }
        String activation = "";
        Node gelu = RewriteSupport.soleConsumer(g, consumers, y);
        if (gelu != null && gelu.opType().equals("Gelu") && gelu.domain().isEmpty()) {
            activation = gelu.attrString("approximate", "none").equals("tanh") ? "gelu_tanh" : "gelu";
            absorbed.add(gelu);
            y = gelu.output(0);
        }
        String residual = "";
        Node add = RewriteSupport.soleConsumer(g, consumers, y);
        if (add != null && add.opType().equals("Add") && add.domain().isEmpty()) {
            String other = Match.other(add, y);
            TensorType ot = other == null ? null : g.typeOf(other);
            if (ot != null && !g.isInitializer(other) && ot.shape().equals(g.typeOf(y).shape())
                    && ot.dataType() == DataType.FLOAT32 && ot.shape().equals(g.typeOf(add.output(0)).shape())) {
                residual = other;
                absorbed.add(add);
                y = add.output(0);
            }
        }
        String wName = mm.input(1);
        if (mm.opType().equals("Gemm") && mm.attrInt("transB", 0) == 1) {
            wName = g.freshName(mm.name() + "_weight");
            g.initializers().put(wName, w);
        }
        List<String> in = new ArrayList<>(List.of(x, wName, bias, residual));
        while (in.getLast().isEmpty()) {
            in.removeLast();
        }
        Node linear = new Node(g.freshName(mm.name() + "_linear"), "Linear", OpRegistry.INTERNAL_DOMAIN, in, List.of(y),
                Attributes.empty().with("activation", activation));
        List<Node> nodes = g.nodes();
        Node last = absorbed.getLast();
        nodes.set(nodes.indexOf(last), linear);
        for (Node a : absorbed) {
            if (a != last) {
                nodes.remove(a);
            }
        }
        return true;
    }

    private static boolean perColumn(Tensor b, Tensor w, Node gemm) {
        int n = w.dim(gemm.attrInt("transB", 0) == 1 ? 0 : 1);
        return b.size() == n && lastAxisOnly(b) && b.dataType() == DataType.FLOAT32;
    }

    private static boolean lastAxisOnly(Tensor t) {
        for (int k = 0; k < t.rank() - 1; k++) {
            if (t.dim(k) != 1) {
                return false;
            }
        }
        return true;
    }

    private static Tensor transpose(Tensor w) {
        int r = w.dim(0);
        int c = w.dim(1);
        float[] src = w.toFloatArray();
        float[] t = new float[src.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = src[i * c + j];
            }
        }
        return Tensor.of(t, c, r);
    }

    private static boolean fuseAddLayerNorm(Graph g, Node ln) {
        if (!ln.opType().equals("LayerNormalization") || !ln.domain().isEmpty() || ln.outputs().size() > 1
                && ln.outputs().subList(1, ln.outputs().size()).stream().anyMatch(o -> !o.isEmpty())) {
            return false;
        }
        TensorType xt = g.typeOf(ln.input(0));
        long axis = ln.attrInt("axis", -1);
        if (xt == null || axis != -1 && axis != xt.rank() - 1 || xt.dataType() != DataType.FLOAT32
                || !g.isInitializer(ln.input(1)) || ln.hasInput(2) && !g.isInitializer(ln.input(2))) {
            return false;
        }
        Node add = g.producers().get(ln.input(0));
        if (add == null || !add.opType().equals("Add") || !add.domain().isEmpty() || g.isInitializer(add.input(0))
                || g.isInitializer(add.input(1)) || !g.typeOf(add.input(0)).shape().equals(xt.shape())
                || !g.typeOf(add.input(1)).shape().equals(xt.shape())) {
            return false;
        }
        int c = TransformerFusion.lastDim(xt);
        if (g.initializers().get(ln.input(1)).size() != c
                || ln.hasInput(2) && g.initializers().get(ln.input(2)).size() != c) {
            return false;
        }
        List<String> in = new ArrayList<>(List.of(add.input(0), add.input(1), ln.input(1)));
        if (ln.hasInput(2)) {
            in.add(ln.input(2));
        }
        Node fused = new Node(g.freshName(ln.name() + "_add"), "AddLayerNormalization", OpRegistry.INTERNAL_DOMAIN, in,
                List.of(add.output(0), ln.output(0)), Attributes.empty().with("epsilon", ln.attrFloat("epsilon", 1e-5f)));
        List<Node> nodes = g.nodes();
        nodes.set(nodes.indexOf(add), fused);
        nodes.remove(ln);
        return true;
    }
}
