package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/** PRelu: {@code x < 0 ? slope * x : x}, the slope broadcast (unidirectionally) to X's shape. */
final class ReferencePRelu implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor slope = ctx.input(1);
        Tensor y = ctx.allocateOutput(0);
        int[] shape = x.shape();
        int[] ss = Broadcast.strides(slope.shape(), shape);
        int[] coord = new int[shape.length];
        boolean fp = x.dataType().isFloatingPoint();
        int n = x.size();
        for (int i = 0; i < n; i++) {
            int is = Elements.offset(coord, ss);
            if (fp) {
                double v = x.getDouble(i);
                Elements.setDouble(y, i, v < 0 ? slope.getDouble(is) * v : v);
            } else {
                long v = x.getLong(i);
                Elements.setLong(y, i, v < 0 ? slope.getLong(is) * v : v);
            }
            Elements.next(coord, shape);
        }
        return new Tensor[] {y};
    }
}
