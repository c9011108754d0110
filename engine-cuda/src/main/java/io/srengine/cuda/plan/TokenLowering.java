package io.srengine.cuda.plan;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.FusedActivation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers what runs on token sequences (see {@link Tokens}): movement ops become strided views of
 * their source, materialised by {@link MoveOp}s only where a reader needs a value's own layout;
 * row-wise ops read and write rows of the last axis; the internal ops of {@link
 * io.srengine.rewrite.TransformerFusion} become {@link AttentionOp}, {@link LayerNormOp}, {@link
 * RowGatherOp} and Linear as a 1x1 {@link ConvOp}. Works on {@link Lowering}'s op list and aliases.
 */
final class TokenLowering {
    private final Lowering l;
    private final Graph graph;
    private final List<PlanOp> ops;
    private final Map<String, String> alias;
    private final Map<String, int[]> partialShapes;
    /** Reshape/Transpose results kept as views of their source until something reads them. */
    private final Map<String, Tokens.View> pending = new HashMap<>();
    /** Logical shapes of the row buffers the lowering introduces. */
    private final Map<String, int[]> tempShapes = new HashMap<>();

    TokenLowering(Lowering l, Graph graph, List<PlanOp> ops, Map<String, String> alias, Map<String, int[]> partialShapes) {
        this.l = l;
        this.graph = graph;
        this.ops = ops;
        this.alias = alias;
        this.partialShapes = partialShapes;
    }

    private Tensor constant(String v) {
        return l.constant(v);
    }

    private boolean isConstant(String v) {
        return l.isConstant(v);
    }

    private String res(String v) {
        return l.res(v);
    }

    private int[] shape(String v) {
        return l.shape(v);
    }

    private static int axis(long a, int rank) {
        return TokenChecks.axis(a, rank);
    }

    /**
     * Whether an Attention's tables name every row and column of its output: the kernel writes only
     * those, and the rest must read as zeros (as the reference's fresh output does).
     */
    private boolean attentionCovers(Node n) {
        int[] out = shape(n.output(0));
        int width = out[out.length - 1];
        long rows = 1;
        for (int i = 0; i < out.length - 1; i++) {
            rows *= out[i];
        }
        int heads = (int) n.attrInt("heads", 0);
        int dv = (int) n.attrInt("dv", 0);
        long col = n.attrInt("out_col", 0);
        long step = n.attrInt("out_head", dv);
        if (col != 0 || step != dv || (long) heads * dv != width) {
            return false;
        }
        boolean[] seen = new boolean[Math.toIntExact(rows)];
        for (int r : constant(n.input(6)).ints()) {
            if (r >= 0 && r < rows) {
                seen[r] = true;
            }
        }
        for (boolean b : seen) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    /**
     * A constant broadcast against a token sequence of rank {@code rank}, laid out as the NCHW shape
     * of {@link Tokens#nchw}: {@code (B, L, C)} becomes {@code (B, C, 1, L)}, so its data is transposed.
     */
    static Tensor tokenConstant(Tensor t, int rank) {
        float[] src = t.toFloatArray();
        if (src.length == 1) {
            return Tensor.of(src, 1, 1, 1, 1);
        }
        int[] e = new int[rank];
        java.util.Arrays.fill(e, 1);
        int[] s = t.shape();
        System.arraycopy(s, 0, e, rank - s.length, s.length);
        int c = rank == 0 ? 1 : e[rank - 1];
        int b = rank == 3 ? e[0] : 1;
        int l = src.length / c / b;
        float[] dst = new float[src.length];
        for (int i = 0; i < b; i++) {
            for (int r = 0; r < l; r++) {
                for (int j = 0; j < c; j++) {
                    dst[(i * c + j) * l + r] = src[(i * l + r) * c + j];
                }
            }
        }
        return Tensor.of(dst, b, c, 1, l);
    }

    int[] logical(String v) {
        int[] t = tempShapes.get(v);
        return t != null ? t : shape(v);
    }

    static long numel(int[] s) {
        long n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    /** Where a value's elements are: a pending view, or its own (or its alias's) natural layout. */
    private Tokens.View viewOf(String v) {
        Tokens.View p = pending.get(v);
        if (p != null) {
            return p;
        }
        int[] s = logical(v);
        return new Tokens.View(res(v), s, Tokens.natural(s));
    }

    /** Gives a pending view a buffer of its own, for readers that need its natural layout. */
    void materialize(String v) {
        Tokens.View p = pending.remove(v);
        if (p != null) {
            ops.add(new MoveOp(v, p, v, logical(v)));
        }
    }

    /** Reshape, Transpose and friends: a view where possible, an alias when the view is the natural layout. */
    void lowerMove(Node n) {
        String y = n.output(0);
        int[] ys = shape(y);
        Tokens.View in = viewOf(n.input(0));
        Tokens.View out = switch (n.opType()) {
            case "Transpose" -> in.transpose(permutation(n, in.dims().length));
            case "Identity", "Dropout", "Cast" -> in;
            case "Expand" -> in.expand(ys);
            case "Gather" -> {
                int ax = axis(n.attrInt("axis", 0), in.dims().length);
                Tensor idx = constant(n.input(1));
                long i = idx.getLong(0);
                yield in.select(ax, i < 0 ? i + in.dims()[ax] : i, idx.rank() == 1);
            }
            case "Slice" -> slice(n, in);
            default -> in.reshape(ys);
        };
        if (out == null) {
            ops.add(new MoveOp(n.name(), in, y, ys));
        } else if (out.isNatural()) {
            alias.put(y, out.source());
        } else {
            pending.put(y, out);
        }
    }

    private Tokens.View slice(Node n, Tokens.View in) {
        int rank = in.dims().length;
        long[] starts = constant(n.input(1)).toLongArray();
        long[] ends = constant(n.input(2)).toLongArray();
        long[] axes = n.hasInput(3) ? constant(n.input(3)).toLongArray() : null;
        long[] steps = n.hasInput(4) ? constant(n.input(4)).toLongArray() : null;
        int[] ax = io.srengine.ops.SliceOp.checkParameters(n.describe(), rank, starts, ends, axes, steps);
        int[] out = shape(n.output(0));
        Tokens.View v = in;
        for (int k = 0; k < ax.length; k++) {
            long st = steps == null ? 1 : steps[k];
            long[] r = io.srengine.ops.SliceOp.axisRange(in.dims()[ax[k]], starts[k], ends[k], st);
            v = v.slice(ax[k], r[0], st, out[ax[k]]);
        }
        return v;
    }

    /** Gather of several constant indices: each selected slice moved into its place (an unfold's patches). */
    void lowerGatherRows(Node n) {
        Tensor idx = constant(n.input(1));
        if (idx.size() > 256) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                    + ": it gathers " + idx.size() + " slices (at most 256 are moved one by one)");
        }
        Tokens.View in = viewOf(n.input(0));
        int ax = axis(n.attrInt("axis", 0), in.dims().length);
        String y = n.output(0);
        int[] ys = shape(y);
        // The output with the index axes merged into one, so that slice j is index j's.
        int[] flat = in.dims().clone();
        flat[ax] = idx.size();
        Tokens.View whole = new Tokens.View(y, ys, Tokens.natural(ys)).reshape(flat);
        if (whole == null) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                    + ": its index axes cannot be addressed as one");
        }
        for (int j = 0; j < idx.size(); j++) {
            long i = idx.getLong(j);
            ops.add(new MoveOp(n.name(), in.select(ax, i < 0 ? i + in.dims()[ax] : i, true), whole.slice(ax, j, 1, 1)));
        }
    }

    /** Concat of token sequences: each input moved into its part of the output. */
    void lowerTokenConcat(Node n) {
        String y = n.output(0);
        int[] ys = shape(y);
        int axis = axis(n.attrInt("axis", 0), ys.length);
        Tokens.View whole = new Tokens.View(y, ys, Tokens.natural(ys));
        int at = 0;
        for (String in : n.inputs()) {
            int[] s = logical(in);
            if (s[axis] > 0) {
                ops.add(new MoveOp(n.name(), viewOf(in), whole.slice(axis, at, 1, s[axis])));
            }
            at += s[axis];
        }
    }

    private static long[] permutation(Node n, int rank) {
        long[] perm = n.attrInts("perm", null);
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        return perm;
    }

    /** The value holding {@code x} as rows of {@code width} elements {@code cs} apart, moved there if needed. */
    private String rowsIn(String node, String x, int width) {
        int[] rs = {Math.toIntExact(numel(logical(x)) / width), width};
        Tokens.View v = viewOf(x).reshape(rs);
        if (v != null && v.isNatural()) {
            return v.source();
        }
        String t = x + "#rows" + width;
        if (!tempShapes.containsKey(t)) {
            tempShapes.put(t, rs);
            partialShapes.put(t, Tokens.nchw(rs));
            ops.add(new MoveOp(node, viewOf(x), t, rs));
        }
        return t;
    }

    /** Where an op writing rows of {@code width} should put {@code y}: y itself, or rows moved on by {@link #finishRows}. */
    private String rowsOut(String y, int width) {
        int[] s = shape(y);
        if (s.length != 4 && s.length > 0 && s[s.length - 1] == width) {
            return y;
        }
        int[] rs = {Math.toIntExact(numel(s) / width), width};
        String t = y + "#rows";
        tempShapes.put(t, rs);
        partialShapes.put(t, Tokens.nchw(rs));
        return t;
    }

    private void finishRows(String node, String y, String rows) {
        if (rows.equals(y)) {
            return;
        }
        int[] rs = tempShapes.get(rows);
        int[] ys = shape(y);
        Tokens.View v = new Tokens.View(rows, rs, Tokens.natural(rs));
        Tokens.View out = v.reshape(ys);
        if (out == null) {
            ops.add(new MoveOp(node, v, y, ys));
        } else if (out.isNatural()) {
            alias.put(y, rows);
        } else {
            pending.put(y, out);
        }
    }

    void lowerTokenOp(Node n) {
        String x = n.input(0);
        String y = n.output(0);
        switch (n.opType()) {
            case "LayerNormalization" -> {
                int[] s = logical(x);
                int axis = axis(n.attrInt("axis", -1), s.length);
                int width = 1;
                for (int i = axis; i < s.length; i++) {
                    width *= s[i];
                }
                lowerNorm(n, x, null, null, y, n.input(1), n.hasInput(2) ? n.input(2) : null, width);
            }
            case "Softmax", "LogSoftmax" -> {
                int[] s = logical(x);
                ops.add(new SoftmaxOp(n.name(), res(x), y, s, axis(n.attrInt("axis", -1), s.length),
                        n.opType().equals("LogSoftmax")));
            }
            default -> {
                MatMulOp mm = new MatMulOp(n.name(), matOperand(n.input(0)), matOperand(n.input(1)), y, shape(y));
                if (!mm.walkable()) {
                    throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                            + ": the leading batch axes of its rank-5 operands cannot be walked as one");
                }
                ops.add(mm);
            }
        }
    }

    /**
     * ReduceMean or ReduceL2 where a shape is not rank 4: an image reduced without kept dims (into
     * its kept-dims form, then viewed as the result), or a token sequence reduced over its last axis
     * (its rows as the channels of a one-row image).
     */
    void lowerReduce(Node n) {
        String x = n.input(0);
        String y = n.output(0);
        boolean l2 = n.opType().equals("ReduceL2");
        int[] xs = logical(x);
        io.srengine.ops.ReduceSpec spec = io.srengine.ops.ReduceSpec.of(n, xs.length, n.hasInput(1) ? constant(n.input(1)) : null);
        int[] keep = xs.clone();
        for (int i = 0; i < xs.length; i++) {
            keep[i] = spec.reduces(i) ? 1 : xs[i];
        }
        String src;
        int[] s4;
        boolean[] r;
        if (xs.length == 4) {
            materialize(x);
            ownImage(n.name(), x);
            src = res(x);
            s4 = xs;
            r = new boolean[] {spec.reduces(0), spec.reduces(1), spec.reduces(2), spec.reduces(3)};
        } else {
            int width = xs[xs.length - 1];
            int rows = Math.toIntExact(numel(xs) / width);
            src = ownRows(n.name(), x, width);
            s4 = new int[] {1, width, 1, rows};
            r = new boolean[] {false, spec.reduces(xs.length - 1), false, false};
            keep = new int[] {rows, r[1] ? 1 : width};
        }
        int[] out4 = Tokens.nchw(keep);
        int[] ys = shape(y);
        if (java.util.Arrays.equals(keep, ys) && xs.length == 4) {
            l.reduce4(n.name(), src, s4, y, out4, r, l2);
            return;
        }
        String t = y + "#kept";
        tempShapes.put(t, keep);
        partialShapes.put(t, out4);
        l.reduce4(n.name(), src, s4, t, out4, r, l2);
        finishRows(n.name(), y, t);
    }

    /**
     * Makes image {@code x} (rank 4) live in a buffer of its own NCHW shape, for steps that read
     * their input's extents from its buffer (pooling, resizing, padding, slicing...): an alias of a
     * token sequence has the same bytes but not the same (n, h, w) split of its pixels, so it is
     * copied and later readers of {@code x} read the copy.
     */
    void ownImage(String node, String x) {
        int[] s = shape(x);
        String src = res(x);
        if (s.length != 4 || src.equals(x) || java.util.Arrays.equals(l.nchwOf(src), s)) {
            return;
        }
        String t = x + "#image";
        partialShapes.put(t, s);
        tempShapes.put(t, s);
        ops.add(new MoveOp(node, new Tokens.View(src, s, Tokens.natural(s)), t, s));
        alias.put(x, t);
    }

    /** Rows of {@code width} in a buffer whose own NCHW shape is (1, width, 1, rows), copied there if needed. */
    private String ownRows(String node, String x, int width) {
        String v = rowsIn(node, x, width);
        int rows = Math.toIntExact(numel(logical(x)) / width);
        int[] want = {1, width, 1, rows};
        int[] has = tempShapes.containsKey(v) ? Tokens.nchw(tempShapes.get(v)) : l.nchwOf(v);
        if (java.util.Arrays.equals(want, has)) {
            return v;
        }
        String t = x + "#ownrows" + width;
        if (!tempShapes.containsKey(t)) {
            int[] rs = {rows, width};
            tempShapes.put(t, rs);
            partialShapes.put(t, Tokens.nchw(rs));
            ops.add(new MoveOp(node, viewOf(x), t, rs));
        }
        return t;
    }

    /** The largest constant, in elements, expanded on the host to an output's shape. */
    static final long MAX_EXPANDED = 1L << 22;

    /** {@code t} broadcast (NumPy rules) to {@code out}, on the host. */
    static Tensor expand(Tensor t, int[] out) {
        float[] src = t.toFloatArray();
        int[] s = new int[out.length];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(t.shape(), 0, s, out.length - t.shape().length, t.shape().length);
        long n = numel(out);
        if (n > MAX_EXPANDED) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "a constant broadcast to " + java.util.Arrays.toString(out)
                    + " would take " + n + " elements on the device");
        }
        float[] dst = new float[(int) n];
        int[] idx = new int[out.length];
        for (int i = 0; i < dst.length; i++) {
            long off = 0;
            for (int a = 0; a < out.length; a++) {
                off = off * s[a] + (s[a] == 1 ? 0 : idx[a]);
            }
            dst[i] = src[(int) off];
            for (int a = out.length - 1; a >= 0 && ++idx[a] == out[a]; a--) {
                idx[a] = 0;
            }
        }
        return Tensor.of(dst, out);
    }

    private MatMulOp.Operand matOperand(String v) {
        return isConstant(v) ? new MatMulOp.Operand(null, constant(v).shape(), v, constant(v))
                : new MatMulOp.Operand(res(v), logical(v), null, null);
    }

    private void lowerNorm(Node n, String a, String b, String sum, String y, String scale, String bias, int width) {
        Tensor sc = constant(scale);
        Tensor bi = bias == null ? null : constant(bias);
        if (sc.size() != width || (bi != null && bi.size() != width)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                    + ": scale and bias must have the " + width + " normalised elements (no broadcasting)");
        }
        String ra = rowsIn(n.name(), a, width);
        String rb = b == null ? null : rowsIn(n.name(), b, width);
        String ry = rowsOut(y, width);
        String rs = sum == null || sum.isEmpty() ? null : rowsOut(sum, width);
        ops.add(new LayerNormOp(n.name(), ra, rb, rs, ry, scale, sc.toFloatArray(), bias,
                bi == null ? null : bi.toFloatArray(), n.attrFloat("epsilon", 1e-5f)));
        finishRows(n.name(), y, ry);
        if (rs != null) {
            finishRows(n.name(), sum, rs);
        }
    }

    void lowerInternal(Node n) {
        String x = n.input(0);
        String y = n.output(0);
        switch (n.opType()) {
            case "RowGather" -> {
                int[] s = logical(x);
                int width = s[s.length - 1];
                String rx = rowsIn(n.name(), x, width);
                String ry = rowsOut(y, width);
                ops.add(new RowGatherOp(n.name(), rx, ry, n.input(1), constant(n.input(1)).ints(), width));
                finishRows(n.name(), y, ry);
            }
            case "Linear" -> lowerLinear(n);
            case "AddLayerNormalization" -> {
                int[] s = logical(x);
                lowerNorm(n, x, n.input(1), n.output(0), n.output(1), n.input(2), n.hasInput(3) ? n.input(3) : null,
                        s[s.length - 1]);
            }
            default -> lowerAttention(n);
        }
    }

    /** Linear as a 1x1 convolution whose pixels are the token rows: the tensor-core GEMM and its epilogue. */
    private void lowerLinear(Node n) {
        Tensor w = constant(n.input(1));
        int k = w.shape()[0];
        int nOut = w.shape()[1];
        String rx = rowsIn(n.name(), n.input(0), k);
        int rows = Math.toIntExact(numel(logical(n.input(0))) / k);
        String ry = rowsOut(n.output(0), nOut);
        float[] src = w.toFloatArray();
        float[] wt = new float[src.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < nOut; j++) {
                wt[j * k + i] = src[i * nOut + j];
            }
        }
        Node conv = new Node(n.name(), "Conv", List.of(rx, n.input(1)), List.of(ry), Attributes.empty());
        ConvSpec spec = ConvSpec.of(conv, new int[] {1, k, 1, rows}, new int[] {nOut, k, 1, 1});
        Tensor b = n.hasInput(2) ? constant(n.input(2)) : null;
        ConvOp c = new ConvOp(n.name(), spec, rx, ry, n.input(1) + "#linear", Tensor.of(wt, nOut, k, 1, 1),
                b == null ? null : n.input(2), b, FusedActivation.NONE);
        c.tokens = true;
        c.epilogue.gelu = switch (n.attrString("activation", "")) {
            case "gelu" -> EpilogueSpec.GELU;
            case "gelu_tanh" -> EpilogueSpec.GELU_TANH;
            default -> 0;
        };
        if (n.hasInput(3)) {
            c.epilogue.residual = rowsIn(n.name(), n.input(3), nOut);
        }
        ops.add(c);
        finishRows(n.name(), n.output(0), ry);
    }

    private void lowerAttention(Node n) {
        String[] src = new String[3];
        for (int i = 0; i < 3; i++) {
            int[] s = logical(n.input(i));
            src[i] = rowsIn(n.name(), n.input(i), s[s.length - 1]);
        }
        int[] os = shape(n.output(0));
        String ry = rowsOut(n.output(0), os[os.length - 1]);
        if (!attentionCovers(n)) {
            ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.COPY, EltwiseOp.Operand.constant("#zero", Tensor.of(new float[] {0f}, 1)),
                    null, 0, 0, ry, Tokens.nchw(logical(ry))));
        }
        int d = (int) n.attrInt("d", 0);
        int dv = (int) n.attrInt("dv", 0);
        AttentionOp.Geometry g = new AttentionOp.Geometry((int) n.attrInt("batch", 0), (int) n.attrInt("heads", 0),
                (int) n.attrInt("n", 0), (int) n.attrInt("m", 0), d, dv, (int) n.attrInt("q_col", 0),
                (int) n.attrInt("k_col", 0), (int) n.attrInt("v_col", 0), (int) n.attrInt("out_col", 0),
                (int) n.attrInt("q_head", d), (int) n.attrInt("k_head", d), (int) n.attrInt("v_head", dv),
                (int) n.attrInt("out_head", dv), n.attrFloat("scale", 1f));
        ops.add(new AttentionOp(n.name(), src[0], src[1], src[2], ry, g, table(n, 3), table(n, 4), table(n, 5),
                table(n, 6), table(n, 7), table(n, 8), table(n, 9)));
        finishRows(n.name(), n.output(0), ry);
    }

    private AttentionOp.Table table(Node n, int i) {
        if (!n.hasInput(i)) {
            return null;
        }
        Tensor t = constant(n.input(i));
        return t.dataType().isFloatingPoint() ? new AttentionOp.Table(n.input(i), null, t.toFloatArray())
                : new AttentionOp.Table(n.input(i), t.ints(), null);
    }
}
