package io.srengine.upscale;

import io.srengine.image.Resampler;

/**
 * Keeps the input's colours: the model's output keeps its own high frequencies (the detail it adds)
 * but takes its low frequencies from the input enlarged with bicubic, as the "wavelet colour fix" of
 * diffusion-based upscalers does with one Gaussian split. This cures the colour and brightness shifts
 * some GAN models (Real-ESRGAN among them) put into flat areas, at the price of any deliberate change of
 * tone. The split is a Gaussian of {@value #SIGMA_INPUT_PIXELS} input pixels, cut at three sigma:
 * within the tile padding, so tiles stay seamless when the padding exceeds the blur's reach.
 */
final class ColorFix {
    static final double SIGMA_INPUT_PIXELS = 2.0;

    private ColorFix() {}

    /**
     * Replaces the low frequencies of {@code out} ({@code [3, wh*s, ww*s]}) by those of {@code window}
     * ({@code [3, wh, ww]}) enlarged {@code s} times.
     */
    static void apply(float[] out, float[] window, int ww, int wh, int s) {
        int ow = ww * s;
        int oh = wh * s;
        int plane = ow * oh;
        double sigma = SIGMA_INPUT_PIXELS * s;
        float[] kernel = gaussian(sigma);
        for (int c = 0; c < 3; c++) {
            float[] in = new float[ww * wh];
            System.arraycopy(window, c * ww * wh, in, 0, ww * wh);
            float[] up = Resampler.resize(in, ww, wh, ow, oh, Resampler.Filter.BICUBIC, false);
            float[] lowIn = blur(up, ow, oh, kernel);
            float[] mine = new float[plane];
            System.arraycopy(out, c * plane, mine, 0, plane);
            float[] lowOut = blur(mine, ow, oh, kernel);
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = mine[i] - lowOut[i] + lowIn[i];
            }
        }
    }

    private static float[] gaussian(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Separable blur with the edge pixels repeated past the border. */
    static float[] blur(float[] p, int w, int h, float[] k) {
        int r = k.length / 2;
        float[] tmp = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int t = -r; t <= r; t++) {
                    acc += k[t + r] * p[y * w + Math.clamp(x + t, 0, w - 1)];
                }
                tmp[y * w + x] = acc;
            }
        }
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int t = -r; t <= r; t++) {
                    acc += k[t + r] * tmp[Math.clamp(y + t, 0, h - 1) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }
}
