package io.srengine.image;

import java.awt.image.BufferedImage;

/**
 * An image produced from top to bottom, a band of rows at a time, so that it can be encoded while it
 * is being made without ever being whole in memory ({@link ImageFiles#write(RowSource, java.nio.file.Path,
 * WriteOptions)}). The encoder asks for rows in order; each band is asked for once.
 */
public interface RowSource {
    int width();

    int height();

    /** The layout of every band: 8- or 16-bit gray or RGB, with or without alpha, as the output format can store it. */
    PixelFormat format();

    /**
     * The next band: {@code width()} pixels wide, at least one row high, in {@link #format()} (as
     * {@link PixelFormat#allocate} makes it), starting where the previous band ended (the first at row
     * 0). Called no more often than there are rows left.
     */
    BufferedImage nextBand();
}
