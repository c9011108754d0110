package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;

/**
 * Gather: with {@code outer} the product of the data dimensions before the axis and {@code inner}
 * the product of those after it, output block (o, k) is the data block (o, indices[k]), each block
 * {@code inner} elements long. Negative indices count from the end of the axis.
 */
final class ReferenceGather implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        Tensor out = ctx.allocateOutput(0);
        int[] shape = data.shape();
        long a = ctx.node().attrInt("axis", 0);
        int axis = (int) (a < 0 ? a + shape.length : a);
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= shape[k];
        }
        int inner = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        int size = shape[axis];
        int count = indices.size();
        for (int k = 0; k < count; k++) {
            long index = indices.getLong(k);
            if (index < -size || index >= size) {
                throw new SrException(ErrorCode.INVALID_INPUT, ctx.node().describe() + ": index " + index
                        + " is out of range for axis " + axis + " of size " + size + " (data " + data + ")");
            }
            int i = (int) (index < 0 ? index + size : index);
            for (int o = 0; o < outer; o++) {
                Elements.copy(data, (o * size + i) * inner, out, (o * count + k) * inner, inner);
            }
        }
        return new Tensor[] {out};
    }
}
