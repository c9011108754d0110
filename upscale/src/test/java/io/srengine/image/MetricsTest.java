package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /** texture() of the reference script mapped to 16..235. */
    private static double[] plane(int w, int h, int seed) {
        double[] p = new double[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (((i % w) * 37 + (i / w) * 91 + (i % w) * (i / w) * 13 + seed * 17) % 101) / 100.0 * 219 + 16;
        }
        return p;
    }

    private static double[] noisy(double[] a, int w, int h) {
        double[] b = a.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b[y * w + x] += ((y * 7 + x * 3) % 11 - 5) * 1.5;
            }
        }
        return b;
    }

    /** Values from scikit-image's structural_similarity and numpy (tools/image_reference_values.py). */
    @Test
    void matchesScikitImage() {
        double[] a = plane(32, 24, 1);
        double[] b = plane(32, 24, 2);
        assertEquals(9.34791670339, Metrics.psnr(a, b, 32, 24, 0), 1e-9);
        assertEquals(9.34667126593, Metrics.psnr(a, b, 32, 24, 3), 1e-9);
        assertEquals(0.177761123251, Metrics.ssim(a, b, 32, 24, 0), 1e-9);
        assertEquals(0.242558454056, Metrics.ssim(a, b, 32, 24, 3), 1e-9);
        double[] c = plane(40, 33, 1);
        double[] d = noisy(c, 40, 33);
        assertEquals(34.6089784276, Metrics.psnr(c, d, 40, 33, 0), 1e-9);
        assertEquals(34.6122913045, Metrics.psnr(c, d, 40, 33, 3), 1e-9);
        assertEquals(0.997128256811, Metrics.ssim(c, d, 40, 33, 0), 1e-9);
        assertEquals(0.997084354526, Metrics.ssim(c, d, 40, 33, 3), 1e-9);
    }

    @Test
    void identicalImagesArePerfect() {
        double[] a = plane(20, 18, 4);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a, 20, 18, 2));
        assertEquals(1.0, Metrics.ssim(a, a, 20, 18, 2), 1e-12);
    }

    @Test
    void psnrOfAUniformErrorFollowsTheFormula() {
        double[] a = new double[64];
        double[] b = new double[64];
        java.util.Arrays.fill(a, 100);
        java.util.Arrays.fill(b, 110);
        // MSE 100: 10 log10(255^2 / 100)
        assertEquals(10 * Math.log10(65025 / 100.0), Metrics.psnr(a, b, 8, 8, 0), 1e-12);
        assertEquals(28.130803608679102, Metrics.psnr(a, b, 8, 8, 1), 1e-12);
    }

    @Test
    void cropLeavesTheBorderOut() {
        double[] a = new double[100];
        double[] b = new double[100];
        b[0] = 255; // only in the border
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, b, 10, 10, 1));
    }

    @Test
    void lumaUsesMatlabStudioRange() {
        float[] one = {1f};
        float[] zero = {0f};
        PlanarImage white = new PlanarImage(1, 1, one, one, one, null, PixelFormat.RGB8);
        PlanarImage black = new PlanarImage(1, 1, zero, zero, zero, null, PixelFormat.RGB8);
        assertEquals(235.0, Metrics.luma(white)[0], 1e-9);
        assertEquals(16.0, Metrics.luma(black)[0], 1e-9);
        PlanarImage red = new PlanarImage(1, 1, one, zero, zero, null, PixelFormat.RGB8);
        assertEquals(16 + 65.481, Metrics.luma(red)[0], 1e-9);
    }

    @Test
    void tooSmallAfterCroppingIsRejected() {
        SrException e = assertThrows(SrException.class, () -> Metrics.ssim(new double[144], new double[144], 12, 12, 1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
}
