package io.srengine.video;

import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;

/**
 * Converts between Y'CbCr sample planes and R'G'B' float planes in [0, 1], with the matrix, range and
 * chroma siting of a {@link Colorimetry}. Subsampled chroma is interpolated linearly between the
 * chroma samples' own positions on the way in, and filtered with a tent of the subsampling's width
 * centred on them on the way out (the adjoint of that interpolation, which keeps edges from aliasing).
 * Nothing is quantised in between: the model sees the decoder's samples at full float precision.
 * Tested against FFmpeg's swscale in {@code YuvRgbTest}.
 */
public final class YuvRgb {
    private YuvRgb() {}

    /** R'G'B' of a frame, clamped to [0, 1]. Gray frames give three equal planes. */
    public static PlanarImage toRgb(YuvPlanes p, Colorimetry c) {
        int w = p.width();
        int h = p.height();
        int n = w * h;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        Levels lv = new Levels(p.bits(), c);
        float[] yRow = new float[w];
        float[] uRow = new float[w];
        float[] vRow = new float[w];
        int cw = p.chromaWidth();
        float[] uLine = new float[cw];
        float[] vLine = new float[cw];
        Interp ix = p.gray() ? null : new Interp(w, cw, 1 << p.log2ChromaW(), c.chromaX());
        Interp iy = p.gray() ? null : new Interp(h, p.chromaHeight(), 1 << p.log2ChromaH(), c.chromaY());
        ColorMatrix m = c.matrix();
        double kg = 1 - m.kr - m.kb;
        float crToR = (float) (2 * (1 - m.kr));
        float cbToB = (float) (2 * (1 - m.kb));
        float crToG = (float) (-2 * (1 - m.kr) * m.kr / kg);
        float cbToG = (float) (-2 * (1 - m.kb) * m.kb / kg);
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                yRow[x] = lv.luma(p.y()[row * w + x]);
            }
            if (p.gray()) {
                java.util.Arrays.fill(uRow, 0);
                java.util.Arrays.fill(vRow, 0);
            } else {
                int j0 = iy.i0[row] * cw;
                int j1 = iy.i1[row] * cw;
                float f = iy.f[row];
                for (int x = 0; x < cw; x++) {
                    uLine[x] = lv.chroma(p.cb()[j0 + x]) * (1 - f) + lv.chroma(p.cb()[j1 + x]) * f;
                    vLine[x] = lv.chroma(p.cr()[j0 + x]) * (1 - f) + lv.chroma(p.cr()[j1 + x]) * f;
                }
                for (int x = 0; x < w; x++) {
                    float fx = ix.f[x];
                    uRow[x] = uLine[ix.i0[x]] * (1 - fx) + uLine[ix.i1[x]] * fx;
                    vRow[x] = vLine[ix.i0[x]] * (1 - fx) + vLine[ix.i1[x]] * fx;
                }
            }
            int o = row * w;
            if (m == ColorMatrix.IDENTITY) {
                for (int x = 0; x < w; x++) {
                    g[o + x] = clamp(yRow[x]);
                    b[o + x] = clamp(uRow[x]);
                    r[o + x] = clamp(vRow[x]);
                }
                continue;
            }
            for (int x = 0; x < w; x++) {
                float yy = yRow[x];
                r[o + x] = clamp(yy + crToR * vRow[x]);
                g[o + x] = clamp(yy + cbToG * uRow[x] + crToG * vRow[x]);
                b[o + x] = clamp(yy + cbToB * uRow[x]);
            }
        }
        return new PlanarImage(w, h, r, g, b, null, new PixelFormat(p.gray(), false, p.bits() > 8 ? 16 : 8));
    }

    /**
     * Y'CbCr samples of an R'G'B' image (values outside [0, 1] are clamped first).
     *
     * @param gray write only a luma plane
     */
    public static YuvPlanes fromRgb(PlanarImage img, int bits, int log2ChromaW, int log2ChromaH, boolean gray, Colorimetry c) {
        int w = img.width();
        int h = img.height();
        YuvPlanes out = YuvPlanes.allocate(w, h, bits, log2ChromaW, log2ChromaH, gray);
        Levels lv = new Levels(bits, c);
        ColorMatrix m = c.matrix();
        boolean identity = m == ColorMatrix.IDENTITY;
        float kr = (float) m.kr;
        float kb = (float) m.kb;
        float kg = 1 - kr - kb;
        float toCb = identity ? 0 : (float) (0.5 / (1 - m.kb));
        float toCr = identity ? 0 : (float) (0.5 / (1 - m.kr));
        float[] red = img.red();
        float[] green = img.green();
        float[] blue = img.blue();
        float[] u = gray ? null : new float[w * h];
        float[] v = gray ? null : new float[w * h];
        for (int i = 0; i < w * h; i++) {
            float r = clamp(red[i]);
            float g = clamp(green[i]);
            float b = clamp(blue[i]);
            if (identity) {
                out.y()[i] = lv.quantizeLuma(g);
                if (!gray) {
                    u[i] = b;
                    v[i] = r;
                }
                continue;
            }
            float yy = kr * r + kg * g + kb * b;
            out.y()[i] = lv.quantizeLuma(yy);
            if (!gray) {
                u[i] = (b - yy) * toCb;
                v[i] = (r - yy) * toCr;
            }
        }
        if (!gray) {
            int cw = out.chromaWidth();
            int ch = out.chromaHeight();
            Tent tx = new Tent(w, cw, 1 << log2ChromaW, c.chromaX());
            Tent ty = new Tent(h, ch, 1 << log2ChromaH, c.chromaY());
            downsample(u, w, h, tx, ty, out.cb(), lv, identity);
            downsample(v, w, h, tx, ty, out.cr(), lv, identity);
        }
        return out;
    }

    private static void downsample(float[] full, int w, int h, Tent tx, Tent ty, int[] out, Levels lv, boolean identity) {
        int cw = tx.n;
        float[] cols = new float[cw * h];
        for (int row = 0; row < h; row++) {
            for (int j = 0; j < cw; j++) {
                float s = 0;
                for (int k = 0; k < tx.idx[j].length; k++) {
                    s += tx.wt[j][k] * full[row * w + tx.idx[j][k]];
                }
                cols[row * cw + j] = s;
            }
        }
        for (int j = 0; j < ty.n; j++) {
            for (int x = 0; x < cw; x++) {
                float s = 0;
                for (int k = 0; k < ty.idx[j].length; k++) {
                    s += ty.wt[j][k] * cols[ty.idx[j][k] * cw + x];
                }
                out[j * cw + x] = identity ? lv.quantizeLuma(s) : lv.quantizeChroma(s);
            }
        }
    }

    private static float clamp(float v) {
        return v > 1 ? 1 : v > 0 ? v : 0; // NaN becomes 0
    }

    /** Sample codes to and from normalised Y' in [0, 1] and Cb, Cr in [-0.5, 0.5]. */
    private static final class Levels {
        final float yOff;
        final float yScale;
        final float cOff;
        final float cScale;
        final int max;

        Levels(int bits, Colorimetry c) {
            max = (1 << bits) - 1;
            float unit = 1 << (bits - 8);
            if (c.fullRange() || c.matrix() == ColorMatrix.IDENTITY) {
                yOff = 0;
                yScale = max;
                cOff = c.matrix() == ColorMatrix.IDENTITY ? 0 : 1 << (bits - 1);
                cScale = max;
            } else {
                yOff = 16 * unit;
                yScale = 219 * unit;
                cOff = 128 * unit;
                cScale = 224 * unit;
            }
        }

        float luma(int code) {
            return (code - yOff) / yScale;
        }

        float chroma(int code) {
            return (code - cOff) / cScale;
        }

        int quantizeLuma(float v) {
            return Math.clamp((int) Math.floor(v * yScale + yOff + 0.5f), 0, max);
        }

        int quantizeChroma(float v) {
            return Math.clamp((int) Math.floor(v * cScale + cOff + 0.5f), 0, max);
        }
    }

    /** Linear interpolation from chroma samples at {@code j*s + siting*(s-1)} to every luma position. */
    private static final class Interp {
        final int[] i0;
        final int[] i1;
        final float[] f;

        Interp(int n, int cn, int s, double siting) {
            i0 = new int[n];
            i1 = new int[n];
            f = new float[n];
            double off = siting * (s - 1);
            for (int x = 0; x < n; x++) {
                double u = (x - off) / s;
                int j = (int) Math.floor(u);
                double t = u - j;
                i0[x] = Math.clamp(j, 0, cn - 1);
                i1[x] = Math.clamp(j + 1, 0, cn - 1);
                f[x] = (float) t;
            }
        }
    }

    /** Per chroma sample, the luma positions within one subsampling step of it and their tent weights. */
    private static final class Tent {
        final int n;
        final int[][] idx;
        final float[][] wt;

        Tent(int len, int cn, int s, double siting) {
            n = cn;
            idx = new int[cn][];
            wt = new float[cn][];
            double off = siting * (s - 1);
            for (int j = 0; j < cn; j++) {
                double centre = j * s + off;
                int lo = (int) Math.floor(centre - s) + 1;
                int hi = (int) Math.ceil(centre + s) - 1;
                int k = hi - lo + 1;
                idx[j] = new int[k];
                wt[j] = new float[k];
                double sum = 0;
                double[] ws = new double[k];
                for (int x = lo; x <= hi; x++) {
                    ws[x - lo] = Math.max(0, 1 - Math.abs(x - centre) / s);
                    sum += ws[x - lo];
                }
                for (int x = lo; x <= hi; x++) {
                    idx[j][x - lo] = Math.clamp(x, 0, len - 1);
                    wt[j][x - lo] = (float) (ws[x - lo] / sum);
                }
            }
        }
    }
}
