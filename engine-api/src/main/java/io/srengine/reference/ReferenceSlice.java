package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.SliceOp;
import java.util.Arrays;

/** Slice: output coordinate c reads the input at {@code start[k] + c[k]*step[k]} on every axis k. */
final class ReferenceSlice implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor in = ctx.input(0);
        int[] inShape = in.shape();
        long[] starts = ctx.input(1).toLongArray();
        long[] ends = ctx.input(2).toLongArray();
        long[] axes = ctx.hasInput(3) ? ctx.input(3).toLongArray() : null;
        long[] steps = ctx.hasInput(4) ? ctx.input(4).toLongArray() : null;
        int[] sliced = SliceOp.checkParameters(ctx.node().describe(), inShape.length, starts, ends, axes, steps);
        int[] start = new int[inShape.length];
        int[] step = new int[inShape.length];
        Arrays.fill(step, 1);
        for (int k = 0; k < sliced.length; k++) {
            int a = sliced[k];
            long s = steps == null ? 1 : steps[k];
            long[] range = SliceOp.axisRange(inShape[a], starts[k], ends[k], s);
            start[a] = (int) range[0];
            // A step beyond the axis selects at most one element, so clamping it changes nothing.
            step[a] = (int) Math.max(Math.min(s, Integer.MAX_VALUE), -Integer.MAX_VALUE);
        }
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        int[] inStrides = Elements.strides(inShape);
        int[] coord = new int[shape.length];
        int n = out.size();
        for (int o = 0; o < n; o++) {
            int src = 0;
            for (int k = 0; k < shape.length; k++) {
                src += (start[k] + coord[k] * step[k]) * inStrides[k];
            }
            Elements.copy(in, src, out, o, 1);
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
