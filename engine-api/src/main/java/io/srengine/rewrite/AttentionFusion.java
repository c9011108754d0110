package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.OpRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code MatMul(q, kᵀ) → [scale, + bias, + mask, reshapes] → Softmax → MatMul(·, v)} and
 * replaces it, with the data movement that feeds q, k and v and the movement that follows, by one
 * {@code Attention} node (see {@link io.srengine.ops.OpRegistry#INTERNAL_DOMAIN}).
 *
 * <p>The movement is analysed by evaluating it on positions ({@link IndexMap}): q, k and v must each
 * read, for every (window, token), a run of {@code d} columns of one row of a source tensor (or
 * zeros, for padding), at a column that moves by a fixed stride from head to head; the output's
 * (window, token, head) values must likewise land as runs in rows of the final tensor. The additive
 * terms before the Softmax must be constants that depend on (head, query, key) alone, the position
 * bias, or on (window mod W, query, key) alone, the shift mask; the latter are stored once per
 * distinct mask with a table from window to mask.
 */
final class AttentionFusion {
    private AttentionFusion() {}

    static int apply(Graph g, Map<String, IndexMap.Ints> memo) {
        int count = 0;
        for (Node sm : List.copyOf(g.nodes())) {
            if (sm.opType().equals("Softmax") && sm.domain().isEmpty() && g.nodes().contains(sm)) {
                Fused f = match(g, sm, memo);
                if (f != null) {
                    f.install(g);
                    count++;
                }
            }
        }
        return count;
    }

    /** One query, key or value operand: a row per (window, token), a column per head. */
    record View(String source, int[] rows, int col, int headStride) {}

    private record Fused(Node attention, List<Node> replaced, Map<String, Tensor> constants) {
        void install(Graph g) {
            g.initializers().putAll(constants);
            List<Node> nodes = g.nodes();
            Node last = replaced.getLast();
            nodes.set(nodes.indexOf(last), attention);
            for (Node n : replaced) {
                if (n != last) {
                    nodes.remove(n);
                }
            }
        }
    }

    private static Fused match(Graph g, Node sm, Map<String, IndexMap.Ints> memo) {
        Map<String, Node> producers = g.producers();
        Map<String, List<Node>> consumers = g.consumers();
        TensorType st = g.typeOf(sm.input(0));
        if (st == null || st.rank() < 3 || st.rank() > 4) {
            return null;
        }
        long axis = sm.attrInt("axis", -1);
        if (axis != -1 && axis != st.rank() - 1) {
            return null;
        }
        // Back from the Softmax to Q·Kᵀ: Adds of constants, Reshapes and scalar Mul/Div.
        List<Node> scoreChain = new ArrayList<>();
        String v = sm.input(0);
        Node qk = null;
        while (true) {
            Node p = producers.get(v);
            if (p == null || !p.domain().isEmpty() || RewriteSupport.soleConsumer(g, consumers, v) == null) {
                return null;
            }
            if (p.opType().equals("MatMul")) {
                qk = p;
                break;
            }
            boolean ok = switch (p.opType()) {
                case "Add" -> g.isInitializer(p.input(1)) || g.isInitializer(p.input(0));
                case "Mul", "Div" -> scalar(g, p.input(1)) != null;
                case "Reshape" -> true;
                default -> false;
            };
            if (!ok) {
                return null;
            }
            scoreChain.addFirst(p);
            v = p.opType().equals("Add") && g.isInitializer(p.input(0)) ? p.input(1) : p.input(0);
        }
        TensorType qkt = g.typeOf(qk.output(0));
        if (!qkt.shape().equals(st.shape())) {
            return null;
        }
        Node pv = RewriteSupport.soleConsumer(g, consumers, sm.output(0));
        if (pv == null || !pv.opType().equals("MatMul") || !pv.domain().isEmpty() || !pv.input(0).equals(sm.output(0))) {
            return null;
        }
        int[] s = st.shape().toIntArray();
        boolean heads = s.length == 4;
        int batch = s[0];
        int h = heads ? s[1] : 1;
        int n = s[s.length - 2];
        int m = s[s.length - 1];
        int[] qs = g.typeOf(qk.input(0)).shape().toIntArray();
        int[] vs = g.typeOf(pv.input(1)).shape().toIntArray();
        if (qs.length != s.length || vs.length != s.length || !batchAndHeadsMatch(qs, s) || !batchAndHeadsMatch(vs, s)) {
            return null;
        }
        int d = qs[qs.length - 1];
        int dv = vs[vs.length - 1];
        // Scalars applied to q before the product.
        double scale = 1;
        String q = qk.input(0);
        List<Node> qScales = new ArrayList<>();
        while (true) {
            Node p = producers.get(q);
            Double c = p == null || !p.domain().isEmpty() || RewriteSupport.soleConsumer(g, consumers, q) == null
                    ? null : scalar(g, p.input(1));
            if (c == null || !(p.opType().equals("Mul") || p.opType().equals("Div"))) {
                break;
            }
            scale *= p.opType().equals("Mul") ? c : 1 / c;
            qScales.add(p);
            q = p.input(0);
        }
        Scores terms = Scores.analyse(g, scoreChain, s, batch, h, n, m);
        if (terms == null) {
            return null;
        }
        scale *= terms.scale;
        Map<Node, Integer> order = TransformerFusion.order(g);
        View qv = view(g, producers, order, memo, q, batch, h, n, d, false);
        View kv = view(g, producers, order, memo, qk.input(1), batch, h, m, d, true);
        View vv = view(g, producers, order, memo, pv.input(1), batch, h, m, dv, false);
        if (qv == null || kv == null || vv == null) {
            return null;
        }
        // Forward from the result through movement to the first value something else reads.
        List<Node> outChain = new ArrayList<>();
        String o = pv.output(0);
        while (!g.isGraphOutput(o)) {
            Node c = RewriteSupport.soleConsumer(g, consumers, o);
            if (c == null || !IndexMap.isMovement(g, c) || c.opType().equals("Concat") || !c.input(0).equals(o)) {
                break;
            }
            outChain.add(c);
            o = c.output(0);
        }
        int[] resultShape = g.typeOf(pv.output(0)).shape().toIntArray();
        Out out = output(g, outChain, pv.output(0), o, resultShape, batch, h, n, dv);
        if (out == null) {
            return null;
        }
        String p = sm.name();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>(List.of(qv.source, kv.source, vv.source,
                constant(g, constants, p + "_q_rows", qv.rows), constant(g, constants, p + "_k_rows", kv.rows),
                constant(g, constants, p + "_v_rows", vv.rows), constant(g, constants, p + "_out_rows", out.rows)));
        inputs.add(terms.bias == null ? "" : constant(g, constants, p + "_bias", terms.bias));
        if (terms.masks != null) {
            inputs.add(constant(g, constants, p + "_masks", terms.masks));
            inputs.add(constant(g, constants, p + "_mask_of", terms.maskOf));
        }
        while (inputs.getLast().isEmpty()) {
            inputs.removeLast();
        }
        Attributes a = Attributes.empty().with("batch", (long) batch).with("heads", (long) h).with("n", (long) n)
                .with("m", (long) m).with("d", (long) d).with("dv", (long) dv).with("scale", (float) scale)
                .with("q_col", (long) qv.col).with("k_col", (long) kv.col).with("v_col", (long) vv.col)
                .with("q_head", (long) qv.headStride).with("k_head", (long) kv.headStride)
                .with("v_head", (long) vv.headStride).with("out_col", (long) out.col)
                .with("out_head", (long) out.headStride)
                .with("out_shape", TransformerFusion.toLongs(g.typeOf(o).shape().toIntArray()));
        Node attention = new Node(g.freshName(p + "_attention"), "Attention", OpRegistry.INTERNAL_DOMAIN, inputs,
                List.of(o), a);
        List<Node> replaced = new ArrayList<>(qScales);
        replaced.add(qk);
        replaced.addAll(scoreChain);
        replaced.add(sm);
        replaced.add(pv);
        replaced.addAll(outChain);
        replaced.sort(java.util.Comparator.comparingInt(order::get));
        return new Fused(attention, replaced, constants);
    }

    private static boolean batchAndHeadsMatch(int[] x, int[] s) {
        return x[0] == s[0] && (s.length == 3 || x[1] == s[1]);
    }

    private static String constant(Graph g, Map<String, Tensor> constants, String base, Object value) {
        String name = g.freshName(base);
        while (constants.containsKey(name)) {
            name = g.freshName(base);
        }
        constants.put(name, value instanceof int[] ints ? Tensor.ofInts(ints, ints.length) : (Tensor) value);
        return name;
    }

    static Double scalar(Graph g, String v) {
        Tensor t = g.initializers().get(v);
        return t != null && t.size() == 1 && t.dataType().isFloatingPoint() ? t.getDouble(0) : null;
    }

    /**
     * The view of operand {@code value}, shaped (batch, heads, tokens, d) — or (batch, heads, d,
     * tokens) when {@code transposed} (kᵀ) — through the movement from its source.
     */
    private static View view(Graph g, Map<String, Node> producers, Map<Node, Integer> order,
            Map<String, IndexMap.Ints> memo, String value, int batch, int heads, int tokens, int d, boolean transposed) {
        MovementDag dag = MovementDag.backward(g, producers, order, value);
        if (dag == null) {
            return null;
        }
        TensorType src = g.typeOf(dag.source);
        if (src == null || src.dataType() != io.srengine.DataType.FLOAT32) {
            return null;
        }
        int cols = TransformerFusion.lastDim(src);
        int[] map = dag.evaluate(g, memo).data();
        int[] rows = new int[batch * tokens];
        int[] headCol = new int[heads];
        Arrays.fill(headCol, -1);
        // Element (b, h, t, e) of the operand is at ((b·heads + h)·tokens + t)·d + e, or, transposed,
        // ((b·heads + h)·d + e)·tokens + t.
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int row = Integer.MIN_VALUE;
                for (int hh = 0; hh < heads; hh++) {
                    int first = map[index(b, hh, t, 0, heads, tokens, d, transposed)];
                    int r;
                    int c = -1;
                    if (first == 0) {
                        r = -1;
                    } else {
                        r = (first - 1) / cols;
                        c = (first - 1) % cols;
                        if (c + d > cols) {
                            return null;
                        }
                    }
                    for (int e = 1; e < d; e++) {
                        int x = map[index(b, hh, t, e, heads, tokens, d, transposed)];
                        if (x != (first == 0 ? 0 : first + e)) {
                            return null;
                        }
                    }
                    if (row != Integer.MIN_VALUE && row != r) {
                        return null;
                    }
                    row = r;
                    if (r >= 0) {
                        if (headCol[hh] >= 0 && headCol[hh] != c) {
                            return null;
                        }
                        headCol[hh] = c;
                    }
                }
                rows[b * tokens + t] = row;
            }
        }
        return affine(dag.source, rows, headCol);
    }

    private static int index(int b, int h, int t, int e, int heads, int tokens, int d, boolean transposed) {
        int bh = b * heads + h;
        return transposed ? (bh * d + e) * tokens + t : (bh * tokens + t) * d + e;
    }

    /** The view if the heads' columns are {@code col + h·stride}. */
    private static View affine(String source, int[] rows, int[] headCol) {
        if (headCol[0] < 0) {
            return null; // every row is padding: nothing to fuse
        }
        int stride = headCol.length > 1 ? headCol[1] - headCol[0] : 0;
        for (int h = 0; h < headCol.length; h++) {
            if (headCol[h] != headCol[0] + h * stride) {
                return null;
            }
        }
        return new View(source, rows, headCol[0], stride);
    }

    private record Out(int[] rows, int col, int headStride) {}

    /** Where the result (b, h, t, e) lands in the final value {@code o}, through {@code chain}. */
    private static Out output(Graph g, List<Node> chain, String result, String o, int[] resultShape, int batch,
            int heads, int tokens, int dv) {
        Map<String, IndexMap.Ints> values = new java.util.HashMap<>();
        values.put(result, IndexMap.iota(resultShape));
        for (Node c : chain) {
            values.put(c.output(0), IndexMap.apply(g, c, List.of(values.get(c.input(0)))));
        }
        int[] map = values.get(o).data();
        int cols = TransformerFusion.lastDim(g.typeOf(o));
        int size = batch * heads * tokens * dv;
        int[] where = new int[size];
        Arrays.fill(where, -1);
        for (int f = 0; f < map.length; f++) {
            if (map[f] == 0) {
                return null; // a final element that is not the attention's
            }
            if (where[map[f] - 1] >= 0) {
                return null; // one result copied twice
            }
            where[map[f] - 1] = f;
        }
        int[] rows = new int[batch * tokens];
        int[] headCol = new int[heads];
        Arrays.fill(headCol, -1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int row = Integer.MIN_VALUE;
                for (int h = 0; h < heads; h++) {
                    int first = where[index(b, h, t, 0, heads, tokens, dv, false)];
                    int r = first < 0 ? -1 : first / cols;
                    int c = first < 0 ? -1 : first % cols;
                    for (int e = 1; e < dv; e++) {
                        int x = where[index(b, h, t, e, heads, tokens, dv, false)];
                        if (x != (first < 0 ? -1 : first + e)) {
                            return null;
                        }
                    }
                    if (row != Integer.MIN_VALUE && row != r || c + dv > cols) {
                        return null;
                    }
                    row = r;
                    if (r >= 0) {
                        if (headCol[h] >= 0 && headCol[h] != c) {
                            return null;
                        }
                        headCol[h] = c;
                    }
                }
                rows[b * tokens + t] = row;
            }
        }
        View v = affine(o, rows, headCol);
        return v == null ? null : new Out(v.rows(), v.col(), v.headStride());
    }

    /**
     * The constant terms added to the scores, split into a position bias over (head, query, key) and
     * masks over (window mod period, query, key); and the scalar the product is multiplied by.
     */
    static final class Scores {
        double scale = 1;
        Tensor bias;
        Tensor masks;
        int[] maskOf;

        static Scores analyse(Graph g, List<Node> chain, int[] shape, int batch, int heads, int n, int m) {
            Scores s = new Scores();
            double[] bias = null;
            Map<Integer, double[]> periodic = new java.util.TreeMap<>();
            int[] scores = shape;
            int[] shapeNow = scores.clone();
            List<double[]> termMult = new ArrayList<>();
            // Each term is recorded with the product of the scalars applied after it.
            List<Object[]> pending = new ArrayList<>();
            for (Node p : chain) {
                switch (p.opType()) {
                    case "Reshape" -> shapeNow = g.typeOf(p.output(0)).shape().toIntArray();
                    case "Mul", "Div" -> {
                        double c = scalar(g, p.input(1));
                        double f = p.opType().equals("Mul") ? c : 1 / c;
                        s.scale *= f;
                        for (double[] t : termMult) {
                            t[0] *= f;
                        }
                    }
                    case "Add" -> {
                        Tensor c = g.initializers().get(g.isInitializer(p.input(1)) ? p.input(1) : p.input(0));
                        double[] mm = {1};
                        termMult.add(mm);
                        pending.add(new Object[] {c, shapeNow.clone(), mm});
                    }
                    default -> {
                        return null;
                    }
                }
            }
            for (Object[] t : pending) {
                Tensor c = (Tensor) t[0];
                int[] cs = (int[]) t[1];
                double f = ((double[]) t[2])[0];
                int[] c5 = align(c.shape(), cs.length);
                if (c5 == null) {
                    return null;
                }
                if (cs.length == 3 && Arrays.equals(cs, new int[] {batch, n, m})) {
                    // Single-head scores: the same as a head axis of size 1.
                    cs = new int[] {batch, 1, n, m};
                    c5 = new int[] {c5[0], 1, c5[1], c5[2]};
                }
                if (cs.length == 4 && Arrays.equals(cs, new int[] {batch, heads, n, m})) {
                    if (c5[0] == 1) {
                        bias = accumulate(bias, c, c5, heads, n, m, f, 1, 2, 3);
                    } else if (c5[1] == 1) {
                        periodic.merge(batch, perWindow(c, c5, batch, n, m, f, 0, 2, 3), AttentionFusion::sum);
                    } else {
                        return null;
                    }
                } else if (cs.length == 5 && cs[0] * cs[1] == batch && cs[2] == heads && cs[3] == n && cs[4] == m) {
                    if (c5[0] != 1) {
                        return null;
                    }
                    if (c5[1] == 1) {
                        bias = accumulate(bias, c, c5, heads, n, m, f, 2, 3, 4);
                    } else if (c5[2] == 1) {
                        periodic.merge(cs[1], perWindow(c, c5, cs[1], n, m, f, 1, 3, 4), AttentionFusion::sum);
                    } else {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            if (!Arrays.equals(shapeNow, scores)) {
                return null;
            }
            if (bias != null) {
                s.bias = Tensor.of(toFloats(bias), heads, n, m);
            }
            if (!periodic.isEmpty()) {
                int period = 1;
                for (int p : periodic.keySet()) {
                    period = lcm(period, p);
                }
                if (batch % period != 0) {
                    return null;
                }
                double[] all = new double[period * n * m];
                for (Map.Entry<Integer, double[]> e : periodic.entrySet()) {
                    int p = e.getKey();
                    for (int w = 0; w < period; w++) {
                        for (int i = 0; i < n * m; i++) {
                            all[w * n * m + i] += e.getValue()[(w % p) * n * m + i];
                        }
                    }
                }
                s.distinct(all, period, batch, n, m);
            }
            return s;
        }

        /** Stores each distinct non-zero mask once and which one window b uses (-1: none). */
        private void distinct(double[] all, int period, int batch, int n, int m) {
            int nm = n * m;
            List<float[]> unique = new ArrayList<>();
            int[] of = new int[period];
            for (int w = 0; w < period; w++) {
                float[] mk = toFloats(Arrays.copyOfRange(all, w * nm, (w + 1) * nm));
                boolean zero = true;
                for (float x : mk) {
                    zero &= x == 0;
                }
                if (zero) {
                    of[w] = -1;
                    continue;
                }
                int found = -1;
                for (int u = 0; u < unique.size() && found < 0; u++) {
                    if (Arrays.equals(unique.get(u), mk)) {
                        found = u;
                    }
                }
                if (found < 0) {
                    unique.add(mk);
                    found = unique.size() - 1;
                }
                of[w] = found;
            }
            maskOf = new int[batch];
            for (int b = 0; b < batch; b++) {
                maskOf[b] = of[b % period];
            }
            if (unique.isEmpty()) {
                maskOf = null;
                return;
            }
            float[] flat = new float[unique.size() * nm];
            for (int u = 0; u < unique.size(); u++) {
                System.arraycopy(unique.get(u), 0, flat, u * nm, nm);
            }
            masks = Tensor.of(flat, unique.size(), n, m);
        }
    }

    /** The tensor's shape right-aligned to rank {@code rank} with leading ones; null if longer. */
    private static int[] align(int[] shape, int rank) {
        if (shape.length > rank) {
            return null;
        }
        int[] r = new int[rank];
        Arrays.fill(r, 1);
        System.arraycopy(shape, 0, r, rank - shape.length, shape.length);
        return r;
    }

    /** {@code acc += f·c} over (head, query, key), with c's axes hAxis, nAxis, mAxis (size 1 broadcasts). */
    private static double[] accumulate(double[] acc, Tensor c, int[] cShape, int heads, int n, int m, double f,
            int hAxis, int nAxis, int mAxis) {
        double[] r = acc == null ? new double[heads * n * m] : acc;
        int[] st = IndexMap.strides(cShape);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    int at = (cShape[hAxis] == 1 ? 0 : h * st[hAxis]) + (cShape[nAxis] == 1 ? 0 : i * st[nAxis])
                            + (cShape[mAxis] == 1 ? 0 : j * st[mAxis]);
                    r[(h * n + i) * m + j] += f * c.getDouble(at);
                }
            }
        }
        return r;
    }

    /** f·c over (window, query, key) for {@code windows} windows, c's window axis {@code wAxis}. */
    private static double[] perWindow(Tensor c, int[] cShape, int windows, int n, int m, double f, int wAxis,
            int nAxis, int mAxis) {
        double[] r = new double[windows * n * m];
        int[] st = IndexMap.strides(cShape);
        for (int w = 0; w < windows; w++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    int at = (cShape[wAxis] == 1 ? 0 : w * st[wAxis]) + (cShape[nAxis] == 1 ? 0 : i * st[nAxis])
                            + (cShape[mAxis] == 1 ? 0 : j * st[mAxis]);
                    r[(w * n + i) * m + j] += f * c.getDouble(at);
                }
            }
        }
        return r;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += b[i];
        }
        return r;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
