package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * A batched matrix product of two activations, or of an activation and a constant, that no fusion
 * took over (matmul.cuh): up to two batch axes, broadcast by stride 0, any operand layout. The
 * attention of channel-attention blocks (scores over channels, not windows) runs here.
 */
public final class MatMulOp extends PlanOp {
    /** Size of MatMulParams in matmul.cuh. */
    public static final int PARAMS_BYTES = 144;

    /** One operand: an activation of logical shape {@code shape}, or a constant. */
    record Operand(String value, int[] shape, String constantName, Tensor constant) {}

    Operand a;
    Operand b;
    final String output;
    final int[] outShape;

    MatMulOp(String node, Operand a, Operand b, String output, int[] outShape) {
        super(node);
        this.a = a;
        this.b = b;
        this.output = output;
        this.outShape = outShape.clone();
    }

    @Override
    public List<String> reads() {
        List<String> r = new ArrayList<>();
        if (a.value() != null) {
            r.add(a.value());
        }
        if (b.value() != null) {
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
        if (from.equals(a.value())) {
            a = new Operand(to, a.shape(), null, null);
        }
        if (from.equals(b.value())) {
            b = new Operand(to, b.shape(), null, null);
        }
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    @Override
    public void emit(Emitter e) {
        int r = outShape.length;
        int m = outShape[r - 2];
        int n = outShape[r - 1];
        int k = a.shape()[a.shape().length - 1];
        long[] batch = batch(outShape);
        TensorView out = e.view(output);
        long pa = address(e, a);
        long pb = address(e, b);
        long[][] st = {
            evaluate(batchStrides(strides(a), a.shape(), outShape), e, a), evaluate(batchStrides(strides(b), b.shape(), outShape), e, b),
            Tokens.at(batchStrides(Tokens.natural(outShape), outShape, outShape), out.cs())};
        KernelArgs p = new KernelArgs().ptr(pa).ptr(pb).ptr(out.address());
        for (long[] s : st) {
            for (long v : s) {
                p.i64(v);
            }
        }
        p.i32((int) batch[0]).i32((int) batch[1]).i32(m).i32(n).i32(k).i32(0);
        e.launch(this, "matmul", "matmul_" + e.type().suffix(), LaunchGeometry.of(LaunchGeometry.ceilDiv(n, 16),
                LaunchGeometry.ceilDiv(m, 16), (int) (batch[0] * batch[1]), 16, 16, 1, 0), p.finish(PARAMS_BYTES));
    }

    /** The two batch extents the kernel iterates: up to three leading axes, the first two merged. */
    private static long[] batch(int[] out) {
        int r = out.length;
        long b1 = r >= 3 ? out[r - 3] : 1;
        long b0 = 1;
        for (int i = 0; i < r - 3; i++) {
            b0 *= out[i];
        }
        return new long[] {b0, b1};
    }

    /** Symbolic strides of an operand's own axes: natural for an activation, row-major for a constant. */
    private static Tokens.Stride[] strides(Operand o) {
        if (o.constant() == null) {
            return Tokens.natural(o.shape());
        }
        int[] s = o.shape();
        Tokens.Stride[] st = new Tokens.Stride[s.length];
        long acc = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            st[i] = new Tokens.Stride(0, acc);
            acc *= s[i];
        }
        return st;
    }

    /**
     * (batch0, batch1, row, col) strides of an operand broadcast to the output's batch, or null when
     * its first two batch axes of a rank-5 product cannot be walked as one.
     */
    static Tokens.Stride[] batchStrides(Tokens.Stride[] st, int[] shape, int[] out) {
        int r = out.length;
        Tokens.Stride[] al = new Tokens.Stride[r];
        int off = r - shape.length;
        for (int i = 0; i < r; i++) {
            int j = i - off;
            al[i] = j < 0 || shape[j] == 1 ? Tokens.Stride.ZERO : st[j];
        }
        Tokens.Stride b0 = Tokens.Stride.ZERO;
        if (r == 5) {
            if (out[0] == 1) {
                b0 = al[1];
            } else if (out[1] == 1) {
                b0 = al[0];
            } else if (al[0].equals(al[1].times(out[1]))) {
                b0 = al[1];
            } else {
                return null;
            }
        } else if (r == 4) {
            b0 = al[0];
        }
        Tokens.Stride b1 = r >= 3 ? al[r - 3] : Tokens.Stride.ZERO;
        return new Tokens.Stride[] {b0, b1, al[r - 2], al[r - 1]};
    }

    /** Whether the kernel can walk this product's operands (rank 5: the leading batch axes merge). */
    boolean walkable() {
        return batchStrides(strides(a), a.shape(), outShape) != null && batchStrides(strides(b), b.shape(), outShape) != null
                && batchStrides(Tokens.natural(outShape), outShape, outShape) != null;
    }

    private static long[] evaluate(Tokens.Stride[] s, Emitter e, Operand o) {
        return Tokens.at(s, o.constant() == null ? e.view(o.value()).cs() : 0);
    }

    private static long address(Emitter e, Operand o) {
        if (o.constant() != null) {
            DeviceType type = e.type();
            return e.constant(o.constantName() + "|" + type, () -> type.encode(o.constant().toFloatArray()));
        }
        return e.view(o.value()).address();
    }

    @Override
    public String describe() {
        return "MatMul " + node + " " + reads() + " -> " + output;
    }
}
