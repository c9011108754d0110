package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.Metrics;
import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import io.srengine.upscale.Upscaler;
import java.awt.image.BufferedImage;

/**
 * One image through the standard super-resolution benchmark protocol (as BasicSR runs it): the
 * high-resolution image, in 8 bits, is cropped to a multiple of the scale and shrunk with
 * MATLAB-style antialiased bicubic; the 8-bit low-resolution image is enlarged back by the model and
 * by bicubic; both results, rounded to 8 bits, are compared with the original on the Y channel with
 * {@code scale} pixels left out at every border.
 */
final class QualityEvaluation {
    /** The images of one evaluation, all 8-bit-rounded, and their scores. */
    record Result(PlanarImage hr, PlanarImage lr, PlanarImage bicubic, PlanarImage model, int scale,
            double psnrBicubic, double ssimBicubic, double psnrModel, double ssimModel) {}

    private QualityEvaluation() {}

    static Result run(PlanarImage original, Upscaler upscaler) {
        int s = upscaler.modelScale();
        int w = original.width() - original.width() % s;
        int h = original.height() - original.height() % s;
        int min = 11 + 2 * s;
        if (w < min || h < min) {
            throw new SrException(ErrorCode.INVALID_INPUT, "a " + original.width() + "x" + original.height()
                    + " image is too small to evaluate at x" + s + ": it needs at least " + min + "x" + min + " pixels");
        }
        PlanarImage hr = original.withoutAlpha().crop(0, 0, w, h).quantized(8);
        PlanarImage lr = Resampler.resize(hr, w / s, h / s, Resampler.Filter.BICUBIC, true).quantized(8);
        PlanarImage bicubic = Resampler.resize(lr, w, h, Resampler.Filter.BICUBIC, true).quantized(8);
        PlanarImage model = upscaler.upscale(lr, null).quantized(8);
        return new Result(hr, lr, bicubic, model, s, Metrics.psnrY(bicubic, hr, s), Metrics.ssimY(bicubic, hr, s),
                Metrics.psnrY(model, hr, s), Metrics.ssimY(model, hr, s));
    }

    /**
     * Four crops side by side, 4 pixels apart: the low-resolution input enlarged by pixel repetition,
     * bicubic, the model, the original. The crop (at most {@code size} pixels square) is where bicubic
     * errs most, i.e. where there is detail to recover.
     */
    static BufferedImage comparison(Result r, int size) {
        int s = r.scale();
        int c = Math.min(size, Math.min(r.hr().width(), r.hr().height())) / s * s;
        int[] at = worstWindow(r.bicubic(), r.hr(), c, s);
        int x0 = at[0];
        int y0 = at[1];
        int gap = 4;
        int width = 4 * c + 3 * gap;
        int n = width * c;
        float[][] planes = new float[3][n];
        for (float[] p : planes) {
            java.util.Arrays.fill(p, 1f);
        }
        PlanarImage[] panels = {null, r.bicubic(), r.model(), r.hr()};
        for (int k = 0; k < 4; k++) {
            int ox = k * (c + gap);
            for (int y = 0; y < c; y++) {
                for (int x = 0; x < c; x++) {
                    int dst = y * width + ox + x;
                    for (int ch = 0; ch < 3; ch++) {
                        planes[ch][dst] = k == 0
                                ? r.lr().plane(ch)[((y0 + y) / s) * r.lr().width() + (x0 + x) / s]
                                : panels[k].plane(ch)[(y0 + y) * r.hr().width() + x0 + x];
                    }
                }
            }
        }
        return new PlanarImage(width, c, planes[0], planes[1], planes[2], null, PixelFormat.RGB8).toBufferedImage();
    }

    /** The top-left corner, on the scale's grid, of the {@code c x c} window with the largest squared Y error. */
    private static int[] worstWindow(PlanarImage a, PlanarImage b, int c, int s) {
        int w = a.width();
        int h = a.height();
        double[] ya = Metrics.luma(a);
        double[] yb = Metrics.luma(b);
        double[] sum = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = ya[y * w + x] - yb[y * w + x];
                sum[(y + 1) * (w + 1) + x + 1] = d * d + sum[y * (w + 1) + x + 1] + sum[(y + 1) * (w + 1) + x] - sum[y * (w + 1) + x];
            }
        }
        int[] best = {0, 0};
        double bestErr = -1;
        for (int y = 0; y + c <= h; y += s) {
            for (int x = 0; x + c <= w; x += s) {
                double e = sum[(y + c) * (w + 1) + x + c] - sum[y * (w + 1) + x + c] - sum[(y + c) * (w + 1) + x] + sum[y * (w + 1) + x];
                if (e > bestErr) {
                    bestErr = e;
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }
}
