package io.srengine.cuda.plan;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.ConvTransposeSpec;
import io.srengine.ops.DepthToSpaceOp;
import io.srengine.ops.FusedActivation;
import io.srengine.ops.OpRegistry;
import io.srengine.ops.PoolSpec;
import io.srengine.ops.ReduceSpec;
import io.srengine.ops.ResizeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the nodes of a shape-specialised graph into {@link PlanOp}s, and says which nodes of a
 * (possibly symbolic) graph the CUDA backend cannot run and why. Activations must be float rank-4
 * tensors (images); constants of any rank broadcast into them. Nodes that only compute on shapes
 * (integer outputs) are folded away by {@link io.srengine.rewrite.ShapeSpecializer} before lowering.
 */
public final class Lowering {
    static final Set<String> UNARY = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Neg", "Abs", "Sqrt",
            "Exp", "Floor", "Ceil", "Reciprocal", "Erf", "Gelu");
    static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "PRelu", "Sum", "Mean");
    static final Set<String> ALIASES = Set.of("Identity", "Dropout", "Cast", "Reshape", "Flatten", "Squeeze",
            "Unsqueeze", "Expand", "Transpose", "Gather");
    static final Set<String> SPATIAL = Set.of("Conv", "ConvTranspose", "Resize", "DepthToSpace", "MaxPool",
            "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Pad", "ReduceMean", "ReduceL2", "BatchNormalization",
            "Concat", "Slice");
    /** Ops of transformer graphs that run on values of any rank (see {@link Tokens}). */
    static final Set<String> TOKEN_OPS = Set.of("LayerNormalization", "Softmax", "LogSoftmax", "MatMul");
    /** The internal ops of {@link io.srengine.rewrite.TransformerFusion} that have CUDA kernels. */
    static final Set<String> INTERNAL = Set.of("RowGather", "Linear", "AddLayerNormalization", "Attention");
    /** Dynamic shared memory one attention block may use (sm_86 allows 99 KB per block). */
    static final long ATTENTION_SHARED_LIMIT = 99 * 1024;

    private final Graph graph;
    private final Map<String, Node> producers;
    private final Map<String, String> alias = new HashMap<>();
    private final List<PlanOp> ops = new ArrayList<>();
    /** Shapes of values the lowering itself introduces (partial results, copied constants). */
    private final Map<String, int[]> partialShapes = new HashMap<>();
    /** Reshape/Transpose results kept as views of their source until something reads them. */
    private final Map<String, Tokens.View> pending = new HashMap<>();
    /** Logical shapes of the row buffers the lowering introduces. */
    private final Map<String, int[]> tempShapes = new HashMap<>();

    private Lowering(Graph graph) {
        this.graph = graph;
        this.producers = graph.producers();
    }

    /**
     * The ops of a specialised graph, the value each graph value is an alias of (Identity &amp; co),
     * and the shapes of values the lowering introduced (not in the graph).
     */
    public record Result(List<PlanOp> ops, Map<String, String> aliases, Map<String, int[]> extraShapes) {
        /** The value that holds {@code name}'s data. */
        public String resolve(String name) {
            String v = name;
            while (aliases.containsKey(v)) {
                v = aliases.get(v);
            }
            return v;
        }
    }

    /**
     * Lowers every node of {@code graph}, whose value types must all be concrete.
     *
     * @throws SrException {@code UNSUPPORTED_OP} naming the node when it cannot run on the GPU
     */
    public static Result lower(Graph graph) {
        Lowering l = new Lowering(graph);
        for (Node n : graph.nodes()) {
            String why = l.reason(n);
            if (why != null) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe() + ": " + why);
            }
            l.lowerNode(n);
        }
        for (io.srengine.graph.ValueInfo out : graph.outputs()) {
            l.materialize(out.name());
        }
        return new Result(l.ops, Map.copyOf(l.alias), Map.copyOf(l.partialShapes));
    }

    /** The nodes of a prepared (possibly symbolic) graph that the CUDA backend cannot run, with reasons. */
    public static Map<String, String> unsupported(Graph graph) {
        Lowering l = new Lowering(graph);
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            String why = l.reason(n);
            if (why != null) {
                out.put(n.name(), n.opType() + ": " + why);
            }
        }
        return out;
    }

    // ---- what is supported ----------------------------------------------------------------------

    private boolean isConstant(String v) {
        return graph.isInitializer(v);
    }

    /**
     * Whether a value is constant or computed from tensor shapes only (Shape and integer arithmetic on
     * it, as ncnn-model pre-paddings and crops are): plans are built for one input shape, where such a
     * value folds to a constant.
     */
    private boolean shapeDerived(String v) {
        if (isConstant(v)) {
            return true;
        }
        Node p = producers.get(v);
        return p != null && foldable(p);
    }

    private final Map<Node, Boolean> foldableMemo = new java.util.IdentityHashMap<>();

    /**
     * Whether a node computes only from constants and tensor shapes (Shape, integer arithmetic on it,
     * and the float masks a transformer builds from them): specialising the graph to one input size
     * folds it to a constant.
     */
    private boolean foldable(Node n) {
        Boolean known = foldableMemo.get(n);
        if (known != null) {
            return known;
        }
        foldableMemo.put(n, false);
        boolean f = n.opType().equals("Shape") || n.opType().equals("Size");
        if (!f) {
            f = true;
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !shapeDerived(in)) {
                    f = false;
                    break;
                }
            }
            f &= !n.inputs().isEmpty() || n.opType().equals("Constant") || n.opType().equals("Range")
                    || n.opType().equals("ConstantOfShape");
        }
        foldableMemo.put(n, f);
        return f;
    }

    private boolean shapeOnly(Node n) {
        for (String o : n.outputs()) {
            TensorType t = graph.typeOf(o);
            if (!o.isEmpty() && (t == null || t.dataType().isFloatingPoint())) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code n} cannot run, or null. */
    String reason(Node n) {
        boolean internal = OpRegistry.INTERNAL_DOMAIN.equals(n.domain());
        if (!internal && !n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            return "operators of domain '" + n.domain() + "' have no CUDA kernels";
        }
        if (shapeOnly(n) || foldable(n)) {
            return null;
        }
        String op = n.opType();
        if (internal) {
            return INTERNAL.contains(op) ? internalReason(n) : "no CUDA kernel for internal op " + op;
        }
        if (!UNARY.contains(op) && !BINARY.contains(op) && !ALIASES.contains(op) && !SPATIAL.contains(op)
                && !TOKEN_OPS.contains(op)) {
            return "no CUDA kernel for " + op;
        }
        boolean anyRank = !SPATIAL.contains(op) || tokenForm(n);
        for (int i = 0; i < n.inputs().size(); i++) {
            String in = n.input(i);
            if (in.isEmpty() || isConstant(in)) {
                continue;
            }
            TensorType t = graph.typeOf(in);
            if (t != null && t.dataType().isFloatingPoint() && t.dataType() != DataType.FLOAT32 && !op.equals("Cast")) {
                return "input '" + in + "' is " + t.dataType() + "; activations must be float32 (the session precision decides device types)";
            }
            if (t != null && !t.dataType().isFloatingPoint() && !auxiliaryInput(op, i)) {
                return "input '" + in + "' has type " + t.dataType() + " computed at run time; only float activations run on the GPU";
            }
            if (t != null && t.dataType().isFloatingPoint() && t.rank() != 4 && !anyRank) {
                return "input '" + in + "' has rank " + t.rank() + "; the CUDA backend runs " + op + " on rank-4 (NCHW) activations";
            }
        }
        for (String o : n.outputs()) {
            TensorType t = graph.typeOf(o);
            if (!o.isEmpty() && t != null && t.rank() != 4 && !anyRank) {
                return "output '" + o + "' has rank " + t.rank() + "; the CUDA backend runs " + op + " on rank-4 (NCHW) activations";
            }
        }
        for (String v : n.outputs()) {
            int[] s = v.isEmpty() ? null : knownShape(v);
            if (s != null && numel(s) == 0) {
                return "output '" + v + "' is empty";
            }
        }
        if (anyRank) {
            String why = anyRankReason(n);
            if (why != null) {
                return why;
            }
        }
        return switch (op) {
            case "Conv", "ConvTranspose" -> !isConstant(n.input(1)) ? "the weights must be constant"
                    : n.hasInput(2) && !isConstant(n.input(2)) ? "the bias must be constant"
                    : n.hasInput(FusedActivation.SLOPE_INPUT) && !isConstant(n.input(FusedActivation.SLOPE_INPUT))
                            ? "the fused PRelu slope must be constant" : null;
            case "Resize" -> resizeReason(n);
            case "Pad" -> padReason(n);
            case "MaxPool" -> n.outputs().size() > 1 && !n.output(1).isEmpty() ? "the Indices output is not supported" : null;
            case "ReduceMean" -> n.attrInt("keepdims", 1) == 0 ? "keepdims=0 is not supported (the result must stay rank 4)"
                    : n.hasInput(1) && !isConstant(n.input(1)) ? "axes must be constant" : null;
            case "BatchNormalization" -> {
                for (int i = 1; i < 5; i++) {
                    if (!isConstant(n.input(i))) {
                        yield "its parameters must be constant";
                    }
                }
                yield null;
            }
            case "Slice" -> {
                for (int i = 1; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && !shapeDerived(n.input(i))) {
                        yield "starts, ends, axes and steps must be constant";
                    }
                }
                yield null;
            }
            case "Clip" -> (n.hasInput(1) && !isConstant(n.input(1))) || (n.hasInput(2) && !isConstant(n.input(2)))
                    ? "min and max must be constant" : null;
            case "Cast" -> {
                long to = n.attrInt("to", 1);
                TensorType from = graph.typeOf(n.input(0));
                yield from != null && from.dataType() != DataType.FLOAT32
                        ? "Cast from " + from.dataType() + " of an activation (activations are float32 or the session precision)"
                        : to == DataType.FLOAT32.onnxCode() ? null
                        : "Cast to " + DataType.onnxName((int) to) + " of an activation (the session precision decides device types)";
            }
            case "ReduceL2" -> rankOf(n.input(0)) != 4 ? "only rank-4 inputs" : n.attrInt("keepdims", 1) == 0
                    ? "keepdims=0 is not supported (the result must stay rank 4)"
                    : n.hasInput(1) && !isConstant(n.input(1)) ? "axes must be constant" : null;
            default -> null;
        };
    }

    /** Slice and Concat of token sequences (any rank but 4): views and strided copies instead of the image kernels. */
    private boolean tokenForm(Node n) {
        if (!n.opType().equals("Slice") && !n.opType().equals("Concat")) {
            return false;
        }
        for (String v : n.inputs()) {
            TensorType t = v.isEmpty() ? null : graph.typeOf(v);
            if (t != null && t.dataType().isFloatingPoint() && t.rank() != 4) {
                return true;
            }
        }
        TensorType t = graph.typeOf(n.output(0));
        return t != null && t.rank() != 4;
    }

    private int[] knownShape(String v) {
        TensorType t = graph.typeOf(v);
        return t == null || !t.shape().isKnown() ? null : t.shape().toIntArray();
    }

    private int rankOf(String v) {
        TensorType t = graph.typeOf(v);
        return t == null ? -1 : t.rank();
    }

    /** Why an op that runs at any rank cannot run here, or null. */
    private String anyRankReason(Node n) {
        String op = n.opType();
        String y = n.output(0);
        int yr = rankOf(y);
        if (ALIASES.contains(op)) {
            for (String v : List.of(n.input(0), y)) {
                int[] s = knownShape(v);
                if (s != null && !MoveOp.fits(s)) {
                    return "'" + v + "' has more than " + MoveOp.MAX_RANK + " axes longer than 1";
                }
            }
            if (isConstant(n.input(0)) && yr != 4) {
                return "a constant of rank " + yr + " moved at run time (it should have been folded)";
            }
            if (op.equals("Gather") && !shapeDerived(n.input(1))) {
                return "only Gather of constant indices is supported";
            }
            return null;
        }
        switch (op) {
            case "Slice" -> {
                for (int i = 1; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && !shapeDerived(n.input(i))) {
                        return "starts, ends, axes and steps must be constant";
                    }
                }
                return null;
            }
            case "Concat" -> {
                for (String in : n.inputs()) {
                    if (isConstant(in)) {
                        return "a constant input of a Concat of rank " + yr;
                    }
                }
                return null;
            }
            case "MatMul" -> {
                for (String v : List.of(n.input(0), n.input(1), y)) {
                    int r = rankOf(v);
                    if (r < 2 || r > 4) {
                        return "MatMul of '" + v + "' of rank " + r + "; the CUDA kernel takes ranks 2 to 4";
                    }
                }
                return null;
            }
            case "Softmax", "LogSoftmax" -> {
                int[] s = knownShape(n.input(0));
                if (s != null && !SoftmaxOp.fits(s, axis(n.attrInt("axis", -1), s.length))) {
                    return "the rows of '" + n.input(0) + "' need more than three strided axes";
                }
                return null;
            }
            case "LayerNormalization" -> {
                if (!isConstant(n.input(1)) || (n.hasInput(2) && !isConstant(n.input(2)))) {
                    return "scale and bias must be constant";
                }
                for (int i = 1; i < n.outputs().size(); i++) {
                    if (!n.output(i).isEmpty()) {
                        return "the Mean and InvStdDev outputs are not supported";
                    }
                }
                return null;
            }
            default -> {
                // Elementwise: every operand must map onto the output's token layout.
                if (yr == 4) {
                    for (String in : n.inputs()) {
                        if (!in.isEmpty() && !isConstant(in) && rankOf(in) != 4) {
                            return "'" + in + "' of rank " + rankOf(in) + " combined with a rank-4 activation";
                        }
                    }
                    return null;
                }
                long count = n.inputs().stream().filter(v -> !v.isEmpty()).count();
                if (BINARY.contains(op) && count > 2) {
                    return "more than two inputs at rank " + yr;
                }
                int[] ys = knownShape(y);
                for (String in : n.inputs()) {
                    if (in.isEmpty()) {
                        continue;
                    }
                    int r = rankOf(in);
                    if (r > yr || r == 4) {
                        return "'" + in + "' of rank " + r + " broadcast to rank " + yr;
                    }
                    int[] s = knownShape(in);
                    if (ys != null && s != null && !tokenBroadcasts(s, ys, isConstant(in))) {
                        return "'" + in + "' " + java.util.Arrays.toString(s) + " broadcasts to "
                                + java.util.Arrays.toString(ys) + " across merged row axes";
                    }
                }
                return null;
            }
        }
    }

    /**
     * Whether a value of shape {@code s} broadcasts to {@code out} (rank other than 4) in the token
     * layout: at ranks up to 3 every axis stays an axis of its own; above, the leading axes are merged
     * into rows, so an operand must cover them all or be one row (or a scalar constant).
     */
    static boolean tokenBroadcasts(int[] s, int[] out, boolean constant) {
        if (out.length <= 3) {
            return true;
        }
        long size = 1;
        for (int d : s) {
            size *= d;
        }
        if (constant && size == 1) {
            return true;
        }
        int off = out.length - s.length;
        boolean full = off == 0;
        boolean row = true;
        for (int i = 0; i < s.length; i++) {
            full &= s[i] == out[i];
            if (off + i < out.length - 1) {
                row &= s[i] == 1;
            }
        }
        return full || row;
    }

    private static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    /** Why an internal op cannot run, or null. */
    private String internalReason(Node n) {
        switch (n.opType()) {
            case "RowGather" -> {
                return isConstant(n.input(1)) ? null : "the row table must be constant";
            }
            case "Linear" -> {
                return !isConstant(n.input(1)) ? "the weights must be constant"
                        : n.hasInput(2) && !isConstant(n.input(2)) ? "the bias must be constant" : null;
            }
            case "AddLayerNormalization" -> {
                return !isConstant(n.input(2)) || (n.hasInput(3) && !isConstant(n.input(3)))
                        ? "scale and bias must be constant" : null;
            }
            default -> {
                for (int i = 3; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && !isConstant(n.input(i))) {
                        return "its row tables, bias and masks must be constant";
                    }
                }
                int d = (int) n.attrInt("d", 0);
                int dv = (int) n.attrInt("dv", 0);
                int m = (int) n.attrInt("m", 0);
                if (AttentionOp.headBound(d, dv) < 0) {
                    return "head dimensions " + d + "/" + dv + " are above the kernels' "
                            + AttentionOp.HEAD_DIMS[AttentionOp.HEAD_DIMS.length - 1];
                }
                if (AttentionOp.sharedBytes(m, d, dv) > ATTENTION_SHARED_LIMIT) {
                    return m + " keys of " + d + "+" + dv + " values do not fit one block's shared memory";
                }
                return null;
            }
        }
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

    /** Inputs that carry shapes, indices or parameters rather than activations. */
    private static boolean auxiliaryInput(String op, int i) {
        return i > 0 && switch (op) {
            case "Reshape", "Squeeze", "Unsqueeze", "Expand", "Slice", "Pad", "Resize", "ReduceMean", "ReduceL2", "Gather" -> true;
            default -> false;
        };
    }

    private boolean sameShape(Node n) {
        TensorType a = graph.typeOf(n.input(0));
        TensorType b = graph.typeOf(n.output(0));
        return a != null && b != null && a.shape().equals(b.shape());
    }

    private String resizeReason(Node n) {
        for (int i = 1; i < n.inputs().size(); i++) {
            if (n.hasInput(i) && !isConstant(n.input(i))) {
                return "roi, scales and sizes must be constant";
            }
        }
        if ("tf_crop_and_resize".equals(n.attrString("coordinate_transformation_mode", ""))) {
            return "coordinate_transformation_mode tf_crop_and_resize is not supported";
        }
        TensorType in = graph.typeOf(n.input(0));
        TensorType out = graph.typeOf(n.output(0));
        if (in != null && out != null) {
            for (int ax = 0; ax < 2; ax++) {
                if (!in.shape().dim(ax).equals(out.shape().dim(ax))) {
                    return "only the spatial axes (H, W) can be resized";
                }
            }
        }
        return null;
    }

    private String padReason(Node n) {
        if (!shapeDerived(n.input(1)) || (n.hasInput(2) && !isConstant(n.input(2))) || (n.hasInput(3) && !isConstant(n.input(3)))) {
            return "pads, constant_value and axes must be constant";
        }
        if (!isConstant(n.input(1))) {
            // computed from the input's shape: a constant once the plan is specialised, and checked then
            return null;
        }
        long[][] amounts = io.srengine.ops.PadOp.amounts(n.describe(), 4, constant(n.input(1)).toLongArray(),
                n.hasInput(3) ? constant(n.input(3)).toLongArray() : null);
        for (int ax = 0; ax < 2; ax++) {
            if (amounts[0][ax] != 0 || amounts[1][ax] != 0) {
                return "only H and W can be padded";
            }
        }
        return null;
    }

    // ---- lowering ---------------------------------------------------------------------------------

    private Tensor constant(String v) {
        return graph.initializers().get(v);
    }

    private String res(String v) {
        while (alias.containsKey(v)) {
            v = alias.get(v);
        }
        return v;
    }

    private int[] shape(String v) {
        TensorType t = graph.typeOf(v);
        if (t == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + v + "' has no type after specialisation");
        }
        return t.shape().toIntArray();
    }

    private EltwiseOp.Operand operand(String v) {
        return isConstant(v) ? EltwiseOp.Operand.constant(v, constant(v)) : EltwiseOp.Operand.value(res(v));
    }

    /** An operand of an elementwise op whose output has rank {@code rank}, constants mapped like the output. */
    private EltwiseOp.Operand operand(String v, int rank) {
        if (rank == 4) {
            return operand(v);
        }
        if (!isConstant(v)) {
            return EltwiseOp.Operand.value(res(v), Tokens.nchw(logical(v)));
        }
        Tensor t = tokenConstant(constant(v), rank);
        return EltwiseOp.Operand.constant(Tokens.key(v + "#tokens", t.toFloatArray()), t);
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

    private void lowerNode(Node n) {
        if (shapeOnly(n) || foldable(n)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                    + ": it computes from shapes or data at run time what specialisation should have folded");
        }
        String x = n.input(0);
        String y = n.output(0);
        if (OpRegistry.INTERNAL_DOMAIN.equals(n.domain())) {
            lowerInternal(n);
            return;
        }
        if (n.opType().equals("Gather") && !isConstant(x) && constant(n.input(1)).size() != 1) {
            lowerGatherRows(n);
            return;
        }
        if ((ALIASES.contains(n.opType()) && !isConstant(x)) || (n.opType().equals("Slice") && tokenForm(n))) {
            lowerMove(n);
            return;
        }
        if (n.opType().equals("Concat") && tokenForm(n)) {
            lowerTokenConcat(n);
            return;
        }
        for (String in : n.inputs()) {
            if (!in.isEmpty()) {
                materialize(in);
            }
        }
        if (TOKEN_OPS.contains(n.opType())) {
            lowerTokenOp(n);
            return;
        }
        switch (n.opType()) {
            case "Identity", "Dropout", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Expand", "Transpose" -> {
                if (isConstant(x)) {
                    ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.COPY, operand(x), null, 0, 0, y, shape(y)));
                } else {
                    alias.put(y, res(x));
                }
            }
            case "Conv" -> {
                Tensor w = constant(n.input(1));
                ConvSpec spec = ConvSpec.of(n, shape(x), w.shape());
                Tensor slope = n.hasInput(FusedActivation.SLOPE_INPUT) ? constant(n.input(FusedActivation.SLOPE_INPUT)) : null;
                ops.add(new ConvOp(n.name(), spec, res(x), y, n.input(1), w, n.hasInput(2) ? n.input(2) : null,
                        n.hasInput(2) ? constant(n.input(2)) : null, FusedActivation.of(n, slope)));
            }
            case "ConvTranspose" -> {
                Tensor w = constant(n.input(1));
                ConvTransposeSpec spec = ConvTransposeSpec.of(n, shape(x), w.shape());
                Tensor slope = n.hasInput(FusedActivation.SLOPE_INPUT) ? constant(n.input(FusedActivation.SLOPE_INPUT)) : null;
                ops.add(new ConvTransposeOp(n.name(), spec, res(x), y, n.input(1), w, n.hasInput(2) ? n.input(2) : null,
                        n.hasInput(2) ? constant(n.input(2)) : null, FusedActivation.of(n, slope)));
            }
            case "Resize" -> {
                ResizeSpec spec = ResizeSpec.of(n, shape(x), opt(n, 1), opt(n, 2), opt(n, 3));
                ops.add(new ResizeOp(n.name(), spec, res(x), y));
            }
            case "DepthToSpace" -> ops.add(new io.srengine.cuda.plan.DepthToSpaceOp(n.name(), res(x), y,
                    (int) n.attrInt("blocksize"), !DepthToSpaceOp.isCrd(n)));
            case "MaxPool", "AveragePool" -> {
                PoolSpec p = PoolSpec.of(n, shape(x));
                ops.add(new PoolOp(n.name(), res(x), y, n.opType().equals("MaxPool"), p.countIncludePad(),
                        new int[] {p.kernel(0), p.kernel(1)}, new int[] {p.stride(0), p.stride(1)},
                        new int[] {p.padBegin(0), p.padBegin(1)}, new int[] {p.padEnd(0), p.padEnd(1)},
                        new int[] {p.dilation(0), p.dilation(1)}));
            }
            case "GlobalAveragePool" -> {
                int[] s = shape(x);
                ops.add(new GlobalAvgPoolOp(n.name(), res(x), y, s[0], s[1], s[2] * s[3]));
            }
            case "GlobalMaxPool" -> {
                int[] s = shape(x);
                ops.add(new PoolOp(n.name(), res(x), y, true, false, new int[] {s[2], s[3]}, new int[] {1, 1},
                        new int[] {0, 0}, new int[] {0, 0}, new int[] {1, 1}));
            }
            case "ReduceMean" -> {
                int[] s = shape(x);
                ReduceSpec spec = ReduceSpec.of(n, 4, opt(n, 1));
                boolean[] r = {spec.reduces(0), spec.reduces(1), spec.reduces(2), spec.reduces(3)};
                if (!r[0] && !r[1] && r[2] && r[3]) {
                    ops.add(new GlobalAvgPoolOp(n.name(), res(x), y, s[0], s[1], s[2] * s[3]));
                } else if (!r[0] && !r[1] && !r[2] && !r[3]) {
                    alias.put(y, res(x));
                } else {
                    ops.add(new ReduceMeanOp(n.name(), res(x), y, r));
                }
            }
            case "Pad" -> lowerPad(n, x, y);
            case "ReduceL2" -> lowerReduceL2(n, x, y);
            case "Concat" -> {
                int axis = (int) n.attrInt("axis");
                axis = axis < 0 ? axis + 4 : axis;
                List<String> ins = new ArrayList<>();
                for (String in : n.inputs()) {
                    if (isConstant(in)) {
                        String c = n.name() + "#const" + ins.size();
                        partialShapes.put(c, Broadcasts.padTo4(constant(in).shape()));
                        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.COPY, operand(in), null, 0, 0, c, shape(in)));
                        ins.add(c);
                    } else if (shape(in)[axis] > 0) {
                        ins.add(res(in));
                    }
                }
                ops.add(new ConcatOp(n.name(), ins, y, axis));
            }
            case "Slice" -> lowerSlice(n, x, y);
            case "BatchNormalization" -> lowerBatchNorm(n, x, y);
            default -> lowerElementwise(n, y);
        }
    }

    private Tensor opt(Node n, int i) {
        return n.hasInput(i) ? constant(n.input(i)) : null;
    }

    // ---- values of any rank (see Tokens) ------------------------------------------------------------

    private int[] logical(String v) {
        int[] t = tempShapes.get(v);
        return t != null ? t : shape(v);
    }

    private static long numel(int[] s) {
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
    private void lowerMove(Node n) {
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
    private void lowerGatherRows(Node n) {
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
    private void lowerTokenConcat(Node n) {
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

    /** ReduceL2 as sqrt(count · mean(x²)) over the reduced axes, with the image kernels. */
    private void lowerReduceL2(Node n, String x, String y) {
        int[] s = shape(x);
        ReduceSpec spec = ReduceSpec.of(n, 4, opt(n, 1));
        boolean[] r = {spec.reduces(0), spec.reduces(1), spec.reduces(2), spec.reduces(3)};
        long count = 1;
        for (int i = 0; i < 4; i++) {
            count *= r[i] ? s[i] : 1;
        }
        String sq = n.name() + "#squares";
        String mean = n.name() + "#mean";
        partialShapes.put(sq, s);
        partialShapes.put(mean, shape(y));
        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.MUL, operand(x), operand(x), 0, 0, sq, s));
        ops.add(new ReduceMeanOp(n.name(), sq, mean, r));
        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.AFFINE, EltwiseOp.Operand.value(mean), null, count, 0,
                n.name() + "#sum", shape(y)));
        partialShapes.put(n.name() + "#sum", shape(y));
        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.SQRT, EltwiseOp.Operand.value(n.name() + "#sum"), null, 0, 0, y,
                shape(y)));
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

    private void lowerTokenOp(Node n) {
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
            default -> ops.add(new MatMulOp(n.name(), matOperand(n.input(0)), matOperand(n.input(1)), y, shape(y)));
        }
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

    private void lowerInternal(Node n) {
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

    private void lowerElementwise(Node n, String y) {
        String op = n.opType();
        int[] out = Tokens.nchw(shape(y));
        int rank = shape(y).length;
        if (UNARY.contains(op)) {
            EltwiseOp.Operand a = operand(n.input(0), rank);
            switch (op) {
                case "Relu" -> ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.RELU, a, null, 0, 0, y, out));
                case "LeakyRelu" -> ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.LEAKY, a, null,
                        n.attrFloat("alpha", 0.01f), 0, y, out));
                case "Clip" -> {
                    float lo = n.hasInput(1) ? (float) constant(n.input(1)).getDouble(0) : Float.NEGATIVE_INFINITY;
                    float hi = n.hasInput(2) ? (float) constant(n.input(2)).getDouble(0) : Float.POSITIVE_INFINITY;
                    ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.CLIP, a, null, lo, hi, y, out));
                }
                default -> ops.add(new EltwiseOp(n.name(), switch (op) {
                    case "Sigmoid" -> EltwiseOp.Code.SIGMOID;
                    case "Tanh" -> EltwiseOp.Code.TANH;
                    case "Neg" -> EltwiseOp.Code.NEG;
                    case "Abs" -> EltwiseOp.Code.ABS;
                    case "Sqrt" -> EltwiseOp.Code.SQRT;
                    case "Exp" -> EltwiseOp.Code.EXP;
                    case "Floor" -> EltwiseOp.Code.FLOOR;
                    case "Ceil" -> EltwiseOp.Code.CEIL;
                    case "Erf" -> EltwiseOp.Code.ERF;
                    case "Gelu" -> "tanh".equals(n.attrString("approximate", "none")) ? EltwiseOp.Code.GELU_TANH
                            : EltwiseOp.Code.GELU;
                    default -> EltwiseOp.Code.RECIPROCAL;
                }, a, null, 0, 0, y, out));
            }
            return;
        }
        EltwiseOp.Code code = switch (op) {
            case "Add", "Sum", "Mean" -> EltwiseOp.Code.ADD;
            case "Sub" -> EltwiseOp.Code.SUB;
            case "Mul" -> EltwiseOp.Code.MUL;
            case "Div" -> EltwiseOp.Code.DIV;
            case "Pow" -> EltwiseOp.Code.POW;
            case "Max" -> EltwiseOp.Code.MAX;
            case "Min" -> EltwiseOp.Code.MIN;
            default -> EltwiseOp.Code.PRELU;
        };
        List<String> ins = n.inputs().stream().filter(s -> !s.isEmpty()).toList();
        if (ins.size() == 1) {
            // Sum/Max/Min/Mean of one input is the input.
            ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.COPY, operand(ins.get(0), rank), null, 0, 0, y, out));
            return;
        }
        // Variadic ops fold pairwise from the left: ((a op b) op c) ...; Mean scales at the end.
        EltwiseOp.Operand acc = operand(ins.get(0), rank);
        boolean mean = op.equals("Mean");
        for (int i = 1; i < ins.size(); i++) {
            boolean last = i == ins.size() - 1 && !mean;
            String target = last ? y : n.name() + "#partial" + i;
            int[] shape = last ? out : broadcastShape(acc, ins.get(i), rank);
            ops.add(new EltwiseOp(n.name(), code, acc, operand(ins.get(i), rank), 0, 0, target, shape));
            acc = EltwiseOp.Operand.value(target);
            if (!last) {
                partialShapes.put(target, shape);
            }
        }
        if (mean) {
            ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.AFFINE, acc, null, 1f / ins.size(), 0, y, out));
        }
    }


    private int[] broadcastShape(EltwiseOp.Operand a, String b, int rank) {
        int[] sa = a.isConstant() ? Broadcasts.padTo4(a.constant().shape())
                : partialShapes.containsKey(a.value()) ? partialShapes.get(a.value())
                : a.nchw() != null ? a.nchw() : Broadcasts.padTo4(shape(a.value()));
        int[] sb = rank != 4 ? (isConstant(b) ? tokenConstant(constant(b), rank).shape() : Tokens.nchw(logical(b)))
                : Broadcasts.padTo4(isConstant(b) ? constant(b).shape() : shape(b));
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = Math.max(sa[i], sb[i]);
        }
        return r;
    }

    private void lowerPad(Node n, String x, String y) {
        int[] in = shape(x);
        int[] out = shape(y);
        io.srengine.ops.PadOp.Mode mode = io.srengine.ops.PadOp.mode(n);
        long[][] a = io.srengine.ops.PadOp.amounts(n.describe(), 4, constant(n.input(1)).toLongArray(),
                n.hasInput(3) ? constant(n.input(3)).toLongArray() : null);
        float value = n.hasInput(2) && constant(n.input(2)).size() > 0 ? (float) constant(n.input(2)).getDouble(0) : 0f;
        int[] rows = PadOp.table(mode, out[2], in[2], a[0][2], a[1][2]);
        int[] cols = PadOp.table(mode, out[3], in[3], a[0][3], a[1][3]);
        ops.add(new PadOp(n.name(), res(x), y, rows, cols, value));
    }

    private void lowerSlice(Node n, String x, String y) {
        int[] in = shape(x);
        long[] starts = constant(n.input(1)).toLongArray();
        long[] ends = constant(n.input(2)).toLongArray();
        long[] axes = n.hasInput(3) ? constant(n.input(3)).toLongArray() : null;
        long[] steps = n.hasInput(4) ? constant(n.input(4)).toLongArray() : null;
        int[] ax = io.srengine.ops.SliceOp.checkParameters(n.describe(), 4, starts, ends, axes, steps);
        long[] start = new long[4];
        long[] step = {1, 1, 1, 1};
        for (int k = 0; k < ax.length; k++) {
            long st = steps == null ? 1 : steps[k];
            long[] r = io.srengine.ops.SliceOp.axisRange(in[ax[k]], starts[k], ends[k], st);
            start[ax[k]] = r[0];
            step[ax[k]] = st;
        }
        ops.add(new SliceOp(n.name(), res(x), y, start, step));
    }

    private void lowerBatchNorm(Node n, String x, String y) {
        float[] scale = constant(n.input(1)).toFloatArray();
        float[] bias = constant(n.input(2)).toFloatArray();
        float[] mean = constant(n.input(3)).toFloatArray();
        float[] var = constant(n.input(4)).toFloatArray();
        double eps = n.attrFloat("epsilon", 1e-5f);
        int c = scale.length;
        float[] a = new float[c];
        float[] b = new float[c];
        for (int i = 0; i < c; i++) {
            double s = scale[i] / Math.sqrt(var[i] + eps);
            a[i] = (float) s;
            b[i] = (float) (bias[i] - mean[i] * s);
        }
        int[] out = shape(y);
        String mid = n.name() + "#scaled";
        partialShapes.put(mid, out);
        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.MUL, operand(x),
                EltwiseOp.Operand.constant(n.name() + "#bn_scale", Tensor.of(a, c, 1, 1)), 0, 0, mid, out));
        ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.ADD, EltwiseOp.Operand.value(mid),
                EltwiseOp.Operand.constant(n.name() + "#bn_shift", Tensor.of(b, c, 1, 1)), 0, 0, y, out));
    }
}
