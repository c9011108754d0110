package io.srengine.formats.tfjs;

import io.srengine.Tensor;

/**
 * TensorFlow's definitions written out directly on NHWC data with HWIO kernels, so that the
 * translated NCHW graphs can be checked against them: Conv2D with TensorFlow's SAME rule
 * ({@code out = ceil(in / stride)}, total padding {@code max((out-1)*stride + (k-1)*d + 1 - in, 0)},
 * the smaller half before) or VALID, summed in double.
 */
final class TfReference {
    private TfReference() {}

    static float[] conv2d(float[] x, int h, int w, int ci, float[] hwio, int kh, int kw, int co, float[] bias,
            int stride, int dil, boolean same) {
        int oh;
        int ow;
        int padTop = 0;
        int padLeft = 0;
        if (same) {
            oh = (h + stride - 1) / stride;
            ow = (w + stride - 1) / stride;
            padTop = Math.max((oh - 1) * stride + (kh - 1) * dil + 1 - h, 0) / 2;
            padLeft = Math.max((ow - 1) * stride + (kw - 1) * dil + 1 - w, 0) / 2;
        } else {
            oh = (h - (kh - 1) * dil - 1) / stride + 1;
            ow = (w - (kw - 1) * dil - 1) / stride + 1;
        }
        float[] y = new float[oh * ow * co];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < co; o++) {
                    double sum = bias == null ? 0 : bias[o];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * stride + ky * dil - padTop;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * stride + kx * dil - padLeft;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int i = 0; i < ci; i++) {
                                sum += (double) x[(iy * w + ix) * ci + i] * hwio[((ky * kw + kx) * ci + i) * co + o];
                            }
                        }
                    }
                    y[(oy * ow + ox) * co + o] = (float) sum;
                }
            }
        }
        return y;
    }

    /** One NHWC image as an NCHW tensor {@code [1, c, h, w]}. */
    static Tensor toNchw(float[] nhwc, int h, int w, int c) {
        float[] out = new float[nhwc.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    out[(k * h + y) * w + x] = nhwc[(y * w + x) * c + k];
                }
            }
        }
        return Tensor.of(out, 1, c, h, w);
    }

    /** One NCHW image's values in NHWC order. */
    static float[] toNhwc(float[] nchw, int h, int w, int c) {
        float[] out = new float[nchw.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    out[(y * w + x) * c + k] = nchw[(k * h + y) * w + x];
                }
            }
        }
        return out;
    }
}
