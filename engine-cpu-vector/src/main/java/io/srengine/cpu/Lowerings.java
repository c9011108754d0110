package io.srengine.cpu;

import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.ConvTransposeSpec;
import io.srengine.ops.DepthToSpaceOp;
import io.srengine.ops.FusedActivation;
import io.srengine.ops.ReduceSpec;
import io.srengine.ops.ResizeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes have a vector kernel for their shapes, and the kernel step each one becomes. Every op
 * the SR architectures use is here (Conv in all its forms, ConvTranspose, DepthToSpace, Resize,
 * element-wise arithmetic and activations, GlobalAveragePool/ReduceMean, Concat); anything else, or
 * an unusual form of these (3-D convolution, broadcasts along one spatial axis, data-dependent
 * scales), runs on its reference kernel.
 */
final class Lowerings {
    private final PlanBuilder b;
    private final Graph g;
    private float[][] winogradScratch;

    Lowerings(PlanBuilder b) {
        this.b = b;
        this.g = b.g;
    }

    private boolean image(String v) {
        return !v.isEmpty() && !g.isInitializer(v) && Operands.isImage(g, v);
    }

    private boolean constOrAbsent(Node n, int i) {
        return !n.hasInput(i) || g.isInitializer(n.input(i));
    }

    private Tensor init(Node n, int i) {
        return n.hasInput(i) ? g.initializers().get(n.input(i)) : null;
    }

    boolean accepts(Node n) {
        try {
            return switch (n.opType()) {
                case "Conv" -> image(n.input(0)) && g.isInitializer(n.input(1)) && constOrAbsent(n, 2)
                        && constOrAbsent(n, FusedActivation.SLOPE_INPUT) && convSpec(n).spatialRank() == 2;
                case "ConvTranspose" -> image(n.input(0)) && g.isInitializer(n.input(1)) && constOrAbsent(n, 2)
                        && constOrAbsent(n, FusedActivation.SLOPE_INPUT) && transposeSpec(n).spatialRank() == 2;
                case "Relu", "Sigmoid", "Tanh", "LeakyRelu" -> image(n.input(0));
                case "Clip" -> image(n.input(0)) && scalarOrAbsent(n, 1) && scalarOrAbsent(n, 2);
                case "PRelu" -> image(n.input(0)) && g.isInitializer(n.input(1)) && constantSlope(n);
                case "Add", "Sub", "Mul", "Div", "Max", "Min" -> n.inputs().size() == 2 && binaryOk(n);
                case "DepthToSpace" -> image(n.input(0));
                case "Resize" -> image(n.input(0)) && resizeTables(n) != null;
                case "GlobalAveragePool" -> image(n.input(0));
                case "ReduceMean" -> image(n.input(0)) && meanOverHeightWidth(n);
                case "Concat" -> concatOk(n);
                default -> false;
            };
        } catch (SrException e) {
            return false;
        }
    }

    private boolean scalarOrAbsent(Node n, int i) {
        return !n.hasInput(i) || g.isInitializer(n.input(i)) && g.initializers().get(n.input(i)).size() == 1;
    }

    private boolean constantSlope(Node n) {
        Operands.Kind k = Operands.classify(g, n.input(1), Operands.shape(g, n.output(0)));
        return k == Operands.Kind.CONST_SCALAR || k == Operands.Kind.CONST_CHANNEL;
    }

    private boolean binaryOk(Node n) {
        if (!Operands.isImage(g, n.output(0))) {
            return false;
        }
        int[] out = Operands.shape(g, n.output(0));
        Operands.Kind a = Operands.classify(g, n.input(0), out);
        Operands.Kind c = Operands.classify(g, n.input(1), out);
        boolean anyFull = a == Operands.Kind.FULL || c == Operands.Kind.FULL;
        return a != Operands.Kind.OTHER && c != Operands.Kind.OTHER && anyFull;
    }

    private boolean meanOverHeightWidth(Node n) {
        Tensor axes = init(n, 1);
        if (n.hasInput(1) && axes == null) {
            return false;
        }
        ReduceSpec s = ReduceSpec.of(n, 4, axes);
        return s.keepDims() && !s.reduces(0) && !s.reduces(1) && s.reduces(2) && s.reduces(3);
    }

    private boolean concatOk(Node n) {
        int rank = 4;
        long axis = n.attrInt("axis");
        if (axis < 0) {
            axis += rank;
        }
        if (axis != 1 || !Operands.isImage(g, n.output(0))) {
            return false;
        }
        for (String in : n.inputs()) {
            if (!image(in)) {
                return false;
            }
        }
        return true;
    }

    boolean takesEpilogue(Node n) {
        return switch (n.opType()) {
            case "Conv", "ConvTranspose", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Clip", "PRelu", "Add", "Sub", "Mul",
                    "Div", "Max", "Min", "GlobalAveragePool", "ReduceMean" -> true;
            default -> false;
        };
    }

    /**
     * {@code e} as a post-op on value {@code v} of a producer at node {@code headIndex}, or null when
     * it cannot be folded: Mul/Add/Sub by a constant scalar or per-channel constant (v on the left for
     * Sub), or Add of a same-shaped value that is already computed when the producer runs.
     */
    PlanBuilder.ChainOp asChainOp(Node e, String v, int headIndex) {
        if (!b.vector.contains(e)) {
            return null;
        }
        switch (e.opType()) {
            case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "PRelu" -> {
                return e.input(0).equals(v) ? new PlanBuilder.ChainOp("activation", null, null, activationOf(e)) : null;
            }
            default -> { }
        }
        if (e.inputs().size() != 2 || e.input(0).equals(e.input(1))) {
            return null;
        }
        int[] vs = Operands.shape(g, v);
        if (!java.util.Arrays.equals(vs, Operands.shape(g, e.output(0)))) {
            return null;
        }
        boolean first = e.input(0).equals(v);
        String other = first ? e.input(1) : e.input(0);
        Operands.Kind k = Operands.classify(g, other, vs);
        boolean constant = k == Operands.Kind.CONST_SCALAR || k == Operands.Kind.CONST_CHANNEL;
        float[] values = constant ? g.initializers().get(other).toFloatArray() : null;
        switch (e.opType()) {
            case "Mul" -> {
                if (k == Operands.Kind.CONST_SCALAR) {
                    return new PlanBuilder.ChainOp("scale", values, null);
                }
                return k == Operands.Kind.CONST_CHANNEL ? new PlanBuilder.ChainOp("mulChannels", values, null) : null;
            }
            case "Add" -> {
                if (constant) {
                    return new PlanBuilder.ChainOp("addChannels", values, null);
                }
                String r = b.canon(other);
                boolean ready = b.isGraphInput(r) || b.live.definedAt(r) < headIndex;
                if (k == Operands.Kind.FULL && ready && java.util.Arrays.equals(Operands.shape(g, r), vs)) {
                    return new PlanBuilder.ChainOp("add", null, r);
                }
                return null;
            }
            case "Div" -> {
                // x / c becomes x · (1/c): at most one rounding step apart, far inside every tolerance.
                if (!first || !constant) {
                    return null;
                }
                float[] inv = new float[values.length];
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = 1f / values[i];
                }
                return new PlanBuilder.ChainOp("mulChannels", inv, null);
            }
            case "Sub" -> {
                if (!first || !constant) {
                    return null;
                }
                float[] neg = new float[values.length];
                for (int i = 0; i < neg.length; i++) {
                    neg[i] = -values[i];
                }
                return new PlanBuilder.ChainOp("addChannels", neg, null);
            }
            default -> {
                return null;
            }
        }
    }

    /** The activation a stand-alone activation node applies. */
    FusedActivation activationOf(Node n) {
        return switch (n.opType()) {
            case "Relu" -> new FusedActivation(FusedActivation.Kind.RELU, 0, 0, 0, null);
            case "LeakyRelu" -> new FusedActivation(FusedActivation.Kind.LEAKY_RELU, n.attrFloat("alpha", 0.01f), 0, 0, null);
            case "Sigmoid" -> new FusedActivation(FusedActivation.Kind.SIGMOID, 0, 0, 0, null);
            case "Tanh" -> new FusedActivation(FusedActivation.Kind.TANH, 0, 0, 0, null);
            case "Clip" -> new FusedActivation(FusedActivation.Kind.CLIP, 0,
                    n.hasInput(1) ? (float) init(n, 1).getDouble(0) : Float.NEGATIVE_INFINITY,
                    n.hasInput(2) ? (float) init(n, 2).getDouble(0) : Float.POSITIVE_INFINITY, null);
            case "PRelu" -> new FusedActivation(FusedActivation.Kind.PRELU, 0, 0, 0, init(n, 1).toFloatArray());
            default -> FusedActivation.NONE;
        };
    }

    /** Inputs a vector step reads in the blocked layout. */
    List<String> blockedInputs(Node n) {
        List<String> l = new ArrayList<>();
        switch (n.opType()) {
            case "Conv" -> {
                if (convKind(n) != ConvLowering.Kind.PLANAR) {
                    l.add(n.input(0));
                }
            }
            case "Add", "Sub", "Mul", "Div", "Max", "Min" -> {
                for (String in : n.inputs()) {
                    if (!g.isInitializer(in)) {
                        l.add(in);
                    }
                }
            }
            case "Concat" -> l.addAll(n.inputs());
            default -> l.add(n.input(0));
        }
        return l;
    }

    /** Inputs a vector step reads as NCHW arrays (a planar first layer). */
    List<String> planarInputs(Node n) {
        return n.opType().equals("Conv") && convKind(n) == ConvLowering.Kind.PLANAR ? List.of(n.input(0)) : List.of();
    }

    // ---- specs and packed weights ----------------------------------------------------------------

    private ConvSpec convSpec(Node n) {
        return ConvSpec.of(n, Operands.shape(g, n.input(0)), Operands.shape(g, n.input(1)));
    }

    private ConvTransposeSpec transposeSpec(Node n) {
        return ConvTransposeSpec.of(n, Operands.shape(g, n.input(0)), Operands.shape(g, n.input(1)));
    }

    ConvLowering.Kind convKind(Node n) {
        return ConvLowering.choose(convSpec(n), b.isGraphInput(b.canon(n.input(0))));
    }

    private ResizeSpec resizeSpec(Node n) {
        for (int i = 1; i <= 3; i++) {
            if (n.hasInput(i) && !g.isInitializer(n.input(i))) {
                return null;
            }
        }
        return ResizeSpec.of(n, Operands.shape(g, n.input(0)), nonEmpty(init(n, 1)), nonEmpty(init(n, 2)), nonEmpty(init(n, 3)));
    }

    private static Tensor nonEmpty(Tensor t) {
        return t == null || t.size() == 0 ? null : t;
    }

    /** The height and width tables of a Resize that only scales those axes and never extrapolates; else null. */
    private VectorResize.AxisTable[] resizeTables(Node n) {
        ResizeSpec s = resizeSpec(n);
        if (s == null) {
            return null;
        }
        int[] in = s.inputShape();
        for (int axis = 0; axis < 2; axis++) {
            ResizeSpec.AxisFilter f = s.filter(axis);
            if (f.taps() != 1 || f.index().length != in[axis]) {
                return null;
            }
            for (int o = 0; o < in[axis]; o++) {
                if (f.index()[o] != o || f.weight()[o] != 1 || f.extrapolate()[o]) {
                    return null;
                }
            }
        }
        VectorResize.AxisTable[] t = new VectorResize.AxisTable[2];
        for (int axis = 2; axis < 4; axis++) {
            ResizeSpec.AxisFilter f = s.filter(axis);
            for (boolean x : f.extrapolate()) {
                if (x) {
                    return null;
                }
            }
            float[] w = new float[f.weight().length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) f.weight()[i];
            }
            t[axis - 2] = new VectorResize.AxisTable(f.taps(), f.index(), w);
        }
        return t;
    }

    private float[][] scratch(int size) {
        int threads = b.pool.threads();
        if (winogradScratch == null) {
            winogradScratch = new float[threads][0];
        }
        if (winogradScratch[0].length < size) {
            for (int t = 0; t < threads; t++) {
                winogradScratch[t] = new float[size];
            }
        }
        return winogradScratch;
    }

    // ---- steps -----------------------------------------------------------------------------------

    CpuPlan.KernelStep step(Node n, Epilogue epi) {
        String out = b.writes(n);
        BlockedView y = b.view(out);
        String what = n.describe();
        return switch (n.opType()) {
            case "Conv" -> conv(n, epi, y);
            case "ConvTranspose" -> {
                ConvTransposeSpec s = transposeSpec(n);
                VectorConvTranspose.Phases p = (VectorConvTranspose.Phases) b.packs.computeIfAbsent(
                        ConvLowering.key(n, s.padBegin(0), s.padBegin(1)),
                        k -> ConvLowering.packTranspose(s, init(n, 1), init(n, 2)));
                BlockedView x = b.view(n.input(0));
                VectorConvTranspose t = new VectorConvTranspose(p.bind(x.height, x.width, y.height, y.width), epi, x, y);
                yield new CpuPlan.KernelStep(what + " (sub-pixel)", t, t.items());
            }
            case "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Clip", "PRelu" -> {
                VectorUnary u = new VectorUnary(b.view(n.input(0)), y, epi);
                yield new CpuPlan.KernelStep(what, u, u.items());
            }
            case "Add", "Sub", "Mul", "Div", "Max", "Min" -> {
                int[] os = Operands.shape(g, n.output(0));
                VectorBinary v = new VectorBinary(VectorBinary.Op.valueOf(n.opType().toUpperCase(java.util.Locale.ROOT)),
                        operand(n.input(0), os), operand(n.input(1), os), y, epi);
                yield new CpuPlan.KernelStep(what, v, v.items());
            }
            case "DepthToSpace" -> {
                VectorDepthToSpace d = new VectorDepthToSpace((int) n.attrInt("blocksize"), DepthToSpaceOp.isCrd(n),
                        b.view(n.input(0)), y);
                yield new CpuPlan.KernelStep(what, d, d.items());
            }
            case "Resize" -> {
                VectorResize.AxisTable[] t = resizeTables(n);
                VectorResize r = new VectorResize(t[0], t[1], b.view(n.input(0)), y);
                yield new CpuPlan.KernelStep(what, r, r.items());
            }
            case "GlobalAveragePool", "ReduceMean" -> {
                VectorGlobalAveragePool p = new VectorGlobalAveragePool(b.view(n.input(0)), y, epi);
                yield new CpuPlan.KernelStep(what, p, p.items());
            }
            case "Concat" -> {
                BlockedView[] ins = new BlockedView[n.inputs().size()];
                for (int i = 0; i < ins.length; i++) {
                    ins[i] = b.view(n.input(i));
                }
                VectorConcat c = new VectorConcat(ins, y);
                yield new CpuPlan.KernelStep(what + " (copy)", c, c.items());
            }
            default -> throw new IllegalStateException("no vector step for " + what);
        };
    }

    private VectorBinary.Operand operand(String v, int[] out) {
        return switch (Operands.classify(g, v, out)) {
            case FULL -> VectorBinary.Operand.full(b.view(v));
            case PER_CHANNEL -> VectorBinary.Operand.perChannel(b.view(v));
            case CONST_CHANNEL, CONST_SCALAR -> VectorBinary.Operand.constant(g.initializers().get(v).toFloatArray(), out[1]);
            case CONST_FULL -> {
                Tensor t = g.initializers().get(v);
                int[] s = Operands.shape(g, v);
                int[] s4 = {1, out[1], out[2], out[3]};
                if (s.length == 4) {
                    s4[0] = s[0];
                }
                BlockedView c = new BlockedView(new float[BlockedView.size(s4[0], s4[1], s4[2], s4[3])], 0,
                        Simd.padded(s4[1]) * s4[2] * s4[3], s4[0], s4[1], s4[2], s4[3]);
                Layouts.toBlocked(t.toFloatArray(), 0, c);
                yield VectorBinary.Operand.full(c);
            }
            case OTHER -> throw new IllegalStateException("operand " + v + " cannot be broadcast by the vector kernel");
        };
    }

    private CpuPlan.KernelStep conv(Node n, Epilogue epi, BlockedView y) {
        ConvSpec s = convSpec(n);
        ConvLowering.Kind kind = convKind(n);
        Object packed = b.packs.computeIfAbsent(ConvLowering.key(n, kind),
                k -> ConvLowering.pack(kind, s, init(n, 1), init(n, 2)));
        String what = n.describe() + " " + s.kernel(0) + "x" + s.kernel(1) + " " + s.inChannels() + "->"
                + s.outChannels() + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
        int ih = s.inputSize(0);
        int iw = s.inputSize(1);
        switch (kind) {
            case WINOGRAD -> {
                VectorConvWinograd.Packed p = (VectorConvWinograd.Packed) packed;
                VectorConvWinograd w = new VectorConvWinograd(p, s.padBegin(0), s.padBegin(1), epi, b.view(n.input(0)), y,
                        scratch(p.scratchSize()));
                return new CpuPlan.KernelStep(what, w, w.items());
            }
            case DEPTHWISE -> {
                VectorConvDepthwise d = new VectorConvDepthwise((VectorConvDepthwise.PackedDepthwise) packed, s.stride(0),
                        s.stride(1), s.dilation(0), s.dilation(1), s.padBegin(0), s.padBegin(1), epi, b.view(n.input(0)), y);
                return new CpuPlan.KernelStep(what, d, d.items());
            }
            case PLANAR -> {
                ConvPass pass = ConvPass.conv((PackedConv) packed, true, ih, iw, y.height, y.width, s.stride(0),
                        s.stride(1), s.dilation(0), s.dilation(1), s.padBegin(0), s.padBegin(1));
                float[] x = b.planarCopy(n.input(0));
                VectorConv2d c = new VectorConv2d(pass, epi, x, 0, s.inChannels() * ih * iw, y);
                return new CpuPlan.KernelStep(what, c, c.items());
            }
            default -> {
                BlockedView x = b.view(n.input(0));
                ConvPass pass = ConvPass.conv((PackedConv) packed, false, ih, iw, y.height, y.width, s.stride(0),
                        s.stride(1), s.dilation(0), s.dilation(1), s.padBegin(0), s.padBegin(1));
                VectorConv2d c = new VectorConv2d(pass, epi, x.data, x.offset, x.batchStride, y);
                return new CpuPlan.KernelStep(what, c, c.items());
            }
        }
    }
}
