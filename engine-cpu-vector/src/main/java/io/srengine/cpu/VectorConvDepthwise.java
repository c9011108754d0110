package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (group = input channels = output channels): in the blocked layout the
 * channels already are the vector lanes, so every tap is one vector FMA of input by weight, with no
 * broadcast and no reduction. Eight output pixels are accumulated at once so each weight vector is
 * loaded once per eight FMAs; edge pixels, whose tap window the image clips, go one at a time.
 */
final class VectorConvDepthwise implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    private static final int WIDE = 8;

    private final int kh;
    private final int kw;
    private final int sy;
    private final int sx;
    private final int dy;
    private final int dx;
    private final int padT;
    private final int padL;
    /** Weights {@code [block][ky][kx][lane]}. */
    private final float[] weights;
    private final float[] bias;
    private final Epilogue epilogue;
    private final BlockedView in;
    private final BlockedView out;
    private final int uLo;
    private final int uHi;

    VectorConvDepthwise(PackedDepthwise w, int sy, int sx, int dy, int dx, int padT, int padL, Epilogue epilogue,
            BlockedView in, BlockedView out) {
        this.kh = w.kh;
        this.kw = w.kw;
        this.weights = w.weights;
        this.bias = w.bias;
        this.sy = sy;
        this.sx = sx;
        this.dy = dy;
        this.dx = dx;
        this.padT = padT;
        this.padL = padL;
        this.epilogue = epilogue;
        this.in = in;
        this.out = out;
        int lo = Math.min(out.width, Math.max(0, Math.ceilDiv(padL, sx)));
        int hi = Math.min(out.width, Math.floorDiv(in.width - 1 - (kw - 1) * dx + padL, sx) + 1);
        this.uLo = lo;
        this.uHi = Math.max(lo, hi);
    }

    /** Depthwise weights packed per channel block. */
    record PackedDepthwise(int channels, int kh, int kw, float[] weights, float[] bias) {
        /** Packs ONNX weights {@code [C][1][kh][kw]} and an optional bias {@code [C]}. */
        static PackedDepthwise pack(float[] w, float[] b, int channels, int kh, int kw) {
            float[] p = new float[Simd.padded(channels) * kh * kw];
            for (int c = 0; c < channels; c++) {
                int cb = c / L;
                for (int t = 0; t < kh * kw; t++) {
                    p[(cb * kh * kw + t) * L + c % L] = w[c * kh * kw + t];
                }
            }
            float[] bias = new float[Simd.padded(channels)];
            if (b != null) {
                System.arraycopy(b, 0, bias, 0, channels);
            }
            return new PackedDepthwise(channels, kh, kw, p, bias);
        }
    }

    int items() {
        return out.batch * out.height * out.blocks();
    }

    @Override
    public void run(int worker, int item) {
        int blocks = out.blocks();
        int perImage = out.height * blocks;
        int n = item / perImage;
        int r = item - n * perImage;
        int oy = r / blocks;
        int cb = r - oy * blocks;
        int iy = oy * sy - padT;
        int ky0 = Math.max(0, Math.ceilDiv(-iy, dy));
        int ky1 = Math.min(kh, Math.floorDiv(in.height - 1 - iy, dy) + 1);
        int rowIn = in.base(n) + (cb * in.height + iy) * in.width * L;
        int rel = (cb * out.height + oy) * out.width * L;
        int rowOut = out.base(n) + rel;
        int wBase = cb * kh * kw * L;
        int u = 0;
        for (; u < uLo; u++) {
            pixel(rowIn, rowOut, wBase, cb * L, u, ky0, ky1);
        }
        for (; u + WIDE <= uHi; u += WIDE) {
            wide(rowIn + (u * sx - padL) * L, rowOut + u * L, wBase, cb * L, ky0, ky1);
        }
        for (; u < out.width; u++) {
            pixel(rowIn, rowOut, wBase, cb * L, u, ky0, ky1);
        }
        epilogue.apply(out.data, out.base(n), rel, n, cb, out.width);
    }

    private void wide(int ib, int ob, int wBase, int biasOff, int ky0, int ky1) {
        final FloatVector b = FloatVector.fromArray(S, bias, biasOff);
        final float[] x = in.data;
        final float[] w = weights;
        final int ps = sx * L;
        final int rowStep = dy * in.width * L;
        final int colStep = dx * L;
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                FloatVector wv = FloatVector.fromArray(S, w, wBase + (ky * kw + kx) * L);
                int i = ib + ky * rowStep + kx * colStep;
                a0 = FloatVector.fromArray(S, x, i).fma(wv, a0);
                a1 = FloatVector.fromArray(S, x, i + ps).fma(wv, a1);
                a2 = FloatVector.fromArray(S, x, i + 2 * ps).fma(wv, a2);
                a3 = FloatVector.fromArray(S, x, i + 3 * ps).fma(wv, a3);
                a4 = FloatVector.fromArray(S, x, i + 4 * ps).fma(wv, a4);
                a5 = FloatVector.fromArray(S, x, i + 5 * ps).fma(wv, a5);
                a6 = FloatVector.fromArray(S, x, i + 6 * ps).fma(wv, a6);
                a7 = FloatVector.fromArray(S, x, i + 7 * ps).fma(wv, a7);
            }
        }
        float[] y = out.data;
        a0.intoArray(y, ob);
        a1.intoArray(y, ob + L);
        a2.intoArray(y, ob + 2 * L);
        a3.intoArray(y, ob + 3 * L);
        a4.intoArray(y, ob + 4 * L);
        a5.intoArray(y, ob + 5 * L);
        a6.intoArray(y, ob + 6 * L);
        a7.intoArray(y, ob + 7 * L);
    }

    private void pixel(int rowIn, int rowOut, int wBase, int biasOff, int u, int ky0, int ky1) {
        final FloatVector b = FloatVector.fromArray(S, bias, biasOff);
        int ix = u * sx - padL;
        int kx0 = Math.max(0, Math.ceilDiv(-ix, dx));
        int kx1 = Math.min(kw, Math.floorDiv(in.width - 1 - ix, dx) + 1);
        FloatVector a = b;
        for (int ky = ky0; ky < ky1; ky++) {
            int i = rowIn + (ky * dy * in.width + ix) * L;
            for (int kx = kx0; kx < kx1; kx++) {
                a = FloatVector.fromArray(S, in.data, i + kx * dx * L)
                        .fma(FloatVector.fromArray(S, weights, wBase + (ky * kw + kx) * L), a);
            }
        }
        a.intoArray(out.data, rowOut + u * L);
    }
}
