package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.TransposeOp;

/** Transpose: output coordinate c reads the input at the coordinate whose axis {@code perm[k]} is {@code c[k]}. */
final class ReferenceTranspose implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor in = ctx.input(0);
        Tensor out = ctx.allocateOutput(0);
        int[] perm = TransposeOp.permutation(ctx.node(), in.rank());
        int[] inStrides = Elements.strides(in.shape());
        int[] strides = new int[perm.length];
        for (int k = 0; k < perm.length; k++) {
            strides[k] = inStrides[perm[k]];
        }
        int[] shape = out.shape();
        int[] coord = new int[shape.length];
        int n = out.size();
        for (int o = 0; o < n; o++) {
            Elements.copy(in, Elements.offset(coord, strides), out, o, 1);
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
