package io.srengine.image;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.lang.System.Logger.Level;

/**
 * The conversion from an image's own colour encoding to sRGB, which is what the models were trained
 * on and what srengine writes. Three cases, in the order of precedence PNG gives them:
 *
 * <ul>
 *   <li>an ICC profile (PNG iCCP, JPEG APP2, WebP ICCP): converted by LittleCMS (the JDK's colour
 *       engine, {@link ColorConvertOp}) with the perceptual intent, on 16-bit samples;
 *   <li>a PNG sRGB chunk, or nothing at all: already sRGB, nothing to do;
 *   <li>PNG gAMA and/or cHRM: decoded with the gamma, taken from the primaries and white point to
 *       sRGB's with a Bradford adaptation (as LittleCMS does for such a profile), encoded with the
 *       sRGB curve. A gAMA of 1/2.2 with sRGB's primaries (or none) counts as sRGB, as libpng and
 *       browsers take it.
 * </ul>
 *
 * Colours outside sRGB's gamut are clipped. A profile the JDK cannot parse, or of the wrong kind
 * (CMYK for an RGB image), is ignored with a logged warning, as viewers do.
 */
abstract class SourceColor {
    private static final System.Logger LOG = System.getLogger("io.srengine.image");
    private static final double[] SRGB_CHRM = {0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06};

    /** Already sRGB. */
    static final SourceColor SRGB = new SourceColor() {
        @Override
        void toSrgb(float[] r, float[] g, float[] b, int n) {}

        @Override
        boolean isIdentity() {
            return true;
        }

        @Override
        public String toString() {
            return "sRGB";
        }
    };

    /** Converts {@code n} samples in place; a gray image passes its one plane as r, g and b. */
    abstract void toSrgb(float[] r, float[] g, float[] b, int n);

    boolean isIdentity() {
        return false;
    }

    /** The conversion for an image with this metadata; {@code gray} for one colour channel. */
    static SourceColor of(ImageMetadata md, boolean gray, String what) {
        byte[] icc = md.iccProfile();
        if (icc != null) {
            SourceColor c = icc(icc, gray, what);
            if (c != null) {
                return c;
            }
        }
        ImageMetadata.PngColor p = md.pngColor();
        if (p == null || p.srgb()) {
            return SRGB;
        }
        double gamma = p.gamma() > 0 ? p.gamma() : 0;
        double[] chrm = p.chromaticities();
        boolean srgbPrimaries = chrm == null || near(chrm, SRGB_CHRM, 0.002);
        boolean srgbGamma = gamma == 0 || Math.abs(gamma - 1 / 2.2) < 0.002;
        if (srgbPrimaries && srgbGamma) {
            return SRGB;
        }
        return new Analytic(gamma, gray || srgbPrimaries ? null : chrm);
    }

    private static boolean near(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    private static SourceColor icc(byte[] data, boolean gray, String what) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(data);
        } catch (IllegalArgumentException | CMMException e) {
            LOG.log(Level.WARNING, "ignoring the damaged ICC profile of " + what + ": " + e.getMessage());
            return null;
        }
        int want = gray ? ColorSpace.TYPE_GRAY : ColorSpace.TYPE_RGB;
        if (profile.getColorSpaceType() != want) {
            LOG.log(Level.WARNING, "ignoring the ICC profile of " + what + ": it describes another kind of colour ("
                    + profile.getNumComponents() + " components) than the image has");
            return null;
        }
        try {
            Icc c = new Icc(new ICC_ColorSpace(profile), gray);
            return c.isNearSrgb() ? SRGB : c;
        } catch (CMMException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring the ICC profile of " + what + ": " + e.getMessage());
            return null;
        }
    }

    /** Through LittleCMS: 16-bit source samples to 16-bit sRGB. */
    private static final class Icc extends SourceColor {
        private final ColorConvertOp op;
        private final int inBands;

        Icc(ICC_ColorSpace cs, boolean gray) {
            this.op = new ColorConvertOp(cs, ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
            this.inBands = gray ? 1 : 3;
        }

        @Override
        void toSrgb(float[] r, float[] g, float[] b, int n) {
            final int strip = 1 << 16;
            for (int off = 0; off < n; off += strip) {
                int m = Math.min(strip, n - off);
                WritableRaster src = raster(m, inBands);
                short[] s = ((DataBufferUShort) src.getDataBuffer()).getData();
                for (int i = 0; i < m; i++) {
                    if (inBands == 1) {
                        s[i] = (short) Pixels.quantize(r[off + i], 65535);
                    } else {
                        s[3 * i] = (short) Pixels.quantize(r[off + i], 65535);
                        s[3 * i + 1] = (short) Pixels.quantize(g[off + i], 65535);
                        s[3 * i + 2] = (short) Pixels.quantize(b[off + i], 65535);
                    }
                }
                WritableRaster dst = raster(m, 3);
                op.filter((Raster) src, dst);
                short[] d = ((DataBufferUShort) dst.getDataBuffer()).getData();
                for (int i = 0; i < m; i++) {
                    r[off + i] = (d[3 * i] & 0xffff) / 65535f;
                    g[off + i] = (d[3 * i + 1] & 0xffff) / 65535f;
                    b[off + i] = (d[3 * i + 2] & 0xffff) / 65535f;
                }
                if (inBands == 1 && g != r) {
                    // gray stays gray: the three planes of a gray image are one array, given three times
                    System.arraycopy(r, off, g, off, m);
                    System.arraycopy(r, off, b, off, m);
                }
            }
        }

        private static WritableRaster raster(int n, int bands) {
            int[] offsets = new int[bands];
            for (int i = 0; i < bands; i++) {
                offsets[i] = i;
            }
            return Raster.createWritableRaster(
                    new PixelInterleavedSampleModel(DataBuffer.TYPE_USHORT, n, 1, bands, n * bands, offsets), null);
        }

        /** Whether the profile is sRGB in all but name: a grid of colours moves by less than a 16-bit step or two. */
        boolean isNearSrgb() {
            int k = 9;
            int n = inBands == 1 ? k : k * k * k;
            float[] r = new float[n];
            float[] g = new float[n];
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                r[i] = (i % k) / (k - 1f);
                g[i] = inBands == 1 ? r[i] : (i / k % k) / (k - 1f);
                b[i] = inBands == 1 ? r[i] : (i / (k * k)) / (k - 1f);
            }
            float[] r0 = r.clone();
            float[] g0 = g.clone();
            float[] b0 = b.clone();
            toSrgb(r, g, b, n);
            for (int i = 0; i < n; i++) {
                if (Math.abs(r[i] - r0[i]) > 3e-5 || Math.abs(g[i] - g0[i]) > 3e-5 || Math.abs(b[i] - b0[i]) > 3e-5) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "ICC profile";
        }
    }

    /** PNG gAMA / cHRM: gamma decode, 3x3 matrix to sRGB primaries, sRGB encode. */
    private static final class Analytic extends SourceColor {
        private static final int LUT = 65536;
        private final float[] decode = new float[LUT];
        private final float[] encode = new float[LUT + 1];
        private final double[] m;

        Analytic(double gamma, double[] chrm) {
            for (int i = 0; i < LUT; i++) {
                double v = i / (LUT - 1.0);
                decode[i] = (float) (gamma > 0 ? Math.pow(v, 1 / gamma) : srgbToLinear(v));
            }
            for (int i = 0; i <= LUT; i++) {
                encode[i] = (float) linearToSrgb(i / (double) LUT);
            }
            this.m = chrm == null ? null : ColorMath.toSrgbMatrix(chrm);
        }

        @Override
        void toSrgb(float[] r, float[] g, float[] b, int n) {
            for (int i = 0; i < n; i++) {
                float lr = decode[Pixels.quantize(r[i], LUT - 1)];
                float lg = decode[Pixels.quantize(g[i], LUT - 1)];
                float lb = decode[Pixels.quantize(b[i], LUT - 1)];
                if (m != null) {
                    float xr = (float) (m[0] * lr + m[1] * lg + m[2] * lb);
                    float xg = (float) (m[3] * lr + m[4] * lg + m[5] * lb);
                    float xb = (float) (m[6] * lr + m[7] * lg + m[8] * lb);
                    lr = xr;
                    lg = xg;
                    lb = xb;
                }
                float er = enc(lr);
                r[i] = er;
                if (g != r) {
                    g[i] = enc(lg);
                    b[i] = enc(lb);
                }
            }
        }

        private float enc(float lin) {
            float x = Math.clamp(lin, 0f, 1f) * LUT;
            int i = Math.min((int) x, LUT - 1);
            float f = x - i;
            return encode[i] + f * (encode[i + 1] - encode[i]);
        }

        @Override
        public String toString() {
            return "PNG gAMA/cHRM";
        }
    }

    static double srgbToLinear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    static double linearToSrgb(double v) {
        return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    }
}
