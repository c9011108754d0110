package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ReduceSpec;

/** ONNX ReduceMean: the double sum of each group of reduced cells over its size (NaN for an empty group). */
final class ReferenceReduceMean implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        int[] shape = xt.shape();
        ReduceSpec spec = ReduceSpec.of(ctx.node(), shape.length, ctx.input(1));
        // The output index of an input cell: its coordinates on the kept axes, row-major.
        int[] keptStride = new int[shape.length];
        int outCount = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (!spec.reduces(i)) {
                keptStride[i] = outCount;
                outCount *= shape[i];
            }
        }
        float[] x = SpatialSupport.floats(xt);
        double[] sum = new double[outCount];
        int[] coord = new int[shape.length];
        for (int p = 0; p < x.length; p++) {
            SpatialSupport.unravel(p, shape, coord);
            int o = 0;
            for (int i = 0; i < shape.length; i++) {
                o += coord[i] * keptStride[i];
            }
            sum[o] += x[p];
        }
        double count = outCount == 0 ? 0 : (double) x.length / outCount;
        float[] y = new float[outCount];
        for (int o = 0; o < outCount; o++) {
            y[o] = (float) (sum[o] / count);
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, spec.outputShape(shape))};
    }
}
