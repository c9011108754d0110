package io.srengine.cpu;

/**
 * Conv on the blocked layout (or on a planar NCHW input, for a first layer that reads the graph input
 * directly) through one {@link ConvPass}: any kernel size, stride, padding, dilation and groups. Work
 * items are (image, output row, output-channel group); each computes its row with the micro-kernels
 * and then runs the epilogue on it while it is hot.
 */
final class VectorConv2d implements WorkerPool.Task {
    private static final int L = Simd.LANES;

    private final ConvPass pass;
    private final Epilogue epilogue;
    private final float[] in;
    private final int inOffset;
    private final int inBatchStride;
    private final BlockedView out;
    private final int items;

    /**
     * @param in the input array; image n starts at {@code inOffset + n·inBatchStride}, blocked or planar
     *     as the pass was built
     */
    VectorConv2d(ConvPass pass, Epilogue epilogue, float[] in, int inOffset, int inBatchStride, BlockedView out) {
        this.pass = pass;
        this.epilogue = epilogue;
        this.in = in;
        this.inOffset = inOffset;
        this.inBatchStride = inBatchStride;
        this.out = out;
        this.items = out.batch * pass.rows * pass.groupCount();
    }

    int items() {
        return items;
    }

    @Override
    public void run(int worker, int item) {
        int groups = pass.groupCount();
        int perImage = pass.rows * groups;
        int n = item / perImage;
        int r = item - n * perImage;
        int q = r / groups;
        int gi = r - q * groups;
        int outBase = out.base(n);
        pass.runRow(in, inOffset + n * inBatchStride, out.data, outBase, q, gi);
        if (!epilogue.isIdentity()) {
            PackedConv.Group g = pass.weights.groups[gi];
            for (int b = 0; b < g.blocks; b++) {
                int ob = g.ocBlock + b;
                epilogue.apply(out.data, outBase, (ob * out.height + q) * out.width * L, n, ob, out.width);
            }
        }
    }

    /**
     * Scalar twin: a plain NCHW convolution accumulating in double, the definition the vector path is
     * tested against.
     */
    static float[] scalar(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int oc, int kh, int kw,
            int sy, int sx, int dy, int dx, int padT, int padL, int groups, int oh, int ow) {
        float[] y = new float[n * oc * oh * ow];
        int icg = c / groups;
        int ocg = oc / groups;
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                int g = o / ocg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = bias == null ? 0 : bias[o];
                        for (int i = 0; i < icg; i++) {
                            int ic = g * icg + i;
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * sy - padT + ky * dy;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * sx - padL + kx * dx;
                                    if (ix >= 0 && ix < w) {
                                        acc += (double) x[((b * c + ic) * h + iy) * w + ix]
                                                * weight[((o * icg + i) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                        y[((b * oc + o) * oh + oy) * ow + ox] = (float) acc;
                    }
                }
            }
        }
        return y;
    }
}
