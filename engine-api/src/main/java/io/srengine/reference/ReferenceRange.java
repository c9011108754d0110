package io.srengine.reference;

import io.srengine.Tensor;

/** Range: {@code start + i·delta}, computed in double for floating-point types and in long for integers. */
final class ReferenceRange implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor y = ctx.allocateOutput(0);
        Tensor start = ctx.input(0);
        Tensor delta = ctx.input(2);
        boolean fp = y.dataType().isFloatingPoint();
        for (int i = 0; i < y.size(); i++) {
            if (fp) {
                Elements.setDouble(y, i, start.getDouble(0) + i * delta.getDouble(0));
            } else {
                Elements.setLong(y, i, start.getLong(0) + i * delta.getLong(0));
            }
        }
        return new Tensor[] {y};
    }
}
