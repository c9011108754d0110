package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.image.BufferedImage;

/**
 * An image as float planes: R, G and B in [0, 1], row-major, plus an optional alpha plane, and the
 * {@link PixelFormat} it came from (so that a gray 16-bit image can be written back as one). A gray
 * image holds three equal planes; models see RGB either way.
 *
 * <p>The planes are the arrays given to the constructor, not copies; treat them as read-only once an
 * image is shared.
 */
public final class PlanarImage {
    private final int width;
    private final int height;
    private final float[] red;
    private final float[] green;
    private final float[] blue;
    private final float[] alpha;
    private final PixelFormat format;

    /**
     * An image over the given planes (not copied).
     *
     * @param width width in pixels
     * @param height height in pixels
     * @param red the red plane, {@code width * height} values in [0, 1]
     * @param green the green plane, as {@code red}
     * @param blue the blue plane, as {@code red}
     * @param alpha the alpha plane, or null for an opaque image
     * @param format the format of the source; its alpha flag is overridden by whether {@code alpha} is given
     * @throws SrException {@code IMAGE_ERROR} for an empty or unindexably large size; {@code
     *     INVALID_ARGUMENT} when a colour plane or {@code format} is null or a plane's length is not
     *     {@code width * height}
     */
    public PlanarImage(int width, int height, float[] red, float[] green, float[] blue, float[] alpha, PixelFormat format) {
        PixelFormat.checkSize(width, height, 1, "image");
        int n = width * height;
        SrException.requireArgument(red, "red");
        SrException.requireArgument(green, "green");
        SrException.requireArgument(blue, "blue");
        SrException.requireArgument(format, "format");
        for (float[] p : new float[][] {red, green, blue}) {
            if (p.length != n) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "a plane of a " + width + "x" + height
                        + " image needs " + n + " values, not " + p.length);
            }
        }
        if (alpha != null && alpha.length != n) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the alpha plane of a " + width + "x" + height
                    + " image needs " + n + " values, not " + alpha.length);
        }
        this.width = width;
        this.height = height;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.alpha = alpha;
        this.format = format.withAlpha(alpha != null);
    }

    /**
     * A black, opaque 8-bit RGB image.
     *
     * @param width width in pixels
     * @param height height in pixels
     * @return a new image of zeros
     * @throws SrException {@code IMAGE_ERROR} for an empty or unindexably large size
     */
    public static PlanarImage blank(int width, int height) {
        PixelFormat.checkSize(width, height, 1, "image");
        int n = width * height;
        return new PlanarImage(width, height, new float[n], new float[n], new float[n], null, PixelFormat.RGB8);
    }

    /**
     * Converts a whole {@link BufferedImage} (see {@link Pixels} for how samples are read). The
     * samples are taken as they are: no colour profile is applied.
     *
     * @param image the image
     * @return new planes, with the image's {@link PixelFormat}
     * @throws SrException {@code IMAGE_ERROR} when the image is too large to convert
     */
    public static PlanarImage from(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        PixelFormat format = PixelFormat.of(image);
        PixelFormat.checkSize(w, h, 4, "image");
        int n = w * h;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        float[] a = format.alpha() ? new float[n] : null;
        Pixels.read(image, 0, 0, w, h, r, g, b, a);
        return new PlanarImage(w, h, r, g, b, a, format);
    }

    /**
     * A {@link BufferedImage} in this image's own format.
     *
     * @return a new image; samples are rounded and clamped to the format's range
     */
    public BufferedImage toBufferedImage() {
        return toBufferedImage(format);
    }

    /**
     * A {@link BufferedImage} in the given format (gray takes BT.601 luma; alpha is dropped or made opaque).
     *
     * @param target the format of the result
     * @return a new image; samples are rounded and clamped to the format's range
     */
    public BufferedImage toBufferedImage(PixelFormat target) {
        BufferedImage out = target.allocate(width, height);
        Pixels.write(out, 0, 0, width, height, red, green, blue, alpha);
        return out;
    }

    /**
     * The width.
     *
     * @return width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * The height.
     *
     * @return height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * The red plane, row-major; the array itself, not a copy.
     *
     * @return {@code width * height} values
     */
    public float[] red() {
        return red;
    }

    /**
     * The green plane, row-major; the array itself, not a copy.
     *
     * @return {@code width * height} values
     */
    public float[] green() {
        return green;
    }

    /**
     * The blue plane, row-major; the array itself, not a copy.
     *
     * @return {@code width * height} values
     */
    public float[] blue() {
        return blue;
    }

    /**
     * Channel 0, 1 or 2 (R, G, B); the array itself, not a copy.
     *
     * @param channel 0, 1 or 2
     * @return the plane
     * @throws SrException {@code INVALID_ARGUMENT} for any other channel
     */
    public float[] plane(int channel) {
        return switch (channel) {
            case 0 -> red;
            case 1 -> green;
            case 2 -> blue;
            default -> throw new SrException(ErrorCode.INVALID_ARGUMENT, "channel must be 0, 1 or 2, was " + channel);
        };
    }

    /**
     * The alpha plane; the array itself, not a copy.
     *
     * @return the plane, or null when the image is opaque
     */
    public float[] alpha() {
        return alpha;
    }

    /**
     * Whether the image has an alpha plane.
     *
     * @return true when {@link #alpha()} is not null
     */
    public boolean hasAlpha() {
        return alpha != null;
    }

    /**
     * The format the image came from, and is written back as by default.
     *
     * @return the format; its alpha flag matches {@link #hasAlpha()}
     */
    public PixelFormat format() {
        return format;
    }

    /**
     * A copy of the rectangle {@code (x, y, w, h)}, which must lie inside the image.
     *
     * @param x left edge in pixels
     * @param y top edge in pixels
     * @param w width in pixels, at least 1
     * @param h height in pixels, at least 1
     * @return a new image with copied planes
     * @throws SrException {@code INVALID_ARGUMENT} when the rectangle is empty or not inside the image
     */
    public PlanarImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > width || (long) y + h > height) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "crop (" + x + ", " + y + ", " + w + "x" + h
                    + ") does not lie inside a " + width + "x" + height + " image");
        }
        return new PlanarImage(w, h, cropPlane(red, x, y, w, h), cropPlane(green, x, y, w, h),
                cropPlane(blue, x, y, w, h), alpha == null ? null : cropPlane(alpha, x, y, w, h), format);
    }

    private float[] cropPlane(float[] p, int x, int y, int w, int h) {
        float[] out = new float[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(p, (y + row) * width + x, out, row * w, w);
        }
        return out;
    }

    /**
     * This image without its alpha plane (the colour planes are shared).
     *
     * @return this image when it is opaque, else a new one sharing the colour planes
     */
    public PlanarImage withoutAlpha() {
        return alpha == null ? this : new PlanarImage(width, height, red, green, blue, null, format);
    }

    /**
     * This image rounded to {@code bits}-bit samples, as writing and reading it back would give.
     *
     * @param bits bits per sample, e.g. 8 or 16
     * @return a new image with new planes, values clamped to [0, 1]
     */
    public PlanarImage quantized(int bits) {
        int max = (1 << bits) - 1;
        return new PlanarImage(width, height, quantize(red, max), quantize(green, max), quantize(blue, max),
                alpha == null ? null : quantize(alpha, max), format);
    }

    private static float[] quantize(float[] p, int max) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Pixels.quantize(p[i], max) / (float) max;
        }
        return out;
    }

    @Override
    public String toString() {
        return "PlanarImage[" + width + "x" + height + ", " + format + "]";
    }
}
