package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/**
 * Pow with multidirectional broadcasting; the result has the base's type. A floating-point base
 * computes in double. An integer base with an integer exponent of at least 0 multiplies exactly
 * (wrapping on overflow, like repeated integer multiplication); other integer cases compute in
 * double and truncate toward zero, as the cast back to the base type does in the ONNX reference.
 */
final class ReferencePow implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor base = ctx.input(0);
        Tensor exponent = ctx.input(1);
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        int[] sa = Broadcast.strides(base.shape(), shape);
        int[] sb = Broadcast.strides(exponent.shape(), shape);
        int[] coord = new int[shape.length];
        boolean fpBase = base.dataType().isFloatingPoint();
        boolean fpExponent = exponent.dataType().isFloatingPoint();
        int n = out.size();
        for (int o = 0; o < n; o++) {
            int ia = Elements.offset(coord, sa);
            int ib = Elements.offset(coord, sb);
            if (fpBase) {
                Elements.setDouble(out, o, Math.pow(base.getDouble(ia), exponent.getDouble(ib)));
            } else if (!fpExponent && exponent.getLong(ib) >= 0) {
                Elements.setLong(out, o, integerPower(base.getLong(ia), exponent.getLong(ib)));
            } else {
                Elements.setLong(out, o, (long) Math.pow(base.getLong(ia), exponent.getDouble(ib)));
            }
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }

    private static long integerPower(long base, long exponent) {
        long result = 1;
        long square = base;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= square;
            }
            square *= square;
        }
        return result;
    }
}
