package io.srengine.upscale;

import io.srengine.image.PixelFormat;

/**
 * How much of the heap the upscaler plans to use, so that the defaults hold in any heap: a quarter for
 * the model's activations (which sets the default tile), a quarter for the decoded input (beyond it
 * the input is decoded by bands), a quarter for the two output bands being encoded (which limits the
 * tile height for very wide outputs).
 */
final class MemoryPlan {
    /** Tiles below this side waste most of their work on padding; the plan never goes lower by itself. */
    static final int MIN_TILE = 32;

    private MemoryPlan() {}

    static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * The largest tile up to {@link Upscaler#DEFAULT_TILE} (a multiple of 16) whose padded window's
     * activations fit a quarter of {@code heap}; {@code bytesPerPixel} 0 (unknown) gives the maximum.
     */
    static int defaultTile(long bytesPerPixel, int padding, long heap) {
        if (bytesPerPixel <= 0) {
            return Upscaler.DEFAULT_TILE;
        }
        long budget = heap / 4;
        int side = (int) Math.min(Integer.MAX_VALUE, (long) Math.sqrt((double) budget / bytesPerPixel));
        int tile = (side - 2 * padding) / 16 * 16;
        return Math.max(MIN_TILE, Math.min(Upscaler.DEFAULT_TILE, tile));
    }

    /**
     * The tile height that keeps two output bands (a row of tiles each, as encoded) within a quarter of
     * {@code heap}: {@code tile} unless the output is so wide that its rows are expensive.
     */
    static int bandTile(int tile, int outWidth, double scale, PixelFormat format, long heap) {
        long rowBytes = (long) outWidth * format.bands() * (format.bitDepth() / 8);
        long rows = heap / 4 / 2 / Math.max(1, rowBytes);
        int inputRows = (int) Math.max(MIN_TILE / 2, Math.min(Integer.MAX_VALUE, (long) (rows / Math.max(scale, 1e-9))));
        return tile == 0 ? 0 : Math.min(tile, inputRows);
    }
}
