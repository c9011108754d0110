package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * Image quality metrics as the super-resolution literature reports them (and as BasicSR computes
 * them): on the luma channel Y of BT.601 in MATLAB's {@code rgb2ycbcr} convention (studio range,
 * 16..235 on a 0..255 scale), with a border of {@code crop} pixels left out on every side.
 *
 * <ul>
 *   <li>PSNR: {@code 10 log10(255^2 / MSE)}, infinite for identical images.
 *   <li>SSIM: Wang et al. (2004) with an 11x11 Gaussian window of sigma 1.5, {@code K1 = 0.01},
 *       {@code K2 = 0.03}, {@code L = 255}, population (not sample) covariances, and the mean taken
 *       over the positions where the window fits entirely inside the (cropped) image.
 * </ul>
 */
public final class Metrics {
    private static final double PEAK = 255;
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = (0.01 * PEAK) * (0.01 * PEAK);
    private static final double C2 = (0.03 * PEAK) * (0.03 * PEAK);

    private Metrics() {}

    /**
     * The Y channel on a 0..255 scale: {@code 16 + 65.481 R + 128.553 G + 24.966 B} with R, G, B in [0, 1].
     *
     * @param image the image
     * @return a new row-major plane of {@code width * height} values
     */
    public static double[] luma(PlanarImage image) {
        float[] r = image.red();
        float[] g = image.green();
        float[] b = image.blue();
        double[] y = new double[r.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 16 + 65.481 * r[i] + 128.553 * g[i] + 24.966 * b[i];
        }
        return y;
    }

    /**
     * PSNR in dB between the Y channels of two images of equal size, {@code crop} border pixels left out.
     *
     * @param a one image
     * @param b the other, of the same size
     * @param crop border pixels left out on every side, usually the scale factor
     * @return the PSNR in dB; {@code Double.POSITIVE_INFINITY} when the Y channels are equal
     * @throws SrException {@code INVALID_ARGUMENT} when the sizes differ or the crop leaves nothing
     */
    public static double psnrY(PlanarImage a, PlanarImage b, int crop) {
        checkSameSize(a, b);
        return psnr(luma(a), luma(b), a.width(), a.height(), crop);
    }

    /**
     * SSIM between the Y channels of two images of equal size, {@code crop} border pixels left out.
     *
     * @param a one image
     * @param b the other, of the same size
     * @param crop border pixels left out on every side, usually the scale factor
     * @return the mean SSIM, at most 1
     * @throws SrException {@code INVALID_ARGUMENT} when the sizes differ or the cropped image is
     *     smaller than the 11x11 window
     */
    public static double ssimY(PlanarImage a, PlanarImage b, int crop) {
        checkSameSize(a, b);
        return ssim(luma(a), luma(b), a.width(), a.height(), crop);
    }

    /**
     * PSNR in dB of two {@code w x h} planes on a 0..255 scale.
     *
     * @param a one plane, row-major
     * @param b the other plane
     * @param w width of both planes
     * @param h height of both planes
     * @param crop border pixels left out on every side
     * @return the PSNR in dB; {@code Double.POSITIVE_INFINITY} when equal
     * @throws SrException {@code INVALID_ARGUMENT} when the crop leaves nothing
     */
    public static double psnr(double[] a, double[] b, int w, int h, int crop) {
        checkCrop(w, h, crop, 1);
        double sum = 0;
        for (int y = crop; y < h - crop; y++) {
            for (int x = crop; x < w - crop; x++) {
                double d = a[y * w + x] - b[y * w + x];
                sum += d * d;
            }
        }
        double mse = sum / ((double) (w - 2 * crop) * (h - 2 * crop));
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(PEAK * PEAK / mse);
    }

    /**
     * Mean SSIM of two {@code w x h} planes on a 0..255 scale.
     *
     * @param a one plane, row-major
     * @param b the other plane
     * @param w width of both planes
     * @param h height of both planes
     * @param crop border pixels left out on every side
     * @return the mean SSIM, at most 1
     * @throws SrException {@code INVALID_ARGUMENT} when the cropped planes are smaller than the 11x11 window
     */
    public static double ssim(double[] a, double[] b, int w, int h, int crop) {
        checkCrop(w, h, crop, WINDOW);
        int cw = w - 2 * crop;
        int ch = h - 2 * crop;
        double[] x = new double[cw * ch];
        double[] y = new double[cw * ch];
        double[] xx = new double[cw * ch];
        double[] yy = new double[cw * ch];
        double[] xy = new double[cw * ch];
        for (int r = 0; r < ch; r++) {
            for (int c = 0; c < cw; c++) {
                int i = r * cw + c;
                double va = a[(r + crop) * w + c + crop];
                double vb = b[(r + crop) * w + c + crop];
                x[i] = va;
                y[i] = vb;
                xx[i] = va * va;
                yy[i] = vb * vb;
                xy[i] = va * vb;
            }
        }
        double[] kernel = gaussian();
        double[] mx = filterValid(x, cw, ch, kernel);
        double[] my = filterValid(y, cw, ch, kernel);
        double[] mxx = filterValid(xx, cw, ch, kernel);
        double[] myy = filterValid(yy, cw, ch, kernel);
        double[] mxy = filterValid(xy, cw, ch, kernel);
        double sum = 0;
        for (int i = 0; i < mx.length; i++) {
            double mux = mx[i];
            double muy = my[i];
            double vx = mxx[i] - mux * mux;
            double vy = myy[i] - muy * muy;
            double cxy = mxy[i] - mux * muy;
            sum += ((2 * mux * muy + C1) * (2 * cxy + C2)) / ((mux * mux + muy * muy + C1) * (vx + vy + C2));
        }
        return sum / mx.length;
    }

    private static double[] gaussian() {
        double[] k = new double[WINDOW];
        double sum = 0;
        int r = WINDOW / 2;
        for (int i = 0; i < WINDOW; i++) {
            k[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable correlation keeping only the positions where the window fits. */
    private static double[] filterValid(double[] p, int w, int h, double[] k) {
        int ow = w - k.length + 1;
        int oh = h - k.length + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double acc = 0;
                for (int t = 0; t < k.length; t++) {
                    acc += k[t] * p[y * w + x + t];
                }
                rows[y * ow + x] = acc;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double acc = 0;
                for (int t = 0; t < k.length; t++) {
                    acc += k[t] * rows[(y + t) * ow + x];
                }
                out[y * ow + x] = acc;
            }
        }
        return out;
    }

    private static void checkSameSize(PlanarImage a, PlanarImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "cannot compare a " + a.width() + "x" + a.height()
                    + " image with a " + b.width() + "x" + b.height() + " one");
        }
    }

    private static void checkCrop(int w, int h, int crop, int minSize) {
        if (crop < 0 || w - 2 * crop < minSize || h - 2 * crop < minSize) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a " + w + "x" + h + " image cropped by " + crop
                    + " pixels per border is smaller than " + minSize + "x" + minSize + ", too small to measure");
        }
    }
}
