package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.PoolSpec;

/**
 * ONNX MaxPool (output Y only): the largest window cell inside the input; padding never wins, and a
 * NaN in the window gives NaN. A window entirely in the padding gives negative infinity.
 */
final class ReferenceMaxPool implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        PoolSpec spec = PoolSpec.of(ctx.node(), xt.shape());
        PoolWindows win = new PoolWindows(spec);
        float[] x = SpatialSupport.floats(xt);
        int planes = spec.batch() * spec.channels();
        float[] y = new float[planes * win.outSpatial];
        for (int plane = 0; plane < planes; plane++) {
            int xBase = plane * win.inSpatial;
            for (int p = 0; p < win.outSpatial; p++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int off : win.offsets[p]) {
                    max = Math.max(max, x[xBase + off]);
                }
                y[plane * win.outSpatial + p] = max;
            }
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, spec.outputShape())};
    }
}
