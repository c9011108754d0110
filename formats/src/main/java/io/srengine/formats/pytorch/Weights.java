package io.srengine.formats.pytorch;

import io.srengine.Tensor;

/** Arithmetic on weight tensors that the builders fold in before the graph exists. */
final class Weights {
    private Weights() {}

    /** OIHW weights whose input channel {@code j} is the original's {@code order[j]}. */
    static Tensor permuteInputChannels(Tensor w, int[] order) {
        int[] s = w.shape();
        int o = s[0];
        int in = s[1];
        int hw = s[2] * s[3];
        float[] src = w.floats();
        float[] dst = new float[src.length];
        for (int a = 0; a < o; a++) {
            for (int j = 0; j < in; j++) {
                System.arraycopy(src, (a * in + order[j]) * hw, dst, (a * in + j) * hw, hw);
            }
        }
        return Tensor.of(dst, s);
    }

    /**
     * The 3x3 convolution equal, away from the image border, to SPAN's Conv3XC training chain: a 1x1
     * conv (w1, b1), a 3x3 conv without padding (w2, b2), a 1x1 conv (w3, b3), plus a 1x1 skip
     * (sk, skb) at the kernel's centre. This is the {@code eval_conv} SPAN itself computes from the
     * trained weights on every forward pass in eval mode. Summed in double.
     *
     * @return {weight [O, I, 3, 3], bias [O]}
     */
    static Tensor[] fuseConv3xc(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3, Tensor sk, Tensor skb) {
        int mid1 = w1.dim(0);
        int in = w1.dim(1);
        int mid2 = w2.dim(0);
        int out = w3.dim(0);
        float[] f1 = w1.floats();
        float[] f2 = w2.floats();
        float[] f3 = w3.floats();
        // t[m, i, yx] = sum_n w2[m, n, yx] * w1[n, i]
        double[] t = new double[mid2 * in * 9];
        for (int m = 0; m < mid2; m++) {
            for (int n = 0; n < mid1; n++) {
                for (int yx = 0; yx < 9; yx++) {
                    double a = f2[(m * mid1 + n) * 9 + yx];
                    for (int i = 0; i < in; i++) {
                        t[(m * in + i) * 9 + yx] += a * f1[n * in + i];
                    }
                }
            }
        }
        float[] w = new float[out * in * 9];
        float[] bias = new float[out];
        float[] fb1 = b1.floats();
        float[] fb2 = b2.floats();
        float[] fb3 = b3.floats();
        float[] fsk = sk.floats();
        float[] fskb = skb.floats();
        // The middle conv's output bias: b2 plus w2 applied to the constant b1.
        double[] bmid = new double[mid2];
        for (int m = 0; m < mid2; m++) {
            bmid[m] = fb2[m];
            for (int n = 0; n < mid1; n++) {
                double s = 0;
                for (int yx = 0; yx < 9; yx++) {
                    s += f2[(m * mid1 + n) * 9 + yx];
                }
                bmid[m] += s * fb1[n];
            }
        }
        for (int o = 0; o < out; o++) {
            double[] acc = new double[in * 9];
            double bo = fb3[o] + fskb[o];
            for (int m = 0; m < mid2; m++) {
                double c = f3[o * mid2 + m];
                for (int j = 0; j < acc.length; j++) {
                    acc[j] += c * t[m * in * 9 + j];
                }
                bo += c * bmid[m];
            }
            for (int i = 0; i < in; i++) {
                acc[i * 9 + 4] += fsk[o * in + i];
            }
            for (int j = 0; j < acc.length; j++) {
                w[o * in * 9 + j] = (float) acc[j];
            }
            bias[o] = (float) bo;
        }
        return new Tensor[] {Tensor.of(w, out, in, 3, 3), Tensor.of(bias, out)};
    }
}
