package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.PoolSpec;

/**
 * ONNX AveragePool: the double sum of the window cells inside the input over the divisor {@link
 * PoolSpec#counts} defines (cells inside the input, or inside the padded input with {@code
 * count_include_pad}). A window with nothing to count gives NaN (0 / 0), as ONNX's reference does.
 */
final class ReferenceAveragePool implements ReferenceKernel {
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
                double sum = 0;
                for (int off : win.offsets[p]) {
                    sum += x[xBase + off];
                }
                y[plane * win.outSpatial + p] = (float) (sum / win.divisor[p]);
            }
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, spec.outputShape())};
    }
}
