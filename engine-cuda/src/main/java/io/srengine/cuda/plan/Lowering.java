package io.srengine.cuda.plan;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
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
    private final TokenChecks checks;
    private final TokenLowering tokens;

    private Lowering(Graph graph) {
        this.graph = graph;
        this.producers = graph.producers();
        this.checks = new TokenChecks(this, graph);
        this.tokens = new TokenLowering(this, graph, ops, alias, partialShapes);
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
            l.tokens.materialize(out.name());
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

    boolean isConstant(String v) {
        return graph.isInitializer(v);
    }

    /**
     * Whether a value is constant or computed from tensor shapes only (Shape and integer arithmetic on
     * it, as ncnn-model pre-paddings and crops are): plans are built for one input shape, where such a
     * value folds to a constant.
     */
    boolean shapeDerived(String v) {
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
            return INTERNAL.contains(op) ? checks.internalReason(n) : "no CUDA kernel for internal op " + op;
        }
        if (!UNARY.contains(op) && !BINARY.contains(op) && !ALIASES.contains(op) && !SPATIAL.contains(op)
                && !TOKEN_OPS.contains(op)) {
            return "no CUDA kernel for " + op;
        }
        boolean anyRank = !SPATIAL.contains(op) || checks.tokenForm(n);
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
            int[] s = v.isEmpty() ? null : checks.knownShape(v);
            if (s != null && TokenLowering.numel(s) == 0) {
                return "output '" + v + "' is empty";
            }
        }
        if (anyRank) {
            String why = checks.anyRankReason(n);
            if (why != null || checks.tokenForm(n)) {
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
            case "ReduceMean", "ReduceL2" -> n.hasInput(1) && !isConstant(n.input(1)) ? "axes must be constant" : null;
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
            default -> null;
        };
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
            if (n.hasInput(i) && !shapeDerived(n.input(i))) {
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
                // Symbolic extents are checked once the plan is specialised to an input size.
                boolean known = in.shape().dim(ax).isKnown() && out.shape().dim(ax).isKnown();
                if (known && !in.shape().dim(ax).equals(out.shape().dim(ax))) {
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

    Tensor constant(String v) {
        return graph.initializers().get(v);
    }

    String res(String v) {
        while (alias.containsKey(v)) {
            v = alias.get(v);
        }
        return v;
    }

    /** The NCHW shape of the buffer of a lowered value (graph value or one the lowering introduced). */
    int[] nchwOf(String v) {
        int[] p = partialShapes.get(v);
        return p != null ? p : Tokens.nchw(shape(v));
    }

    int[] shape(String v) {
        TensorType t = graph.typeOf(v);
        if (t == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + v + "' has no type after specialisation");
        }
        return t.shape().toIntArray();
    }

    /**
     * An operand of a rank-4 op. An activation is read with its own NCHW extents, which an alias of a
     * token sequence's buffer does not carry (see {@link Tokens}).
     */
    private EltwiseOp.Operand operand(String v) {
        if (isConstant(v)) {
            return EltwiseOp.Operand.constant(v, constant(v));
        }
        TensorType t = graph.typeOf(v);
        return t != null && t.rank() == 4 ? EltwiseOp.Operand.value(res(v), t.shape().toIntArray())
                : EltwiseOp.Operand.value(res(v));
    }

    /**
     * An operand of an elementwise op whose output has shape {@code out}, constants mapped like the
     * output; a constant that broadcasts across the merged row axes of a rank-5+ output is expanded
     * to the output's shape here (the layout cannot express that broadcast).
     */
    private EltwiseOp.Operand operand(String v, int[] out) {
        int rank = out.length;
        if (rank == 4) {
            return operand(v);
        }
        if (!isConstant(v)) {
            return EltwiseOp.Operand.value(res(v), Tokens.nchw(tokens.logical(v)));
        }
        Tensor c = constant(v);
        if (!TokenChecks.tokenBroadcasts(c.shape(), out, false)) {
            c = TokenLowering.expand(c, out);
        }
        Tensor t = TokenLowering.tokenConstant(c, rank);
        return EltwiseOp.Operand.constant(Tokens.key(v + "#tokens", t.toFloatArray()), t);
    }

    private void lowerNode(Node n) {
        if (shapeOnly(n) || foldable(n)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run " + n.describe()
                    + ": it computes from shapes or data at run time what specialisation should have folded");
        }
        String x = n.input(0);
        String y = n.output(0);
        if (OpRegistry.INTERNAL_DOMAIN.equals(n.domain())) {
            tokens.lowerInternal(n);
            return;
        }
        if (n.opType().equals("Gather") && !isConstant(x) && constant(n.input(1)).size() != 1) {
            tokens.lowerGatherRows(n);
            return;
        }
        if ((ALIASES.contains(n.opType()) && !isConstant(x)) || (n.opType().equals("Slice") && checks.tokenForm(n))) {
            tokens.lowerMove(n);
            return;
        }
        if (n.opType().equals("Concat") && checks.tokenForm(n)) {
            tokens.lowerTokenConcat(n);
            return;
        }
        for (String in : n.inputs()) {
            if (!in.isEmpty()) {
                tokens.materialize(in);
            }
        }
        if (TOKEN_OPS.contains(n.opType())) {
            tokens.lowerTokenOp(n);
            return;
        }
        if (SPATIAL.contains(n.opType()) && !n.opType().startsWith("Conv")) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !isConstant(in) && graph.typeOf(in).dataType().isFloatingPoint()) {
                    tokens.ownImage(n.name(), in);
                }
            }
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
            case "ReduceMean", "ReduceL2" -> tokens.lowerReduce(n);
            case "Pad" -> lowerPad(n, x, y);
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

    /** ReduceL2 as sqrt(count · mean(x²)) over the reduced axes, with the image kernels. */
    /**
     * ReduceMean, or ReduceL2 as sqrt(count · mean(x²)), of the NCHW-shaped value {@code x} (its
     * storage, {@code s}) over the flagged axes into {@code y}, whose storage has the reduced axes
     * kept as 1 ({@code out}).
     */
    void reduce4(String node, String x, int[] s, String y, int[] out, boolean[] r, boolean l2) {
        if (!l2 && !r[0] && !r[1] && r[2] && r[3]) {
            ops.add(new GlobalAvgPoolOp(node, x, y, s[0], s[1], s[2] * s[3]));
            return;
        }
        if (!l2 && !r[0] && !r[1] && !r[2] && !r[3]) {
            alias.put(y, x);
            return;
        }
        if (!l2) {
            ops.add(new ReduceMeanOp(node, x, y, r));
            return;
        }
        long count = 1;
        for (int i = 0; i < 4; i++) {
            count *= r[i] ? s[i] : 1;
        }
        String sq = node + "#squares";
        String mean = node + "#mean";
        String sum = node + "#sum";
        partialShapes.put(sq, s);
        partialShapes.put(mean, out);
        partialShapes.put(sum, out);
        ops.add(new EltwiseOp(node, EltwiseOp.Code.MUL, EltwiseOp.Operand.value(x, s), EltwiseOp.Operand.value(x, s), 0,
                0, sq, s));
        ops.add(new ReduceMeanOp(node, sq, mean, r));
        ops.add(new EltwiseOp(node, EltwiseOp.Code.AFFINE, EltwiseOp.Operand.value(mean), null, count, 0, sum, out));
        ops.add(new EltwiseOp(node, EltwiseOp.Code.SQRT, EltwiseOp.Operand.value(sum), null, 0, 0, y, out));
    }

    private void lowerElementwise(Node n, String y) {
        String op = n.opType();
        int[] out = Tokens.nchw(shape(y));
        int[] logicalOut = shape(y);
        int rank = logicalOut.length;
        if (UNARY.contains(op)) {
            EltwiseOp.Operand a = operand(n.input(0), logicalOut);
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
            ops.add(new EltwiseOp(n.name(), EltwiseOp.Code.COPY, operand(ins.get(0), logicalOut), null, 0, 0, y, out));
            return;
        }
        // Variadic ops fold pairwise from the left: ((a op b) op c) ...; Mean scales at the end.
        EltwiseOp.Operand acc = operand(ins.get(0), logicalOut);
        boolean mean = op.equals("Mean");
        for (int i = 1; i < ins.size(); i++) {
            boolean last = i == ins.size() - 1 && !mean;
            String target = last ? y : n.name() + "#partial" + i;
            int[] shape = last ? out : broadcastShape(acc, ins.get(i), rank);
            ops.add(new EltwiseOp(n.name(), code, acc, operand(ins.get(i), logicalOut), 0, 0, target, shape));
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
        int[] sb = rank != 4 ? (isConstant(b) ? TokenLowering.tokenConstant(constant(b), rank).shape() : Tokens.nchw(tokens.logical(b)))
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
