package io.srengine.reference;

import io.srengine.Tensor;
import java.util.Arrays;

/**
 * Ops that keep the elements in row-major order and only change the shape: Identity, Reshape,
 * Squeeze, Unsqueeze and Flatten. The output shape comes from shape inference; the data is copied
 * so that no two values of a run share an array.
 */
final class ReferenceReshape implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = ctx.outputShape(0);
        if (Tensor.checkedSize(shape) != x.size()) {
            throw ctx.error("the output shape " + Arrays.toString(shape) + " does not hold the "
                    + x.size() + " elements of the input " + x);
        }
        return new Tensor[] {x.copy().reshape(shape)};
    }
}
