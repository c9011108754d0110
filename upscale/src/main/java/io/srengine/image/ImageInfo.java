package io.srengine.image;

import java.nio.file.Path;

/**
 * What an image file's header and metadata say, learnt without decoding its pixels ({@link
 * ImageFiles#probe}): enough to refuse a file that is too large, or to plan the work, before any
 * memory is spent on it.
 *
 * @param path the file
 * @param format its format, recognised by content
 * @param width the width as seen upright (after {@code orientation})
 * @param height the height as seen upright
 * @param pixelFormat gray or colour, alpha, bit depth of the stored samples
 * @param orientation how the stored pixels are turned to be upright (EXIF or TIFF tag)
 * @param metadata EXIF, XMP and colour information
 */
public record ImageInfo(Path path, ImageFormat format, int width, int height, PixelFormat pixelFormat,
        Orientation orientation, ImageMetadata metadata) {
    /** Width of the pixels as stored in the file. */
    public int storedWidth() {
        return orientation.swapsAxes() ? height : width;
    }

    /** Height of the pixels as stored in the file. */
    public int storedHeight() {
        return orientation.swapsAxes() ? width : height;
    }

    /** Pixels in the image. */
    public long pixels() {
        return (long) width * height;
    }

    /** Bytes the decoder needs to hold the whole image (at least three samples a pixel, as decoders expand palettes and gray). */
    public long decodedBytes() {
        return pixels() * Math.max(3, pixelFormat.bands()) * (pixelFormat.bitDepth() / 8);
    }
}
