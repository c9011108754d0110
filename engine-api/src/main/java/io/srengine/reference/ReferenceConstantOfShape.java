package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ConstantOfShapeOp;

/** ConstantOfShape: every element the single value of the {@code value} attribute. */
final class ReferenceConstantOfShape implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor value = ConstantOfShapeOp.value(ctx.node());
        Tensor out = ctx.allocateOutput(0);
        int n = out.size();
        for (int i = 0; i < n; i++) {
            Elements.copy(value, 0, out, i, 1);
        }
        return new Tensor[] {out};
    }
}
