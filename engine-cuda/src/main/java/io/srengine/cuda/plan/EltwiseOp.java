package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * An elementwise operation with NumPy broadcasting (elementwise.cuh): each operand is an
 * activation view or a constant, addressed through four strides over the output's (n, h, w, c)
 * iteration space, 0 along broadcast axes.
 */
public final class EltwiseOp extends PlanOp {
    /** Size of EltwiseParams in elementwise.cuh. */
    public static final int PARAMS_BYTES = 152;

    /** Operation codes of elementwise.cuh's {@code enum EltOp}. */
    public enum Code {
        COPY, ADD, SUB, MUL, DIV, MAX, MIN, POW, PRELU, RELU, LEAKY, SIGMOID, TANH, CLIP, NEG, ABS, SQRT, EXP,
        AFFINE, FLOOR, CEIL, RECIPROCAL, SCALE_ADD, ERF, GELU, GELU_TANH;

        boolean binary() {
            return switch (this) {
                case ADD, SUB, MUL, DIV, MAX, MIN, POW, PRELU, SCALE_ADD -> true;
                default -> false;
            };
        }
    }

    /**
     * An operand: an activation value, or a constant tensor (NCHW-aligned, broadcast from the right).
     * {@code nchw}, when set, is the activation's NCHW shape as this op reads it, which can differ from
     * its buffer's (a token sequence read from the image it aliases, see {@link Tokens}).
     */
    public record Operand(String value, String constantName, Tensor constant, int[] nchw) {
        static Operand value(String v) {
            return new Operand(v, null, null, null);
        }

        static Operand value(String v, int[] nchw) {
            return new Operand(v, null, null, nchw);
        }

        static Operand constant(String name, Tensor t) {
            return new Operand(null, name, t, null);
        }

        boolean isConstant() {
            return constant != null;
        }

        /** A single constant value (size 1), or NaN. */
        float scalar() {
            return constant != null && constant.size() == 1 ? (float) constant.getDouble(0) : Float.NaN;
        }
    }

    Code code;
    Operand a;
    Operand b;
    float alpha;
    float beta;
    String output;
    final int[] outShape;

    EltwiseOp(String node, Code code, Operand a, Operand b, float alpha, float beta, String output, int[] outShape) {
        super(node);
        this.code = code;
        this.a = a;
        this.b = b;
        this.alpha = alpha;
        this.beta = beta;
        this.output = output;
        this.outShape = outShape.clone();
    }

    public Code code() {
        return code;
    }

    @Override
    public List<String> reads() {
        List<String> r = new ArrayList<>();
        if (a != null && !a.isConstant()) {
            r.add(a.value());
        }
        if (b != null && !b.isConstant()) {
            r.add(b.value());
        }
        return r;
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        if (a != null && from.equals(a.value())) {
            a = Operand.value(to, a.nchw());
        }
        if (b != null && from.equals(b.value())) {
            b = Operand.value(to, b.nchw());
        }
    }

    /**
     * Pad channels can be computed like real ones when every activation operand has as many
     * channels as the output and zeros in its own pad, every constant is a scalar, and the
     * operation maps those zeros to zero (ReLU, a scalar multiple, a residual add; not a sigmoid).
     */
    @Override
    public boolean fillsPadding(String out, int pad, Padding p) {
        float[] z = new float[2];
        Operand[] ops = {a, b};
        for (int i = 0; i < 2; i++) {
            Operand o = ops[i];
            if (o == null) {
                continue;
            }
            if (o.isConstant()) {
                if (o.constant().size() != 1) {
                    return false;
                }
                z[i] = o.scalar();
            } else if (p.channels(o.value()) != outShape[1] || p.zeroTail(o.value()) < pad) {
                return false;
            }
        }
        return atZero(code, z[0], z[1], alpha, beta) == 0f;
    }

    @Override
    public List<String> paddingSources() {
        return reads();
    }

    /** elementwise.cu's result for operands a and b (0 for activations): a pad channel's value. */
    static float atZero(Code code, float a, float b, float alpha, float beta) {
        return switch (code) {
            case COPY -> a;
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> (float) Math.pow(a, b);
            case PRELU -> a >= 0 ? a : a * b;
            case RELU -> Math.max(a, 0f);
            case LEAKY -> a >= 0 ? a : a * alpha;
            case CLIP -> Math.min(Math.max(a, alpha), beta);
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case SQRT -> (float) Math.sqrt(a);
            case AFFINE -> a * alpha + beta;
            case FLOOR -> (float) Math.floor(a);
            case CEIL -> (float) Math.ceil(a);
            case SCALE_ADD -> a * alpha + b;
            case TANH -> (float) Math.tanh(a);
            // erf, and both GELU forms, are 0 at 0.
            case ERF, GELU, GELU_TANH -> a == 0f ? 0f : Float.NaN;
            // Nonzero (or undefined) at zero.
            case SIGMOID, EXP, RECIPROCAL -> Float.NaN;
        };
    }

    @Override
    public void emit(Emitter e) {
        TensorView out = e.view(output);
        int channels = outShape[1] + e.zeroTail(output);
        long[] so = out.strides();
        long[] sa = new long[4];
        long[] sb = new long[4];
        long pa = operand(e, a, sa);
        long pb = b == null ? 0 : operand(e, b, sb);
        KernelArgs k = new KernelArgs().ptr(pa).ptr(pb).ptr(out.address());
        for (long[] s : new long[][] {sa, sb, so}) {
            for (long v : s) {
                k.i64(v);
            }
        }
        k.i32(outShape[0]).i32(outShape[2]).i32(outShape[3]).i32(channels);
        k.i32(code.ordinal()).f32(alpha).f32(beta).i32(0);
        long items = (long) outShape[0] * outShape[2] * outShape[3] * ((channels + 7) / 8);
        e.launch(this, "elementwise", "eltwise_" + e.type().suffix(), LaunchGeometry.linear(items, 256),
                k.finish(PARAMS_BYTES));
    }

    /** The operand's address; fills its (n, h, w, c) strides over the output's iteration space. */
    private long operand(Emitter e, Operand op, long[] strides) {
        if (op.isConstant()) {
            Tensor t = op.constant();
            int[] d = Broadcasts.padTo4(t.shape());
            long[] nchw = {(long) d[1] * d[2] * d[3], (long) d[2] * d[3], d[3], 1};
            long[] s = {nchw[0], nchw[2], nchw[3], nchw[1]};
            int[] dims = {d[0], d[2], d[3], d[1]};
            int[] outDims = {outShape[0], outShape[2], outShape[3], outShape[1]};
            for (int i = 0; i < 4; i++) {
                // A scalar reads its one element everywhere, pad channels included.
                strides[i] = t.size() == 1 || (dims[i] == 1 && outDims[i] != 1) ? 0 : s[i];
            }
            DeviceType type = e.type();
            return e.constant(op.constantName() + "|" + type, () -> type.encode(t.toFloatArray()));
        }
        TensorView v = e.view(op.value());
        long[] s = v.strides();
        int[] dims = {v.n(), v.h(), v.w(), v.c()};
        if (op.nchw() != null) {
            int[] d = op.nchw();
            dims = new int[] {d[0], d[2], d[3], d[1]};
            s = new long[] {(long) d[2] * d[3] * v.cs(), (long) d[3] * v.cs(), v.cs(), 1};
        }
        int[] outDims = {outShape[0], outShape[2], outShape[3], outShape[1]};
        for (int i = 0; i < 4; i++) {
            strides[i] = dims[i] == 1 && outDims[i] != 1 ? 0 : s[i];
        }
        return v.address();
    }

    /**
     * Emits a strided copy of an {@code nchw}-shaped block (elementwise COPY): element (n, c, h, w)
     * moves from {@code src + sum(i * srcStrides)} to {@code dst + sum(i * dstStrides)}, strides in
     * (n, h, w, c) order. Concat inputs that could not be written in place and Slice use it.
     */
    static void emitCopy(Emitter e, PlanOp owner, long src, long[] srcStrides, long dst, long[] dstStrides, int[] nchw) {
        KernelArgs k = new KernelArgs().ptr(src).ptr(0).ptr(dst);
        for (long v : srcStrides) {
            k.i64(v);
        }
        for (int i = 0; i < 4; i++) {
            k.i64(0);
        }
        for (long v : dstStrides) {
            k.i64(v);
        }
        k.i32(nchw[0]).i32(nchw[2]).i32(nchw[3]).i32(nchw[1]);
        k.i32(Code.COPY.ordinal()).f32(0).f32(0).i32(0);
        long items = (long) nchw[0] * nchw[2] * nchw[3] * ((nchw[1] + 7) / 8);
        e.launch(owner, "elementwise", "eltwise_" + e.type().suffix(), LaunchGeometry.linear(items, 256),
                k.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "Eltwise " + node + " " + code + "(" + name(a) + (b == null ? "" : ", " + name(b)) + ") -> " + output;
    }

    private static String name(Operand o) {
        return o.isConstant() ? "const " + o.constantName() : o.value();
    }
}
