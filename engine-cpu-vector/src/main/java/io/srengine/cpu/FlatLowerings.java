package io.srengine.cpu;

import io.srengine.DataType;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.DepthToSpaceOp;
import io.srengine.ops.PadOp;
import io.srengine.ops.SliceOp;
import io.srengine.ops.TransposeOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes run on plain (row-major) values with a vector kernel, and their steps: the fused
 * transformer ops (Linear, Attention, LayerNormalization, AddLayerNormalization, RowGather), the
 * element-wise ops, Softmax and reductions along the last axis, matrix products of two run-time
 * values, and data movement. Reshapes of a plain value are views of it ({@link #isView}). Image
 * values that the blocked kernels can take go there instead (see {@link Lowerings}).
 */
final class FlatLowerings {
    private final PlanBuilder b;
    private final Graph g;

    FlatLowerings(PlanBuilder b) {
        this.b = b;
        this.g = b.g;
    }

    private boolean f32(String v) {
        if (v.isEmpty()) {
            return true;
        }
        TensorType t = g.typeOf(v);
        return t != null && t.dataType() == DataType.FLOAT32;
    }

    private boolean allF32(Node n) {
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !(g.isInitializer(in) && !dataInputs(n).contains(in)) && !f32(in)) {
                return false;
            }
        }
        for (String o : n.outputs()) {
            if (!f32(o)) {
                return false;
            }
        }
        return true;
    }

    private Tensor init(Node n, int i) {
        return n.hasInput(i) ? g.initializers().get(n.input(i)) : null;
    }

    private boolean constOrAbsent(Node n, int i) {
        return !n.hasInput(i) || g.isInitializer(n.input(i));
    }

    private int rank(String v) {
        return Operands.shape(g, v).length;
    }

    private boolean lastAxis(Node n, long deflt) {
        long a = n.attrInt("axis", deflt);
        int r = rank(n.input(0));
        return a == -1 || a == r - 1;
    }

    boolean accepts(Node n) {
        try {
            if (!allF32(n)) {
                return false;
            }
            return switch (n.opType()) {
                case "Linear" -> g.isInitializer(n.input(1)) && constOrAbsent(n, 2);
                case "Attention" -> constOrAbsent(n, 7) && constOrAbsent(n, 8) && allConst(n, 3, 7)
                        && constOrAbsent(n, 9);
                case "LayerNormalization" -> lastAxis(n, -1) && g.isInitializer(n.input(1)) && constOrAbsent(n, 2)
                        && onlyFirstOutput(n);
                case "AddLayerNormalization" -> g.isInitializer(n.input(2)) && constOrAbsent(n, 3);
                case "RowGather" -> g.isInitializer(n.input(1));
                case "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow" -> n.inputs().size() == 2;
                case "Relu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal",
                        "LeakyRelu" -> true;
                case "Clip" -> scalarOrAbsent(n, 1) && scalarOrAbsent(n, 2);
                case "Softmax", "LogSoftmax" -> lastAxis(n, -1);
                case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceL2" -> reducesLastAxisOnly(n);
                case "MatMul" -> rank(n.input(0)) >= 2 && rank(n.input(1)) >= 2 && !g.isInitializer(n.input(0));
                case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> constOrAbsent(n, 1) && !g.isInitializer(n.input(0));
                case "Transpose", "Expand", "Tile", "DepthToSpace", "SpaceToDepth" -> !g.isInitializer(n.input(0))
                        && constRest(n, 1);
                case "Slice", "Gather" -> !g.isInitializer(n.input(0)) && constRest(n, 1);
                case "Pad" -> !g.isInitializer(n.input(0)) && constRest(n, 1) && scalarOrAbsent(n, 2);
                case "Concat" -> {
                    boolean any = false;
                    for (String in : n.inputs()) {
                        any |= !g.isInitializer(in);
                    }
                    yield any;
                }
                default -> false;
            };
        } catch (SrException e) {
            return false;
        }
    }

    private boolean onlyFirstOutput(Node n) {
        for (int i = 1; i < n.outputs().size(); i++) {
            if (!n.output(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private boolean allConst(Node n, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!n.hasInput(i) || !g.isInitializer(n.input(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean constRest(Node n, int from) {
        for (int i = from; i < n.inputs().size(); i++) {
            if (n.hasInput(i) && !g.isInitializer(n.input(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean scalarOrAbsent(Node n, int i) {
        return !n.hasInput(i) || g.isInitializer(n.input(i)) && init(n, i).size() <= 1;
    }

    private boolean reducesLastAxisOnly(Node n) {
        if (!constOrAbsent(n, 1)) {
            return false;
        }
        int r = rank(n.input(0));
        Tensor axes = init(n, 1);
        long[] a = axes != null ? axes.toLongArray() : n.attrInts("axes", null);
        if (a == null || a.length != 1 || r == 0) {
            return false;
        }
        return a[0] == -1 || a[0] == r - 1;
    }

    /** Whether the node's output is its input 0 seen with another shape (no copy). */
    boolean isView(Node n) {
        return switch (n.opType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> true;
            default -> false;
        };
    }

    /** The inputs the node reads as plain float values at run time (not its constants). */
    List<String> dataInputs(Node n) {
        List<String> l = new ArrayList<>();
        switch (n.opType()) {
            case "Linear" -> {
                l.add(n.input(0));
                if (n.hasInput(3)) {
                    l.add(n.input(3));
                }
            }
            case "Attention" -> {
                for (int i = 0; i < 3; i++) {
                    if (!l.contains(n.input(i))) {
                        l.add(n.input(i));
                    }
                }
            }
            case "AddLayerNormalization" -> {
                l.add(n.input(0));
                if (!n.input(1).equals(n.input(0))) {
                    l.add(n.input(1));
                }
            }
            case "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "MatMul", "Concat" -> {
                for (String in : n.inputs()) {
                    if (!in.isEmpty() && !g.isInitializer(in) && !l.contains(in)) {
                        l.add(in);
                    }
                }
            }
            default -> l.add(n.input(0));
        }
        return l;
    }

    // ---- steps -----------------------------------------------------------------------------------

    /** A view of {@code v} that a kernel reads: its flat storage, or a constant wrapped once. */
    private FlatView in(String v) {
        Tensor c = g.initializers().get(v);
        if (c != null) {
            return new FlatView(c.toFloatArray(), 0, c.shape());
        }
        return b.flat(v);
    }

    CpuPlan.KernelStep step(Node n) {
        String what = n.describe();
        FlatView y = b.flat(n.output(0));
        return switch (n.opType()) {
            case "Linear" -> {
                VectorLinear.Packed p = (VectorLinear.Packed) b.packs.computeIfAbsent("linear:" + n.input(1) + ":" + n.input(2),
                        k -> VectorLinear.Packed.of(init(n, 1), init(n, 2)));
                VectorLinear l = new VectorLinear(p, in(n.input(0)), y, n.hasInput(3) ? in(n.input(3)) : null,
                        VectorMath.activationCode(n.attrString("activation", "")), b.pool.threads());
                yield new CpuPlan.KernelStep(what + " " + p.k() + "->" + p.n(), l, l.items());
            }
            case "Attention" -> {
                VectorAttention a = new VectorAttention(n, in(n.input(0)), in(n.input(1)), in(n.input(2)), y,
                        init(n, 3).ints(), init(n, 4).ints(), init(n, 5).ints(), init(n, 6).ints(),
                        n.hasInput(7) ? init(n, 7).toFloatArray() : null, n.hasInput(8) ? init(n, 8).toFloatArray() : null,
                        n.hasInput(9) ? init(n, 9).ints() : null, b.pool.threads());
                yield new CpuPlan.KernelStep(what, a, a.items());
            }
            case "LayerNormalization" -> {
                VectorLayerNorm l = new VectorLayerNorm(in(n.input(0)), null, null, y, init(n, 1).toFloatArray(),
                        n.hasInput(2) ? init(n, 2).toFloatArray() : null, n.attrFloat("epsilon", 1e-5f));
                yield new CpuPlan.KernelStep(what, l, l.items());
            }
            case "AddLayerNormalization" -> {
                VectorLayerNorm l = new VectorLayerNorm(in(n.input(0)), in(n.input(1)), y, b.flat(n.output(1)),
                        init(n, 2).toFloatArray(), n.hasInput(3) ? init(n, 3).toFloatArray() : null,
                        n.attrFloat("epsilon", 1e-5f));
                yield new CpuPlan.KernelStep(what, l, l.items());
            }
            case "RowGather" -> {
                VectorRowGather r = new VectorRowGather(in(n.input(0)), y, init(n, 1).ints());
                yield new CpuPlan.KernelStep(what, r, r.items());
            }
            case "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow" -> {
                VectorFlatElementwise e = VectorFlatElementwise.binary(
                        VectorFlatElementwise.Op.valueOf(n.opType().toUpperCase(java.util.Locale.ROOT)),
                        in(n.input(0)), in(n.input(1)), y);
                yield new CpuPlan.KernelStep(what, e, e.items());
            }
            case "Relu", "Sigmoid", "Tanh", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal",
                    "LeakyRelu", "Clip" -> {
                VectorFlatElementwise e = VectorFlatElementwise.unary(unaryOp(n), in(n.input(0)), y, param(n, 0),
                        param(n, 1));
                yield new CpuPlan.KernelStep(what, e, e.items());
            }
            case "Softmax", "LogSoftmax" -> {
                VectorRowOps r = new VectorRowOps(n.opType().equals("Softmax") ? VectorRowOps.Op.SOFTMAX
                        : VectorRowOps.Op.LOG_SOFTMAX, in(n.input(0)), y);
                yield new CpuPlan.KernelStep(what, r, r.items());
            }
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceL2" -> {
                VectorRowOps.Op op = switch (n.opType()) {
                    case "ReduceMean" -> VectorRowOps.Op.MEAN;
                    case "ReduceSum" -> VectorRowOps.Op.SUM;
                    case "ReduceMax" -> VectorRowOps.Op.MAX;
                    default -> VectorRowOps.Op.L2;
                };
                VectorRowOps r = new VectorRowOps(op, in(n.input(0)), y);
                yield new CpuPlan.KernelStep(what, r, r.items());
            }
            case "MatMul" -> {
                VectorMatMul m = new VectorMatMul(in(n.input(0)), in(n.input(1)), y);
                yield new CpuPlan.KernelStep(what, m, m.items());
            }
            case "Concat" -> {
                FlatView[] xs = new FlatView[n.inputs().size()];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = in(n.input(i));
                }
                long a = n.attrInt("axis");
                int axis = (int) (a < 0 ? a + y.shape().length : a);
                VectorFlatMovement c = VectorFlatMovement.concat(xs, y, axis);
                yield new CpuPlan.KernelStep(what, c, c.items());
            }
            default -> movement(n, y);
        };
    }

    private VectorFlatElementwise.Op unaryOp(Node n) {
        return switch (n.opType()) {
            case "Gelu" -> n.attrString("approximate", "none").equals("tanh") ? VectorFlatElementwise.Op.GELU_TANH
                    : VectorFlatElementwise.Op.GELU;
            case "LeakyRelu" -> VectorFlatElementwise.Op.LEAKY_RELU;
            default -> VectorFlatElementwise.Op.valueOf(n.opType().toUpperCase(java.util.Locale.ROOT));
        };
    }

    private float param(Node n, int which) {
        return switch (n.opType()) {
            case "LeakyRelu" -> n.attrFloat("alpha", 0.01f);
            case "Clip" -> {
                Tensor t = init(n, 1 + which);
                yield t == null || t.size() == 0 ? (which == 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY)
                        : (float) t.getDouble(0);
            }
            default -> 0f;
        };
    }

    /** The separable gather a movement node is. */
    private CpuPlan.KernelStep movement(Node n, FlatView y) {
        FlatView x = in(n.input(0));
        int[] in = x.shape();
        int[] out = y.shape();
        int[] axes = new int[out.length];
        int[][] tables = new int[out.length][];
        float fill = 0;
        switch (n.opType()) {
            case "Transpose" -> {
                int[] perm = TransposeOp.permutation(n, in.length);
                for (int k = 0; k < out.length; k++) {
                    axes[k] = perm[k];
                    tables[k] = identity(out[k]);
                }
            }
            case "Slice" -> {
                long[] starts = init(n, 1).toLongArray();
                long[] ends = init(n, 2).toLongArray();
                long[] ax = n.hasInput(3) ? init(n, 3).toLongArray() : null;
                long[] steps = n.hasInput(4) ? init(n, 4).toLongArray() : null;
                int[] sliced = SliceOp.checkParameters(n.describe(), in.length, starts, ends, ax, steps);
                for (int k = 0; k < out.length; k++) {
                    axes[k] = k;
                    tables[k] = identity(out[k]);
                }
                for (int j = 0; j < sliced.length; j++) {
                    int a = sliced[j];
                    long step = steps == null ? 1 : steps[j];
                    long start = SliceOp.axisRange(in[a], starts[j], ends[j], step)[0];
                    for (int o = 0; o < out[a]; o++) {
                        tables[a][o] = (int) (start + o * step);
                    }
                }
            }
            case "Pad" -> {
                PadOp.Mode mode = PadOp.mode(n);
                long[][] amounts = PadOp.amounts(n.describe(), in.length, init(n, 1).toLongArray(),
                        n.hasInput(3) ? init(n, 3).toLongArray() : null);
                for (int k = 0; k < out.length; k++) {
                    axes[k] = k;
                    tables[k] = new int[out[k]];
                    for (int o = 0; o < out[k]; o++) {
                        tables[k][o] = (int) PadOp.sourceIndex(mode, o, in[k], amounts[0][k], amounts[1][k]);
                    }
                }
                Tensor v = init(n, 2);
                fill = v == null || v.size() == 0 ? 0f : (float) v.getDouble(0);
            }
            case "Gather" -> {
                long a = n.attrInt("axis", 0);
                int axis = (int) (a < 0 ? a + in.length : a);
                long[] idx = init(n, 1).toLongArray();
                Tensor it = init(n, 1);
                if (it.rank() != 1) {
                    // Flatten the index shape into one axis: same elements, same order.
                    int[] flat = new int[in.length];
                    for (int k = 0; k < in.length; k++) {
                        flat[k] = k == axis ? idx.length : in[k];
                    }
                    y = new FlatView(y.data(), y.offset(), flat);
                    out = flat;
                    axes = new int[out.length];
                    tables = new int[out.length][];
                }
                for (int k = 0; k < out.length; k++) {
                    axes[k] = k;
                    tables[k] = identity(out[k]);
                }
                for (int i = 0; i < idx.length; i++) {
                    tables[axis][i] = (int) (idx[i] < 0 ? idx[i] + in[axis] : idx[i]);
                }
            }
            case "Expand", "Tile" -> {
                int lead = out.length - in.length;
                for (int k = 0; k < out.length; k++) {
                    int src = k - lead;
                    axes[k] = src;
                    int size = src < 0 ? 1 : in[src];
                    tables[k] = new int[out[k]];
                    for (int o = 0; o < out[k]; o++) {
                        tables[k][o] = size == 1 ? 0 : o % size;
                    }
                }
            }
            case "DepthToSpace", "SpaceToDepth" -> {
                int bs = (int) n.attrInt("blocksize");
                boolean d2s = n.opType().equals("DepthToSpace");
                boolean crd = d2s && DepthToSpaceOp.isCrd(n);
                int[] six;
                int[] perm;
                if (d2s) {
                    int c = in[1] / (bs * bs);
                    six = crd ? new int[] {in[0], c, bs, bs, in[2], in[3]} : new int[] {in[0], bs, bs, c, in[2], in[3]};
                    perm = crd ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2};
                } else {
                    six = new int[] {in[0], in[1], in[2] / bs, bs, in[3] / bs, bs};
                    perm = new int[] {0, 3, 5, 1, 2, 4};
                }
                int[] sixOut = new int[6];
                int[][] t6 = new int[6][];
                for (int k = 0; k < 6; k++) {
                    sixOut[k] = six[perm[k]];
                    t6[k] = identity(sixOut[k]);
                }
                VectorFlatMovement mv = VectorFlatMovement.gather(new FlatView(x.data(), x.offset(), six),
                        new FlatView(y.data(), y.offset(), sixOut), perm, t6, 0);
                return new CpuPlan.KernelStep(n.describe(), mv, mv.items());
            }
            default -> throw new IllegalStateException("no plain step for " + n.describe());
        }
        VectorFlatMovement mv = VectorFlatMovement.gather(x, y, axes, tables, fill);
        return new CpuPlan.KernelStep(n.describe(), mv, mv.items());
    }

    private static int[] identity(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }
}
