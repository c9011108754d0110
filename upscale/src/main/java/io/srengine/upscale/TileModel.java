package io.srengine.upscale;

import io.srengine.Tensor;

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

    /** Where tile windows may start and the context tiles need, as the model asks (see {@link ModelTiling}). */
    default ModelTiling tiling() {
        return ModelTiling.ANY;
    }

    /** How messages name the model. */
    String name();

    /** The backend that runs it. */
    String backendName();

    @Override
    void close();
}
