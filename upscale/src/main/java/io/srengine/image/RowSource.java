package io.srengine.image;

import java.awt.image.BufferedImage;

/**
 * An image produced from top to bottom, a band of rows at a time, so that it can be encoded while it
 * is being made without ever being whole in memory ({@link ImageFiles#write(RowSource, java.nio.file.Path,
 * WriteOptions)}). The encoder asks for rows in order; each band is asked for once.
 */
public interface RowSource {
    /**
     * The image's width.
     *
     * @return width in pixels, the width of every band
     */
    int width();

    /**
     * The image's height.
     *
     * @return height in pixels, the sum of the bands' heights
     */
    int height();

    /**
     * The layout of every band: 8- or 16-bit gray or RGB, with or without alpha, as the output format can store it.
     *
     * @return the pixel format
     */
    PixelFormat format();

    /**
     * The next band: {@code width()} pixels wide, at least one row high, in {@link #format()} (as
     * {@link PixelFormat#allocate} makes it), starting where the previous band ended (the first at row
     * 0). Called no more often than there are rows left.
     *
     * @return the band; an unchecked exception thrown here aborts the write and is rethrown as it is
     */
    BufferedImage nextBand();
}
