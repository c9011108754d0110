package io.srengine.reference;

import io.srengine.Tensor;

/**
 * Clip to the optional scalar bounds min (input 1) and max (input 2): {@code min(max(x, lo), hi)},
 * so when lo exceeds hi every element becomes hi, as the ONNX specification says. NaN stays NaN.
 */
final class ReferenceClip implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor lo = ctx.input(1);
        Tensor hi = ctx.input(2);
        Tensor y = ctx.allocateOutput(0);
        int n = x.size();
        if (x.dataType().isFloatingPoint()) {
            double min = lo == null ? Double.NEGATIVE_INFINITY : lo.getDouble(0);
            double max = hi == null ? Double.POSITIVE_INFINITY : hi.getDouble(0);
            for (int i = 0; i < n; i++) {
                double v = x.getDouble(i);
                v = v < min ? min : v;
                v = v > max ? max : v;
                Elements.setDouble(y, i, v);
            }
        } else {
            long min = lo == null ? Long.MIN_VALUE : lo.getLong(0);
            long max = hi == null ? Long.MAX_VALUE : hi.getLong(0);
            for (int i = 0; i < n; i++) {
                Elements.setLong(y, i, Math.min(Math.max(x.getLong(i), min), max));
            }
        }
        return new Tensor[] {y};
    }
}
