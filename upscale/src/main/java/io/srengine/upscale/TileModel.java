package io.srengine.upscale;

import io.srengine.Tensor;
import java.util.List;

/**
 * What the tiling needs from a model: its integer scale, whether it insists on one input size, and a
 * way to run an RGB tile. The session-backed implementation is {@link SessionTileModel}; tests supply
 * models whose receptive field they know.
 */
interface TileModel extends AutoCloseable {
    /** The factor by which the model multiplies height and width. */
    int scale();

    /** The input height the model requires, or 0 when any height works. */
    int fixedHeight();

    /** The input width the model requires, or 0 when any width works. */
    int fixedWidth();

    /** Runs one {@code [1, 3, h, w]} tile of RGB in [0, 1]; returns {@code [1, 3, h*scale, w*scale]}. */
    Tensor run(Tensor tile);

    /** How messages name the model. */
    String name();

    /**
     * Tile windows start and end on multiples of this (1: anywhere), for networks that downsample:
     * a window off their stride grid computes on another grid than the whole image does.
     */
    default int alignment() {
        return 1;
    }

    /** The context per tile side the model asks for (its {@code tile_padding} metadata), or 0. */
    default int recommendedPadding() {
        return 0;
    }

    /** Whether the model's program reaches scales {@code scale^k} by running the model k times. */
    default boolean repeatsForLargerScales() {
        return false;
    }

    /**
     * Called before the tiles of an image are run, with the image and its tiles along each axis
     * (window and the end of each core, in input pixels). Models that need whole-image statistics
     * compute them here.
     */
    default void beginImage(TileIo.Source source, List<WholeImageMeans.Cut> xs, List<WholeImageMeans.Cut> ys) {}

    /** The backend that runs it. */
    String backendName();

    @Override
    void close();
}
