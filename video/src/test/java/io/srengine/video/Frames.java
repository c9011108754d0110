package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Decoded frames as R'G'B' by swscale (the outside reference), and the comparisons the tests make. */
public final class Frames {
    private Frames() {}

    /** swscale's R'G'B' of a decoded frame, with the given tags (16-bit precision). */
    public static PlanarImage rgb(AVFrame f, ColorMatrix m, boolean full, int chromaLocation) {
        AVFrame g = Swscale.convert(f, AV_PIX_FMT_GBRP16LE, m, full, true, chromaLocation);
        YuvPlanes p = FramePlanes.read(g, FramePlanes.require(AV_PIX_FMT_GBRP16LE));
        av_frame_free(g);
        int n = p.y().length;
        float[] r = new float[n];
        float[] gr = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            gr[i] = p.y()[i] / 65535f;
            b[i] = p.cb()[i] / 65535f;
            r[i] = p.cr()[i] / 65535f;
        }
        return new PlanarImage(p.width(), p.height(), r, gr, b, null, PixelFormat.RGB8);
    }

    /** PSNR over all three channels, for values in [0, 1]. */
    public static double psnr(PlanarImage a, PlanarImage b) {
        double se = 0;
        int n = a.width() * a.height();
        for (int c = 0; c < 3; c++) {
            float[] x = a.plane(c);
            float[] y = b.plane(c);
            for (int i = 0; i < n; i++) {
                double d = x[i] - y[i];
                se += d * d;
            }
        }
        double mse = se / (3.0 * n);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }
}
