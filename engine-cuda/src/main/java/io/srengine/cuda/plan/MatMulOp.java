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
        int b1 = r >= 3 ? outShape[r - 3] : 1;
        int b0 = r >= 4 ? outShape[r - 4] : 1;
        KernelArgs p = new KernelArgs();
        long[] sa = new long[4];
        long[] sb = new long[4];
        long pa = operand(e, a, sa);
        long pb = operand(e, b, sb);
        TensorView out = e.view(output);
        long[] so = strides(Tokens.at(Tokens.natural(outShape), out.cs()), outShape);
        p.ptr(pa).ptr(pb).ptr(out.address());
        for (long[] s : new long[][] {sa, sb, so}) {
            for (long v : s) {
                p.i64(v);
            }
        }
        p.i32(b0).i32(b1).i32(m).i32(n).i32(k).i32(0);
        e.launch(this, "matmul", "matmul_" + e.type().suffix(), LaunchGeometry.of(LaunchGeometry.ceilDiv(n, 16),
                LaunchGeometry.ceilDiv(m, 16), b0 * b1, 16, 16, 1, 0), p.finish(PARAMS_BYTES));
    }

    /** Fills (batch0, batch1, row, col) strides of an operand broadcast to the output's batch. */
    private long operand(Emitter e, Operand o, long[] out) {
        long[] st;
        long addr;
        if (o.constant() != null) {
            int[] s = o.shape();
            st = new long[s.length];
            long acc = 1;
            for (int i = s.length - 1; i >= 0; i--) {
                st[i] = acc;
                acc *= s[i];
            }
            DeviceType type = e.type();
            addr = e.constant(o.constantName() + "|" + type, () -> type.encode(o.constant().toFloatArray()));
        } else {
            TensorView v = e.view(o.value());
            st = Tokens.at(Tokens.natural(o.shape()), v.cs());
            addr = v.address();
        }
        long[] s = strides(st, o.shape());
        System.arraycopy(s, 0, out, 0, 4);
        return addr;
    }

    /** Strides right-aligned to (batch0, batch1, row, col), 0 on axes of size 1 (broadcast) or absent. */
    private static long[] strides(long[] st, int[] shape) {
        long[] r = new long[4];
        int off = 4 - shape.length;
        for (int i = 0; i < shape.length; i++) {
            r[off + i] = shape[i] == 1 ? 0 : st[i];
        }
        return r;
    }

    @Override
    public String describe() {
        return "MatMul " + node + " " + reads() + " -> " + output;
    }
}
