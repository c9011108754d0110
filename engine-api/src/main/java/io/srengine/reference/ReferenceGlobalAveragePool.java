package io.srengine.reference;

import io.srengine.Tensor;

/** ONNX GlobalAveragePool: the mean of each {@code (n, c)} plane, summed in double. */
final class ReferenceGlobalAveragePool implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        int[] out = ctx.outputShape(0);
        int planes = xt.dim(0) * xt.dim(1);
        int size = planes == 0 ? 0 : xt.size() / planes;
        float[] x = SpatialSupport.floats(xt);
        float[] y = new float[planes];
        for (int plane = 0; plane < planes; plane++) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += x[plane * size + i];
            }
            y[plane] = (float) (sum / size);
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, out)};
    }
}
