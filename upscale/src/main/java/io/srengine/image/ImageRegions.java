package io.srengine.image;

/**
 * An image read a rectangle at a time, as float planes in [0, 1] of upright sRGB (see {@link
 * Pixels} for the layout). Opened by {@link ImageFiles#openRegions}; reading a file this way holds
 * either the decoded image or, for images too large for the memory allowed, only a band of it.
 * Not thread-safe. Close it to release the decoder.
 */
public interface ImageRegions extends AutoCloseable {
    /**
     * Upright width.
     *
     * @return width in pixels
     */
    int width();

    /**
     * Upright height.
     *
     * @return height in pixels
     */
    int height();

    /**
     * The stored pixel layout (gray or colour, alpha, bit depth).
     *
     * @return the pixel format
     */
    PixelFormat format();

    /**
     * Whether the image has alpha.
     *
     * @return {@code format().alpha()}
     */
    default boolean hasAlpha() {
        return format().alpha();
    }

    /**
     * Reads the rectangle {@code (x, y, w, h)}, which must lie inside the image, into r, g and b (a
     * gray image gives three equal planes); {@code a}, when not null, receives alpha (1 where there is
     * none).
     *
     * @param x left edge in upright pixels
     * @param y top edge in upright pixels
     * @param w width in pixels
     * @param h height in pixels
     * @param r receives red in [0, 1], row-major, at least {@code w * h} values
     * @param g receives green, as {@code r}
     * @param b receives blue, as {@code r}
     * @param a receives alpha, as {@code r}; may be null
     * @throws io.srengine.SrException {@code IMAGE_ERROR} when decoding a band fails (a file read in bands is
     *     decoded as it is read); {@code OUT_OF_MEMORY} when the heap cannot hold a decoded band
     */
    void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a);

    /** Releases the decoder and the file; reading afterwards is not allowed. Does not throw. */
    @Override
    void close();
}
