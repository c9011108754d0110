package io.srengine.reference;

import io.srengine.Tensor;

/**
 * ONNX BatchNormalization in inference mode: {@code y = (x - mean) / sqrt(var + epsilon) * scale + B}
 * per channel (per activation with the opset 7-8 {@code spatial=0}), in double. Outputs 1 and 2, when
 * named (opsets 7-13), are the running mean and variance, unchanged in inference.
 */
final class ReferenceBatchNormalization implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        float[] x = SpatialSupport.floats(xt);
        float[] scale = SpatialSupport.floats(ctx.input(1));
        float[] bias = SpatialSupport.floats(ctx.input(2));
        float[] mean = SpatialSupport.floats(ctx.input(3));
        float[] var = SpatialSupport.floats(ctx.input(4));
        double epsilon = ctx.node().attrFloat("epsilon", 1e-5f);
        boolean spatial = ctx.node().attrInt("spatial", 1) != 0;
        int channels = xt.dim(1);
        int inner = channels == 0 ? 0 : xt.size() / Math.max(1, xt.dim(0)) / channels;
        int params = spatial ? channels : channels * inner;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = spatial ? (i / inner) % channels : i % params;
            y[i] = (float) ((x[i] - (double) mean[c]) / Math.sqrt(var[c] + epsilon) * scale[c] + bias[c]);
        }
        Tensor[] out = new Tensor[ctx.node().outputs().size()];
        out[0] = SpatialSupport.output(ctx, 0, y, xt.shape());
        for (int i = 1; i < out.length; i++) {
            if (!ctx.node().output(i).isEmpty()) {
                out[i] = ctx.input(i + 2).to(ctx.outputType(i).dataType());
            }
        }
        return out;
    }
}
