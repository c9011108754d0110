package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/** Expand: the input broadcast to the output shape (stride 0 along broadcast axes). */
final class ReferenceExpand implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor in = ctx.input(0);
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        int[] strides = Broadcast.strides(in.shape(), shape);
        int[] coord = new int[shape.length];
        int n = out.size();
        for (int o = 0; o < n; o++) {
            Elements.copy(in, Elements.offset(coord, strides), out, o, 1);
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
