package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ConvTransposeSpec;
import io.srengine.ops.FusedActivation;

/**
 * ONNX ConvTranspose over any number of spatial axes, with groups, optional bias and srengine's
 * fused activation. Input cell {@code i} and tap {@code k} feed output cell {@code i * stride + k *
 * dilation - pad_begin}; this kernel gathers, for each output cell, every {@code (i, k)} that lands
 * on it, so each output is one double sum. {@code W} is {@code [C, M/group, k...]}.
 */
final class ReferenceConvTranspose implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        Tensor wt = ctx.input(1);
        ConvTransposeSpec spec = ConvTransposeSpec.of(ctx.node(), xt.shape(), wt.shape());
        FusedActivation act = FusedActivation.of(ctx.node(), ctx.input(FusedActivation.SLOPE_INPUT));
        float[] x = SpatialSupport.floats(xt);
        float[] w = SpatialSupport.floats(wt);
        float[] bias = ctx.hasInput(2) ? SpatialSupport.floats(ctx.input(2)) : null;

        int n = spec.spatialRank();
        int[] inSize = new int[n];
        int[] outSize = new int[n];
        for (int i = 0; i < n; i++) {
            inSize[i] = spec.inputSize(i);
            outSize[i] = spec.outputSize(i);
        }
        int[] inStrides = SpatialSupport.strides(inSize);
        int inSpatial = SpatialSupport.product(inSize);
        int outSpatial = SpatialSupport.product(outSize);
        int[][] taps = SpatialSupport.allCoordinates(spec.kernelShape());
        int cg = spec.inChannelsPerGroup();
        int mg = spec.outChannelsPerGroup();
        int channels = spec.inChannels();
        int m = spec.outChannels();
        int[] outShape = spec.outputShape();
        float[] y = new float[SpatialSupport.product(outShape)];

        int[] o = new int[n];
        // The taps that read an input cell for this output cell: tap index and input offset.
        int[] tap = new int[taps.length];
        int[] offset = new int[taps.length];
        for (int p = 0; p < outSpatial; p++) {
            SpatialSupport.unravel(p, outSize, o);
            int valid = 0;
            for (int t = 0; t < taps.length; t++) {
                int off = 0;
                for (int i = 0; i < n; i++) {
                    int shifted = o[i] + spec.padBegin(i) - taps[t][i] * spec.dilation(i);
                    int s = spec.stride(i);
                    if (shifted < 0 || shifted % s != 0 || shifted / s >= inSize[i]) {
                        off = -1;
                        break;
                    }
                    off += shifted / s * inStrides[i];
                }
                if (off >= 0) {
                    tap[valid] = t;
                    offset[valid++] = off;
                }
            }
            for (int b = 0; b < spec.batch(); b++) {
                for (int oc = 0; oc < m; oc++) {
                    int g = oc / mg;
                    int ocg = oc - g * mg;
                    double acc = bias == null ? 0 : bias[oc];
                    for (int icg = 0; icg < cg; icg++) {
                        int ic = g * cg + icg;
                        int xBase = (b * channels + ic) * inSpatial;
                        int wBase = (ic * mg + ocg) * taps.length;
                        for (int k = 0; k < valid; k++) {
                            acc += (double) x[xBase + offset[k]] * w[wBase + tap[k]];
                        }
                    }
                    y[(b * m + oc) * outSpatial + p] = act.apply((float) acc, oc);
                }
            }
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, outShape)};
    }
}
