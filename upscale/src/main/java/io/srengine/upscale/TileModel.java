package io.srengine.upscale;

import io.srengine.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;

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

    /**
     * Bytes of activations the model holds per input pixel while it runs (its peak), or 0 when unknown;
     * sets the default tile size.
     */
    default long activationBytesPerPixel() {
        return 0;
    }

    /** How messages name the model. */
    String name();

    /**
     * Tile windows start and end on multiples of this (1: anywhere), for networks that downsample
     * and for window-attention transformers ({@link ModelTiling}): a window off their grid computes on
     * another grid than the whole image does.
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
     * How the tiles of one image are run: {@link #run} for most models. A model that needs statistics
     * of the whole image (squeeze-and-excitation means, {@link WholeImageMeans}) computes them here over
     * {@code source}, cut as the tiles will be, and returns a function that runs tiles with them. The
     * function serves that image only, so images upscaled at the same time do not share it.
     *
     * @param xs the tiles along the width: each window and where its core ends, in input pixels
     * @param ys the same along the height
     */
    default UnaryOperator<Tensor> forImage(TileIo.Source source, List<WholeImageMeans.Cut> xs, List<WholeImageMeans.Cut> ys) {
        return this::run;
    }

    /** The backend that runs it. */
    String backendName();

    @Override
    void close();
}
