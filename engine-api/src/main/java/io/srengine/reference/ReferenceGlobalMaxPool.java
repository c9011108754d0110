package io.srengine.reference;

import io.srengine.Tensor;

/** ONNX GlobalMaxPool: the largest value of each {@code (n, c)} plane (NaN if it holds one). */
final class ReferenceGlobalMaxPool implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        int[] out = ctx.outputShape(0);
        int planes = xt.dim(0) * xt.dim(1);
        int size = planes == 0 ? 0 : xt.size() / planes;
        float[] x = SpatialSupport.floats(xt);
        float[] y = new float[planes];
        for (int plane = 0; plane < planes; plane++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, x[plane * size + i]);
            }
            y[plane] = max;
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, out)};
    }
}
