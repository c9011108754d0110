package io.srengine.reference;

import io.srengine.Tensor;

/**
 * Concat: the output is {@code outer} rows (the product of the dimensions before the axis), and row
 * r is the r-th row of each input in turn, an input's row being its axis length times the product
 * of the dimensions after the axis.
 */
final class ReferenceConcat implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        long a = ctx.node().attrInt("axis");
        int axis = (int) (a < 0 ? a + shape.length : a);
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape[k];
        }
        int inner = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        int outRow = shape[axis] * inner;
        int offset = 0;
        for (int i = 0; i < ctx.inputCount(); i++) {
            Tensor in = ctx.input(i);
            int row = in.dim(axis) * inner;
            for (int r = 0; r < outer; r++) {
                Elements.copy(in, r * row, out, r * outRow + offset, row);
            }
            offset += row;
        }
        return new Tensor[] {out};
    }
}
