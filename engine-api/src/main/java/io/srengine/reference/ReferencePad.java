package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.PadOp;

/**
 * Pad: each output coordinate maps axis by axis to an input coordinate ({@link PadOp#sourceIndex});
 * where any axis falls in constant padding the element is the constant value (input 2, else zero).
 */
final class ReferencePad implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        String who = ctx.node().describe();
        Tensor in = ctx.input(0);
        PadOp.Mode mode = PadOp.mode(ctx.node());
        int[] inShape = in.shape();
        long[] axes = ctx.hasInput(3) ? ctx.input(3).toLongArray() : null;
        long[][] amounts = PadOp.amounts(who, inShape.length, ctx.input(1).toLongArray(), axes);
        for (int k = 0; k < inShape.length; k++) {
            PadOp.outputSize(who, k, inShape[k], amounts[0][k], amounts[1][k], mode);
        }
        Tensor out = ctx.allocateOutput(0);
        Tensor value = ctx.input(2);
        int[] shape = out.shape();
        int[] inStrides = Elements.strides(inShape);
        int[] coord = new int[shape.length];
        int n = out.size();
        for (int o = 0; o < n; o++) {
            int src = 0;
            for (int k = 0; k < shape.length && src >= 0; k++) {
                long i = PadOp.sourceIndex(mode, coord[k], inShape[k], amounts[0][k], amounts[1][k]);
                src = i < 0 ? -1 : src + (int) i * inStrides[k];
            }
            if (src >= 0) {
                Elements.copy(in, src, out, o, 1);
            } else if (value != null) {
                Elements.copy(value, 0, out, o, 1);
            }
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
