package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ShapeOp;

/** Shape: the input's dimensions {@code [start, end)} as int64. */
final class ReferenceShape implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        int[] dims = ctx.input(0).shape();
        int[] r = ShapeOp.range(ctx.node(), dims.length);
        long[] out = new long[r[1] - r[0]];
        for (int k = r[0]; k < r[1]; k++) {
            out[k - r[0]] = dims[k];
        }
        return new Tensor[] {Tensor.ofLongs(out, out.length)};
    }
}
