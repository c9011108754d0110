package io.srengine.reference;

import io.srengine.Tensor;

/**
 * The scalar Java implementation of one op: the executable specification that every fast backend is
 * tested against. Written for clarity, accumulating in double where sums are long.
 */
@FunctionalInterface
public interface ReferenceKernel {
    /** Computes the node's outputs, one per output slot. */
    Tensor[] run(KernelContext ctx);
}
