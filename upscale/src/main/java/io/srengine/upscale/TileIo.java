package io.srengine.upscale;

import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.Pixels;
import io.srengine.image.Resampler;
import java.awt.image.BufferedImage;

/** Where tiles come from and go to: {@link BufferedImage}s or {@link PlanarImage}s. */
final class TileIo {
    private TileIo() {}

    /** Pixels of the input image. */
    interface Source {
        int width();

        int height();

        boolean hasAlpha();

        /** Reads a rectangle inside the image; {@code a} may be null. */
        void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a);
    }

    /** The output image, written one core region at a time. */
    interface Sink {
        /** Whether alpha is kept; if not, colour is composited over white before it is written. */
        boolean keepsAlpha();

        /** Stores a region: colour as the model produced it (unclamped), alpha or null. */
        void write(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a);
    }

    /**
     * Reads a window of RGB as one {@code [3, h, w]} array, and its alpha into {@code alpha} when that
     * is not null. Parts of the window past the image edge (only for models with a fixed input size
     * larger than the image) repeat the edge pixels.
     */
    static void readWindow(Source src, int x0, int y0, int w, int h, float[] out, float[] alpha) {
        int ix0 = Math.max(0, x0);
        int iy0 = Math.max(0, y0);
        int ix1 = Math.min(src.width(), x0 + w);
        int iy1 = Math.min(src.height(), y0 + h);
        int iw = ix1 - ix0;
        int ih = iy1 - iy0;
        int plane = w * h;
        if (iw == w && ih == h) {
            float[] r = new float[plane];
            float[] g = new float[plane];
            float[] b = new float[plane];
            src.read(x0, y0, w, h, r, g, b, alpha);
            System.arraycopy(r, 0, out, 0, plane);
            System.arraycopy(g, 0, out, plane, plane);
            System.arraycopy(b, 0, out, 2 * plane, plane);
            return;
        }
        float[][] in = {new float[iw * ih], new float[iw * ih], new float[iw * ih], alpha == null ? null : new float[iw * ih]};
        src.read(ix0, iy0, iw, ih, in[0], in[1], in[2], in[3]);
        for (int c = 0; c < 4; c++) {
            float[] dst = c < 3 ? out : alpha;
            if (dst == null) {
                continue;
            }
            int base = c < 3 ? c * plane : 0;
            for (int row = 0; row < h; row++) {
                int sy = Math.clamp(y0 + row, iy0, iy1 - 1) - iy0;
                for (int col = 0; col < w; col++) {
                    int sx = Math.clamp(x0 + col, ix0, ix1 - 1) - ix0;
                    dst[base + row * w + col] = in[c][sy * iw + sx];
                }
            }
        }
    }

    /** The output alpha of a region, resized from the input alpha that region needs. */
    static float[] resampleAlpha(Source src, Resampler.Axis ax, Resampler.Axis ay) {
        int x0 = ax.minSource();
        int y0 = ay.minSource();
        int w = ax.maxSource() - x0 + 1;
        int h = ay.maxSource() - y0 + 1;
        float[] scratch = new float[w * h];
        float[] a = new float[w * h];
        src.read(x0, y0, w, h, scratch, scratch, scratch, a);
        float[] out = Resampler.resample(a, x0, y0, w, h, ax, ay);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.clamp(out[i], 0f, 1f);
        }
        return out;
    }

    /** Colour composited over white, for outputs without alpha. */
    static void flatten(float[] r, float[] g, float[] b, float[] a) {
        for (int i = 0; i < a.length; i++) {
            float k = 1 - a[i];
            r[i] = Math.clamp(r[i], 0f, 1f) * a[i] + k;
            g[i] = Math.clamp(g[i], 0f, 1f) * a[i] + k;
            b[i] = Math.clamp(b[i], 0f, 1f) * a[i] + k;
        }
    }

    /**
     * The source as {@link Dihedral} symmetry {@code t} of it (flipped and transposed), for test-time
     * augmentation's passes of models that need the statistics of the whole image they see.
     */
    static Source symmetry(Source src, int t) {
        if (t == 0) {
            return src;
        }
        boolean swap = (t & 4) != 0;
        return new Source() {
            public int width() {
                return swap ? src.height() : src.width();
            }

            public int height() {
                return swap ? src.width() : src.height();
            }

            public boolean hasAlpha() {
                return src.hasAlpha();
            }

            public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
                // the rectangle of the original this one comes from; within it the symmetry is the same
                int ow = swap ? h : w;
                int oh = swap ? w : h;
                int u = swap ? y : x;
                int v = swap ? x : y;
                int ox = (t & 1) != 0 ? src.width() - u - ow : u;
                int oy = (t & 2) != 0 ? src.height() - v - oh : v;
                float[][] planes = {new float[ow * oh], new float[ow * oh], new float[ow * oh], a == null ? null : new float[ow * oh]};
                src.read(ox, oy, ow, oh, planes[0], planes[1], planes[2], planes[3]);
                float[][] dst = {r, g, b, a};
                for (int c = 0; c < 4; c++) {
                    if (dst[c] != null) {
                        System.arraycopy(Dihedral.apply(planes[c], 1, ow, oh, t), 0, dst[c], 0, w * h);
                    }
                }
            }
        };
    }

    /** The source's alpha as a gray image (its colour ignored), for alpha run through the model. */
    static Source alphaAsGray(Source src) {
        return new Source() {
            public int width() {
                return src.width();
            }

            public int height() {
                return src.height();
            }

            public boolean hasAlpha() {
                return false;
            }

            public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
                float[] scratch = new float[w * h];
                src.read(x, y, w, h, scratch, scratch, scratch, r);
                System.arraycopy(r, 0, g, 0, w * h);
                System.arraycopy(r, 0, b, 0, w * h);
                if (a != null) {
                    java.util.Arrays.fill(a, 0, w * h, 1f);
                }
            }
        };
    }

    /** An image file (or anything else) read by rectangles. */
    static final class RegionSource implements Source {
        private final io.srengine.image.ImageRegions regions;

        RegionSource(io.srengine.image.ImageRegions regions) {
            this.regions = regions;
        }

        public int width() {
            return regions.width();
        }

        public int height() {
            return regions.height();
        }

        public boolean hasAlpha() {
            return regions.hasAlpha();
        }

        public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
            regions.read(x, y, w, h, r, g, b, a);
        }
    }

    static final class ImageSource implements Source {
        private final BufferedImage image;
        private final boolean alpha;

        ImageSource(BufferedImage image) {
            this.image = image;
            this.alpha = image.getColorModel().hasAlpha();
        }

        public int width() {
            return image.getWidth();
        }

        public int height() {
            return image.getHeight();
        }

        public boolean hasAlpha() {
            return alpha;
        }

        public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
            Pixels.read(image, x, y, w, h, r, g, b, a);
        }
    }

    static final class PlanarSource implements Source {
        private final PlanarImage image;

        PlanarSource(PlanarImage image) {
            this.image = image;
        }

        public int width() {
            return image.width();
        }

        public int height() {
            return image.height();
        }

        public boolean hasAlpha() {
            return image.hasAlpha();
        }

        public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
            copy(image.red(), r, x, y, w, h);
            copy(image.green(), g, x, y, w, h);
            copy(image.blue(), b, x, y, w, h);
            if (a != null) {
                if (image.hasAlpha()) {
                    copy(image.alpha(), a, x, y, w, h);
                } else {
                    java.util.Arrays.fill(a, 0, w * h, 1f);
                }
            }
        }

        private void copy(float[] plane, float[] dst, int x, int y, int w, int h) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(plane, (y + row) * image.width() + x, dst, row * w, w);
            }
        }
    }

    /** Writes into an image that holds the output rows from {@code y0} on (a band, or the whole output). */
    static final class ImageSink implements Sink {
        private final BufferedImage image;
        private final int y0;

        ImageSink(BufferedImage image) {
            this(image, 0);
        }

        ImageSink(BufferedImage image, int y0) {
            this.image = image;
            this.y0 = y0;
        }

        public boolean keepsAlpha() {
            return image.getColorModel().hasAlpha();
        }

        public void write(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
            if (a != null && !keepsAlpha()) {
                flatten(r, g, b, a);
            }
            Pixels.write(image, x, y - y0, w, h, r, g, b, a);
        }
    }

    static final class PlanarSink implements Sink {
        private final int width;
        private final int height;
        private final float[][] planes;
        private final float[] alpha;

        PlanarSink(int width, int height, boolean alpha) {
            this.width = width;
            this.height = height;
            int n = width * height;
            this.planes = new float[][] {new float[n], new float[n], new float[n]};
            this.alpha = alpha ? new float[n] : null;
        }

        public boolean keepsAlpha() {
            return alpha != null;
        }

        public void write(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
            float[][] src = {r, g, b};
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < h; row++) {
                    int dst = (y + row) * width + x;
                    for (int col = 0; col < w; col++) {
                        planes[c][dst + col] = Math.clamp(src[c][row * w + col], 0f, 1f);
                    }
                }
            }
            if (alpha != null && a != null) {
                for (int row = 0; row < h; row++) {
                    System.arraycopy(a, row * w, alpha, (y + row) * width + x, w);
                }
            }
        }

        PlanarImage image(PixelFormat format) {
            return new PlanarImage(width, height, planes[0], planes[1], planes[2], alpha, format);
        }
    }
}
