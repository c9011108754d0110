package io.srengine.image;

/**
 * An image read a rectangle at a time, as float planes in [0, 1] of upright sRGB (see {@link
 * Pixels} for the layout). Opened by {@link ImageFiles#openRegions}; reading a file this way holds
 * either the decoded image or, for images too large for the memory allowed, only a band of it.
 * Not thread-safe. Close it to release the decoder.
 */
public interface ImageRegions extends AutoCloseable {
    /** Upright width. */
    int width();

    /** Upright height. */
    int height();

    /** The stored pixel layout (gray or colour, alpha, bit depth). */
    PixelFormat format();

    default boolean hasAlpha() {
        return format().alpha();
    }

    /**
     * Reads the rectangle {@code (x, y, w, h)}, which must lie inside the image, into r, g and b (a
     * gray image gives three equal planes); {@code a}, when not null, receives alpha (1 where there is
     * none).
     */
    void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a);

    @Override
    void close();
}
