package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.OpRegistry;
import io.srengine.reference.KernelContext;
import io.srengine.reference.ReferenceKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-layout transformer kernels against the reference kernels of the same nodes, on seeded
 * random inputs in [-1, 1] with odd sizes (1, 3, 7, 16, 17, 33, 64) so that every tail runs: the rows
 * past a 4-row GEMM tile, the columns past a panel, the keys past a vector. The module runs these at
 * 128, 256 and 512 bits. Outputs start as NaN, so an element a kernel forgets to write fails.
 */
class TransformerKernelsTest {
    static final double NMSE = 1e-10;

    private static Tensor random(long seed, int... shape) {
        return Tensor.of(TestData.uniform(seed, Tensor.checkedSize(shape)), shape);
    }

    private static FlatView view(Tensor t) {
        // Offset into a wider array, as the plan's shared buffers are.
        float[] a = new float[t.size() + 19];
        Arrays.fill(a, Float.NaN);
        System.arraycopy(t.floats(), 0, a, 7, t.size());
        return new FlatView(a, 7, t.shape());
    }

    private static FlatView poisoned(int... shape) {
        float[] a = new float[Tensor.checkedSize(shape) + 11];
        Arrays.fill(a, Float.NaN);
        return new FlatView(a, 5, shape);
    }

    private static float[] values(FlatView v) {
        return Arrays.copyOfRange(v.data(), v.offset(), v.offset() + v.size());
    }

    /** Runs {@code node}'s reference kernel; inputs by position (null for absent). */
    private static Tensor[] reference(Node template, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputs[i] == null ? "" : "in" + i);
        }
        while (!names.isEmpty() && names.getLast().isEmpty()) {
            names.removeLast();
        }
        Node node = template.withInputs(names);
        List<io.srengine.graph.TensorType> types = new ArrayList<>();
        Map<String, Tensor> constants = new java.util.HashMap<>();
        List<TensorType> inTypes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            inTypes.add(inputs[i] == null ? null : TensorType.of(inputs[i].dataType(), inputs[i].shape()));
            if (inputs[i] != null) {
                constants.put(node.input(i), inputs[i]);
            }
        }
        types.addAll(OpRegistry.get(node.opType()).infer(new io.srengine.ops.InferenceContext(node, inTypes,
                constants::get, 21)));
        return ReferenceKernels.get(node.opType()).run(new KernelContext(node, Arrays.copyOf(inputs, names.size()),
                types, 21));
    }

    private static Node node(String op, int inputs, int outputs, Attributes a) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add("in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        boolean internal = OpRegistry.isInternal(op);
        return new Node("n", op, internal ? OpRegistry.INTERNAL_DOMAIN : "", in, out, a);
    }

    private static void close(float[] got, Tensor want, String what) {
        float[] e = want.floats();
        assertEquals(e.length, got.length, what);
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(got[i] - e[i]) <= 2e-5 * (1 + Math.abs(e[i])), what + ": element " + i + " is "
                    + got[i] + ", reference " + e[i]);
        }
        TestData.assertClose(got, e, NMSE, what);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void linearWithBiasGeluAndResidual(int n) {
        for (int k : new int[] {1, 7, 16, 33}) {
            for (int rows : new int[] {1, 5, 6, 13, 50}) {
                for (String act : new String[] {"", "gelu", "gelu_tanh"}) {
                    Tensor x = random(k * 100 + n, 2, rows, k).reshape(2 * rows, k);
                    Tensor w = random(7 + n, k, n);
                    Tensor b = random(9 + k, n);
                    Tensor r = random(11 + rows, 2 * rows, n);
                    boolean withBias = (rows + k) % 2 == 0;
                    boolean withResidual = rows % 2 == 1;
                    Node node = node("Linear", 4, 1, Attributes.empty().with("activation", act));
                    Tensor want = reference(node, x, w, withBias ? b : null, withResidual ? r : null)[0];
                    FlatView y = poisoned(2 * rows, n);
                    VectorLinear l = new VectorLinear(VectorLinear.Packed.of(w, withBias ? b : null), view(x), y,
                            withResidual ? view(r) : null, VectorMath.activationCode(act), 2);
                    TestData.runAll(l, l.items());
                    close(values(y), want, "Linear " + k + "->" + n + " rows " + 2 * rows + " act '" + act + "'");
                }
            }
        }
    }

    /**
     * A Linear as the plan runs it, through a worker pool of 1 and of 2 threads, on transformer-like
     * sizes with tails everywhere (K and N not multiples of a vector, rows not a multiple of the 4-row
     * tile nor of the item): close to the reference, and the same bits for either thread count and
     * on a second run (items write disjoint rows with a fixed order of arithmetic).
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "gelu", "gelu_tanh"})
    void linearThreadedMatchesReferenceAndIsBitIdenticalAcrossThreads(String act) {
        int[][] shapes = {{60, 180, 301}, {61, 37, 97}, {120, 60, 53}, {9, 120, 203}};
        for (int[] s : shapes) {
            int k = s[0];
            int n = s[1];
            int rows = s[2];
            Tensor x = random(k + 31L * n, rows, k);
            Tensor w = random(k * 7L + n, k, n);
            Tensor b = random(n * 3L, n);
            Tensor r = random(rows * 5L + n, rows, n);
            Node node = node("Linear", 4, 1, Attributes.empty().with("activation", act));
            Tensor want = reference(node, x, w, b, r)[0];
            VectorLinear.Packed p = VectorLinear.Packed.of(w, b);
            float[] first = null;
            for (int threads : new int[] {1, 2, 2}) {
                FlatView y = poisoned(rows, n);
                VectorLinear l = new VectorLinear(p, view(x), y, view(r), VectorMath.activationCode(act), threads);
                try (WorkerPool pool = new WorkerPool(threads)) {
                    pool.run(l, l.items());
                }
                String what = "Linear " + k + "->" + n + " rows " + rows + " act '" + act + "' threads " + threads;
                close(values(y), want, what);
                if (first == null) {
                    first = values(y);
                } else {
                    assertTrue(Arrays.equals(first, values(y)), what + ": bits differ from the 1-thread run");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void layerNormAndAddLayerNorm(int c) {
        for (int rows : new int[] {1, 3, 40}) {
            Tensor a = random(c + rows, rows, c);
            Tensor bb = random(c * 3 + rows, rows, c);
            Tensor scale = random(5 * c, c);
            Tensor bias = random(6 * c, c);
            Node ln = node("LayerNormalization", 3, 1, Attributes.empty().with("epsilon", 1e-6f));
            Tensor want = reference(ln, a, scale, bias)[0];
            FlatView y = poisoned(rows, c);
            VectorLayerNorm k = new VectorLayerNorm(view(a), null, null, y, scale.floats(), bias.floats(), 1e-6f);
            TestData.runAll(k, k.items());
            close(values(y), want, "LayerNorm c=" + c + " rows " + rows);

            Node add = node("AddLayerNormalization", 4, 2, Attributes.empty().with("epsilon", 1e-5f));
            Tensor[] ref = reference(add, a, bb, scale, null);
            FlatView sum = poisoned(rows, c);
            FlatView y2 = poisoned(rows, c);
            VectorLayerNorm k2 = new VectorLayerNorm(view(a), view(bb), sum, y2, scale.floats(), null, 1e-5f);
            TestData.runAll(k2, k2.items());
            close(values(sum), ref[0], "AddLayerNorm sum c=" + c);
            close(values(y2), ref[1], "AddLayerNorm c=" + c);
        }
    }

    /** Random row tables with some padding (-1) rows; each output row written once. */
    private static int[] table(SplittableRandom r, int count, int rows, boolean padding) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = padding && r.nextInt(7) == 0 ? -1 : r.nextInt(rows);
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void attentionThroughRowTables(int m) {
        SplittableRandom r = new SplittableRandom(m);
        for (int heads : new int[] {1, 3}) {
            for (int d : new int[] {1, 5, 16, 17}) {
                int batch = 3;
                int n = Math.max(1, m - 2 + heads);
                int dv = d + 2;
                int tokens = batch * Math.max(n, m) + 4;
                // q, k and v packed in one projection of rows [q heads | k heads | v heads | spare].
                int cols = heads * (2 * d + dv) + 3;
                Tensor qkv = random(m * 31 + d, tokens, cols);
                int[] qRows = table(r, batch * n, tokens, true);
                int[] kRows = table(r, batch * m, tokens, true);
                int[] vRows = table(r, batch * m, tokens, true);
                int outCols = heads * dv + 2;
                int[] outRows = new int[batch * n];
                for (int i = 0; i < outRows.length; i++) {
                    outRows[i] = i % 5 == 4 ? -1 : i;
                }
                Tensor bias = random(m + 1, heads, n, m);
                Tensor masks = random(m + 2, 2, n, m);
                int[] maskOf = {1, -1, 0};
                Attributes a = Attributes.empty().with("batch", (long) batch).with("heads", (long) heads)
                        .with("n", (long) n).with("m", (long) m).with("d", (long) d).with("dv", (long) dv)
                        .with("scale", 0.37f).with("q_col", 1L).with("k_col", (long) (heads * d + 1))
                        .with("v_col", (long) (2 * heads * d + 1)).with("q_head", (long) d).with("k_head", (long) d)
                        .with("v_head", (long) dv).with("out_col", 2L).with("out_head", (long) dv)
                        .with("out_shape", new long[] {batch * n, outCols});
                Node node = node("Attention", 10, 1, a);
                Tensor want = reference(node, qkv, qkv, qkv, Tensor.ofInts(qRows, qRows.length),
                        Tensor.ofInts(kRows, kRows.length), Tensor.ofInts(vRows, vRows.length),
                        Tensor.ofInts(outRows, outRows.length), bias, masks, Tensor.ofInts(maskOf, 3))[0];
                FlatView src = view(qkv);
                FlatView y = poisoned(batch * n, outCols);
                // Rows the attention does not write keep what was there: zeros, as the reference allocates.
                for (int i = 0; i < y.size(); i++) {
                    y.data()[y.offset() + i] = 0f;
                }
                VectorAttention k = new VectorAttention(node, src, src, src, y, qRows, kRows, vRows, outRows,
                        bias.floats(), masks.floats(), maskOf, 1);
                TestData.runAll(k, k.items());
                close(values(y), want, "Attention m=" + m + " heads " + heads + " d " + d);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void rowOpsSoftmaxAndReductions(int c) {
        Tensor x = random(c * 13, 5, c);
        for (int i = 0; i < x.size(); i += 3) {
            x.floats()[i] *= 30;
        }
        for (String op : new String[] {"Softmax", "LogSoftmax"}) {
            Tensor want = reference(node(op, 1, 1, Attributes.empty().with("axis", -1L)), x)[0];
            FlatView y = poisoned(5, c);
            VectorRowOps k = new VectorRowOps(op.equals("Softmax") ? VectorRowOps.Op.SOFTMAX : VectorRowOps.Op.LOG_SOFTMAX,
                    view(x), y);
            TestData.runAll(k, k.items());
            close(values(y), want, op + " c=" + c);
        }
        Map<String, VectorRowOps.Op> reductions = Map.of("ReduceMean", VectorRowOps.Op.MEAN, "ReduceSum",
                VectorRowOps.Op.SUM, "ReduceMax", VectorRowOps.Op.MAX, "ReduceL2", VectorRowOps.Op.L2);
        for (var e : reductions.entrySet()) {
            Node node = node(e.getKey(), 2, 1, Attributes.empty().with("keepdims", 1L));
            Tensor want = reference(node, x, Tensor.ofLongs(new long[] {-1}, 1))[0];
            FlatView y = poisoned(5, 1);
            VectorRowOps k = new VectorRowOps(e.getValue(), view(x), y);
            TestData.runAll(k, k.items());
            close(values(y), want, e.getKey() + " c=" + c);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void matMulOfTwoValuesWithBroadcast(int n) {
        for (int k : new int[] {1, 9, 33}) {
            Tensor a = random(n + k, 2, 3, 7, k);
            Tensor b = random(n * k + 1, 3, k, n);
            Tensor want = reference(node("MatMul", 2, 1, Attributes.empty()), a, b)[0];
            FlatView y = poisoned(2, 3, 7, n);
            VectorMatMul m = new VectorMatMul(view(a), view(b), y);
            TestData.runAll(m, m.items());
            close(values(y), want, "MatMul k=" + k + " n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void elementwiseWithBroadcasts(int c) {
        Tensor a = random(c, 2, 5, c);
        Tensor[] seconds = {random(c + 1, 2, 5, c), random(c + 2, c), random(c + 3, 2, 5, 1), random(c + 4, 1),
            random(c + 5, 5, c)};
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "Max", "Min"}) {
            for (Tensor b : seconds) {
                Tensor want = reference(node(op, 2, 1, Attributes.empty()), a, b)[0];
                FlatView y = poisoned(2, 5, c);
                VectorFlatElementwise e = VectorFlatElementwise.binary(
                        VectorFlatElementwise.Op.valueOf(op.toUpperCase(java.util.Locale.ROOT)), view(a), view(b), y);
                TestData.runAll(e, e.items());
                close(values(y), want, op + " by " + Arrays.toString(b.shape()));
                // The broadcast operand first, too.
                Tensor want2 = reference(node(op, 2, 1, Attributes.empty()), b, a)[0];
                FlatView y2 = poisoned(2, 5, c);
                VectorFlatElementwise e2 = VectorFlatElementwise.binary(
                        VectorFlatElementwise.Op.valueOf(op.toUpperCase(java.util.Locale.ROOT)), view(b), view(a), y2);
                TestData.runAll(e2, e2.items());
                close(values(y2), want2, op + " of " + Arrays.toString(b.shape()));
            }
        }
        Tensor x = random(c * 7, 3, c);
        for (int i = 0; i < x.size(); i += 5) {
            x.floats()[i] *= 6;
        }
        Map<String, VectorFlatElementwise.Op> unary = Map.of("Relu", VectorFlatElementwise.Op.RELU, "Sigmoid",
                VectorFlatElementwise.Op.SIGMOID, "Tanh", VectorFlatElementwise.Op.TANH, "Gelu",
                VectorFlatElementwise.Op.GELU, "Erf", VectorFlatElementwise.Op.ERF, "Exp", VectorFlatElementwise.Op.EXP,
                "Neg", VectorFlatElementwise.Op.NEG, "Abs", VectorFlatElementwise.Op.ABS);
        for (var e : unary.entrySet()) {
            Tensor want = reference(node(e.getKey(), 1, 1, Attributes.empty()), x)[0];
            FlatView y = poisoned(3, c);
            VectorFlatElementwise k = VectorFlatElementwise.unary(e.getValue(), view(x), y, 0, 0);
            TestData.runAll(k, k.items());
            close(values(y), want, e.getKey() + " c=" + c);
        }
        Tensor want = reference(node("Gelu", 1, 1, Attributes.empty().with("approximate", "tanh")), x)[0];
        FlatView y = poisoned(3, c);
        VectorFlatElementwise k = VectorFlatElementwise.unary(VectorFlatElementwise.Op.GELU_TANH, view(x), y, 0, 0);
        TestData.runAll(k, k.items());
        close(values(y), want, "Gelu tanh c=" + c);
        // Ops with a domain or a parameter, on positive inputs where they need them.
        Tensor pos = random(c * 11, 3, c);
        for (int i = 0; i < pos.size(); i++) {
            pos.floats()[i] = Math.abs(pos.floats()[i]) + 0.1f;
        }
        Map<String, VectorFlatElementwise.Op> positive = Map.of("Sqrt", VectorFlatElementwise.Op.SQRT, "Log",
                VectorFlatElementwise.Op.LOG, "Reciprocal", VectorFlatElementwise.Op.RECIPROCAL, "Identity",
                VectorFlatElementwise.Op.IDENTITY);
        for (var e : positive.entrySet()) {
            Tensor w = reference(node(e.getKey(), 1, 1, Attributes.empty()), pos)[0];
            FlatView yp = poisoned(3, c);
            VectorFlatElementwise kp = VectorFlatElementwise.unary(e.getValue(), view(pos), yp, 0, 0);
            TestData.runAll(kp, kp.items());
            close(values(yp), w, e.getKey() + " c=" + c);
        }
        Tensor wl = reference(node("LeakyRelu", 1, 1, Attributes.empty().with("alpha", 0.2f)), x)[0];
        FlatView yl = poisoned(3, c);
        VectorFlatElementwise kl = VectorFlatElementwise.unary(VectorFlatElementwise.Op.LEAKY_RELU, view(x), yl, 0.2f, 0);
        TestData.runAll(kl, kl.items());
        close(values(yl), wl, "LeakyRelu c=" + c);
        Tensor wp = reference(node("Pow", 2, 1, Attributes.empty()), pos, x)[0];
        FlatView yw = poisoned(3, c);
        VectorFlatElementwise kw = VectorFlatElementwise.binary(VectorFlatElementwise.Op.POW, view(pos), view(x), yw);
        TestData.runAll(kw, kw.items());
        close(values(yw), wp, "Pow c=" + c);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void rowGather(int c) {
        SplittableRandom r = new SplittableRandom(c);
        Tensor x = random(c, 9, c);
        int[] rows = table(r, 14, 9, true);
        Node node = node("RowGather", 2, 1, Attributes.empty().with("shape", new long[] {2, 7, c}));
        Tensor want = reference(node, x, Tensor.ofInts(rows, rows.length))[0];
        FlatView y = poisoned(2, 7, c);
        VectorRowGather k = new VectorRowGather(view(x), y, rows);
        TestData.runAll(k, k.items());
        close(values(y), want, "RowGather c=" + c);
    }

    /** Runs a movement node through the plan (FlatLowerings builds the gather) on cpu and reference. */
    private static void movement(String op, Attributes a, Tensor x, Tensor... constants) {
        io.srengine.testing.GraphBuilder b = new io.srengine.testing.GraphBuilder(op, 21);
        Object[] dims = new Object[x.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = x.dim(i);
        }
        String in = b.input("x", dims);
        List<String> ins = new ArrayList<>(List.of(in));
        for (Tensor c : constants) {
            ins.add(c == null ? "" : b.constant("c", c));
        }
        // A Relu first so that the movement reads a value a plain kernel wrote.
        ins.set(0, b.op("Relu", in));
        b.output(b.op("Sigmoid", b.op(op, ins, a.asMap())));
        io.srengine.graph.Graph g = b.build();
        Map<String, Tensor> feed = Map.of("x", x);
        float[] got;
        try (KernelHarness h = new KernelHarness(g, feed, 2)) {
            got = h.runAll().values().iterator().next().floats();
        }
        io.srengine.Model m = io.srengine.Model.fromGraph(g, true);
        Tensor want;
        try (io.srengine.Session s = m.newSession(io.srengine.SessionOptions.builder().backend("reference").build())) {
            want = s.run(x);
        }
        close(got, want, op + " " + a);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void movementOps(int c) {
        Tensor x = random(c * 5, 2, 3, 5, c);
        movement("Transpose", Attributes.empty().with("perm", new long[] {0, 3, 1, 2}), x);
        movement("Transpose", Attributes.empty().with("perm", new long[] {2, 0, 3, 1}), x);
        movement("Slice", Attributes.empty(), x, Tensor.ofLongs(new long[] {1, 0}, 2), Tensor.ofLongs(new long[] {4, c}, 2),
                Tensor.ofLongs(new long[] {2, 3}, 2), Tensor.ofLongs(new long[] {2, 1}, 2));
        movement("Slice", Attributes.empty(), x, Tensor.ofLongs(new long[] {-1}, 1), Tensor.ofLongs(new long[] {-6}, 1),
                Tensor.ofLongs(new long[] {2}, 1), Tensor.ofLongs(new long[] {-1}, 1));
        movement("Pad", Attributes.empty(), x, Tensor.ofLongs(new long[] {0, 0, 1, 2, 0, 0, 2, 1}, 8));
        movement("Pad", Attributes.empty().with("mode", "reflect"), x,
                Tensor.ofLongs(new long[] {0, 0, 2, 0, 0, 0, 1, 0}, 8));
        movement("Gather", Attributes.empty().with("axis", 1L), x, Tensor.ofLongs(new long[] {2, 0, 2}, 3));
        movement("Gather", Attributes.empty().with("axis", 0L), x, Tensor.ofLongs(new long[] {1}));
        movement("Concat", Attributes.empty().with("axis", 3L), x);
        movement("Expand", Attributes.empty(), random(c, 3, 1, c), Tensor.ofLongs(new long[] {2, 3, 4, c}, 4));
    }

    /**
     * Transposes that move the innermost axis (the strided, per-element path of the gather), with
     * rows that span several items and odd sizes, and a padded (filled) gather.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void stridedTransposes(int c) {
        movement("Transpose", Attributes.empty().with("perm", new long[] {0, 2, 1}), random(c + 1, 2, 37, c));
        movement("Transpose", Attributes.empty().with("perm", new long[] {0, 2, 1}), random(c + 2, 1, 300, c));
        movement("Transpose", Attributes.empty().with("perm", new long[] {2, 0, 3, 4, 1}), random(c + 3, 2, 19, 3, 2, c));
        movement("Transpose", Attributes.empty().with("perm", new long[] {0, 1, 3, 2}), random(c + 4, 2, 3, c, 41));
        movement("Pad", Attributes.empty(), random(c + 5, 1, 2, c, 5), Tensor.ofLongs(new long[] {0, 0, 1, 2, 0, 0, 2, 1}, 8));
    }
}
