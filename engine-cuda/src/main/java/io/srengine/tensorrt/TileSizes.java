package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * Fits the upscaler's tiles to a plan's shape range. The upscaler feeds windows of at most {@code
 * tile + 2 * padding} pixels per side (fewer where the image is smaller), so the tile is cut to
 * {@code max - 2 * padding} of the plan's smaller maximum side. Windows below the plan's minimum
 * (small images, narrow last tiles) are padded up to it by the compiled model and its output cropped
 * (see {@link TensorRtCompiledModel}).
 */
public final class TileSizes {
    /** Input pixels reserved on each side of a tile for the Lanczos-3 resampling of --scale (scales down to 1/2 of the model's). */
    public static final int RESAMPLING_MARGIN = 8;

    private TileSizes() {}

    /**
     * The tile side to use.
     *
     * @param range the plan's shape range
     * @param requested the tile asked for; 0 means "as large as possible"
     * @param padding context pixels on each side of a tile
     * @param resampling whether the output is resampled to another scale (--scale): the resampling
     *     filter then reads up to {@value #RESAMPLING_MARGIN} more pixels on each side of a tile
     * @return the tile side in input pixels, at least 1
     * @throws SrException {@code INVALID_ARGUMENT} when the padding alone fills the plan's largest input
     */
    public static int tileFor(ShapeRange range, int requested, int padding, boolean resampling) {
        int maxSide = Math.min(range.max()[2], range.max()[3]);
        int room = maxSide - 2 * padding - (resampling ? 2 * RESAMPLING_MARGIN : 0);
        if (room < 1) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the plan's largest input is " + range.max()[2] + "x"
                    + range.max()[3] + ", which leaves no room for a tile with " + padding
                    + " pixels of padding on each side" + (resampling ? " and " + RESAMPLING_MARGIN + " for resampling" : "") + "; lower --tile-pad or rebuild the plan with a larger --max-shape");
        }
        return requested <= 0 ? room : Math.min(requested, room);
    }
}
