package io.srengine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Moves rectangles of pixels between {@link BufferedImage}s and float planes: R, G and B in [0, 1],
 * row-major, one array per channel, plus an optional alpha plane.
 *
 * <p>Samples of gray and RGB images are taken as they are stored, whatever colour profile is
 * attached: an image file's values are already gamma-encoded, and the JDK's own conversion would
 * treat a gray PNG as linear light and brighten it. Images in other colour spaces (CMYK JPEGs, ...)
 * go through {@link BufferedImage#getRGB}, which converts them to 8-bit sRGB.
 *
 * <p>Work is done in strips of rows so that the temporary sample buffer stays small whatever the
 * rectangle.
 */
public final class Pixels {
    /** BT.601 luma weights, used when a colour result is written to a gray image. */
    static final float LUMA_R = 0.299f;
    static final float LUMA_G = 0.587f;
    static final float LUMA_B = 0.114f;

    private static final int STRIP_SAMPLES = 1 << 20;

    private Pixels() {}

    /**
     * Reads the rectangle {@code (x, y, w, h)} of {@code image}. A gray image fills r, g and b with the
     * same values. {@code a}, when not null, receives alpha (1 where the image has none).
     */
    public static void read(BufferedImage image, int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int rows = Math.max(1, Math.min(h, STRIP_SAMPLES / Math.max(1, w * bands)));
        int[] buf = null;
        for (int y0 = 0; y0 < h; y0 += rows) {
            int n = Math.min(rows, h - y0);
            int off = y0 * w;
            if (cm instanceof IndexColorModel icm) {
                buf = raster.getSamples(x, y + y0, w, n, 0, buf);
                for (int i = 0; i < w * n; i++) {
                    int idx = buf[i];
                    r[off + i] = icm.getRed(idx) / 255f;
                    g[off + i] = icm.getGreen(idx) / 255f;
                    b[off + i] = icm.getBlue(idx) / 255f;
                    if (a != null) {
                        a[off + i] = icm.getAlpha(idx) / 255f;
                    }
                }
            } else if (isRawReadable(cm, raster)) {
                buf = getPixels(raster, x, y + y0, w, n, buf);
                readComponents(cm, buf, w * n, off, r, g, b, a);
            } else {
                buf = image.getRGB(x, y + y0, w, n, buf, 0, w);
                for (int i = 0; i < w * n; i++) {
                    int argb = buf[i];
                    r[off + i] = ((argb >> 16) & 0xff) / 255f;
                    g[off + i] = ((argb >> 8) & 0xff) / 255f;
                    b[off + i] = (argb & 0xff) / 255f;
                    if (a != null) {
                        a[off + i] = (argb >>> 24) / 255f;
                    }
                }
            }
        }
    }

    private static void readComponents(ColorModel cm, int[] buf, int count, int off, float[] r, float[] g, float[] b, float[] a) {
        int colors = cm.getNumColorComponents();
        int bands = cm.getNumComponents();
        boolean hasAlpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        float[] inv = new float[bands];
        for (int c = 0; c < bands; c++) {
            inv[c] = 1f / ((1 << cm.getComponentSize(c)) - 1);
        }
        for (int i = 0, p = 0; i < count; i++, p += bands) {
            float alpha = hasAlpha ? buf[p + colors] * inv[colors] : 1f;
            float unpremultiply = premultiplied && alpha > 0 ? 1f / alpha : 1f;
            float rv = Math.min(1f, buf[p] * inv[0] * unpremultiply);
            r[off + i] = rv;
            if (colors == 1) {
                g[off + i] = rv;
                b[off + i] = rv;
            } else {
                g[off + i] = Math.min(1f, buf[p + 1] * inv[1] * unpremultiply);
                b[off + i] = Math.min(1f, buf[p + 2] * inv[2] * unpremultiply);
            }
            if (a != null) {
                a[off + i] = alpha;
            }
        }
    }

    /**
     * Writes the rectangle {@code (x, y, w, h)} of {@code image}, rounding to the image's sample size
     * and clamping to [0, 1]. A gray image receives BT.601 luma of r, g and b; an image with alpha
     * receives {@code a} (opaque when {@code a} is null); an image without alpha ignores {@code a}.
     */
    public static void write(BufferedImage image, int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
        ColorModel cm = image.getColorModel();
        WritableRaster raster = image.getRaster();
        int bands = raster.getNumBands();
        int rows = Math.max(1, Math.min(h, STRIP_SAMPLES / Math.max(1, w * bands)));
        boolean raw = !(cm instanceof IndexColorModel) && isRawReadable(cm, raster);
        int[] buf = new int[rows * w * (raw ? bands : 1)];
        for (int y0 = 0; y0 < h; y0 += rows) {
            int n = Math.min(rows, h - y0);
            int off = y0 * w;
            if (raw) {
                writeComponents(cm, buf, w * n, off, r, g, b, a);
                setPixels(raster, x, y + y0, w, n, buf);
            } else {
                for (int i = 0; i < w * n; i++) {
                    int alpha = a == null ? 255 : quantize(a[off + i], 255);
                    buf[i] = alpha << 24 | quantize(r[off + i], 255) << 16 | quantize(g[off + i], 255) << 8
                            | quantize(b[off + i], 255);
                }
                image.setRGB(x, y + y0, w, n, buf, 0, w);
            }
        }
    }

    private static void writeComponents(ColorModel cm, int[] buf, int count, int off, float[] r, float[] g, float[] b, float[] a) {
        int colors = cm.getNumColorComponents();
        int bands = cm.getNumComponents();
        boolean hasAlpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int[] max = new int[bands];
        for (int c = 0; c < bands; c++) {
            max[c] = (1 << cm.getComponentSize(c)) - 1;
        }
        for (int i = 0, p = 0; i < count; i++, p += bands) {
            float alpha = a == null ? 1f : Math.clamp(a[off + i], 0f, 1f);
            float k = premultiplied ? alpha : 1f;
            if (colors == 1) {
                buf[p] = quantize((LUMA_R * r[off + i] + LUMA_G * g[off + i] + LUMA_B * b[off + i]) * k, max[0]);
            } else {
                buf[p] = quantize(r[off + i] * k, max[0]);
                buf[p + 1] = quantize(g[off + i] * k, max[1]);
                buf[p + 2] = quantize(b[off + i] * k, max[2]);
            }
            if (hasAlpha) {
                buf[p + colors] = quantize(alpha, max[colors]);
            }
        }
    }

    /** {@link Raster#getPixels} with a direct path for interleaved byte and ushort rasters. */
    private static int[] getPixels(Raster raster, int x, int y, int w, int h, int[] buf) {
        Object data = directData(raster);
        if (data == null) {
            return raster.getPixels(x, y, w, h, buf);
        }
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        int bands = sm.getNumBands();
        int[] out = buf != null && buf.length >= w * h * bands ? buf : new int[w * h * bands];
        int[] offsets = sm.getBandOffsets();
        int stride = sm.getPixelStride();
        int scan = sm.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset() - raster.getSampleModelTranslateY() * scan
                - raster.getSampleModelTranslateX() * stride;
        for (int row = 0; row < h; row++) {
            int p = origin + (y + row) * scan + x * stride;
            int o = row * w * bands;
            if (data instanceof byte[] bytes) {
                for (int i = 0; i < w; i++, p += stride) {
                    for (int b = 0; b < bands; b++) {
                        out[o++] = bytes[p + offsets[b]] & 0xff;
                    }
                }
            } else {
                short[] shorts = (short[]) data;
                for (int i = 0; i < w; i++, p += stride) {
                    for (int b = 0; b < bands; b++) {
                        out[o++] = shorts[p + offsets[b]] & 0xffff;
                    }
                }
            }
        }
        return out;
    }

    /** {@link WritableRaster#setPixels} with a direct path for interleaved byte and ushort rasters. */
    private static void setPixels(WritableRaster raster, int x, int y, int w, int h, int[] buf) {
        Object data = directData(raster);
        if (data == null) {
            raster.setPixels(x, y, w, h, buf);
            return;
        }
        if (x < raster.getMinX() || y < raster.getMinY() || x + w > raster.getMinX() + raster.getWidth()
                || y + h > raster.getMinY() + raster.getHeight()) {
            throw new ArrayIndexOutOfBoundsException("rectangle " + x + "," + y + " " + w + "x" + h + " is outside the raster");
        }
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        int bands = sm.getNumBands();
        int[] offsets = sm.getBandOffsets();
        int stride = sm.getPixelStride();
        int scan = sm.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset() - raster.getSampleModelTranslateY() * scan
                - raster.getSampleModelTranslateX() * stride;
        for (int row = 0; row < h; row++) {
            int p = origin + (y + row) * scan + x * stride;
            int o = row * w * bands;
            if (data instanceof byte[] bytes) {
                for (int i = 0; i < w; i++, p += stride) {
                    for (int b = 0; b < bands; b++) {
                        bytes[p + offsets[b]] = (byte) buf[o++];
                    }
                }
            } else {
                short[] shorts = (short[]) data;
                for (int i = 0; i < w; i++, p += stride) {
                    for (int b = 0; b < bands; b++) {
                        shorts[p + offsets[b]] = (short) buf[o++];
                    }
                }
            }
        }
    }

    /**
     * The single bank of an interleaved 8- or 16-bit raster, or null when the generic path must be
     * taken. (Taking the array makes the JDK stop caching the image in video memory, which a
     * headless upscaler never wants anyway.)
     */
    private static Object directData(Raster raster) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel sm) || sm.getNumBands() != raster.getNumBands()) {
            return null;
        }
        for (int bank : sm.getBankIndices()) {
            if (bank != 0) {
                return null;
            }
        }
        DataBuffer db = raster.getDataBuffer();
        if (db instanceof DataBufferByte b && b.getNumBanks() == 1) {
            return b.getData();
        }
        if (db instanceof DataBufferUShort u && u.getNumBanks() == 1) {
            return u.getData();
        }
        return null;
    }

    /** Rounds {@code v} in [0, 1] to an integer sample in [0, max]; NaN becomes 0. */
    static int quantize(float v, int max) {
        float s = v * max + 0.5f;
        return s >= max ? max : s > 0 ? (int) s : 0;
    }

    /**
     * Whether {@link #read} hands out the samples as the file stored them (palette entries, or gray and
     * RGB values in whatever colour space the file declares), rather than colours the JDK converted to
     * sRGB itself (CMYK and other colour spaces).
     */
    static boolean readsStoredSamples(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        return cm instanceof IndexColorModel || isRawReadable(cm, image.getRaster());
    }

    /** Samples whose raw values are gray or RGB (plus alpha) in integers of at most 16 bits. */
    private static boolean isRawReadable(ColorModel cm, Raster raster) {
        int csType = cm.getColorSpace().getType();
        if (csType != ColorSpace.TYPE_RGB && csType != ColorSpace.TYPE_GRAY) {
            return false;
        }
        int colors = cm.getNumColorComponents();
        if ((csType == ColorSpace.TYPE_GRAY) != (colors == 1) || raster.getNumBands() != cm.getNumComponents()) {
            return false;
        }
        for (int c = 0; c < cm.getNumComponents(); c++) {
            if (cm.getComponentSize(c) > 16) {
                return false;
            }
        }
        int type = raster.getTransferType();
        if (cm instanceof DirectColorModel) {
            return true;
        }
        return cm instanceof ComponentColorModel && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT);
    }
}
