package io.srengine.upscale;

/**
 * Told after every tile an {@link Upscaler} finishes. Called on the thread that runs the upscale;
 * keep it quick (it runs between tiles).
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> {};

    /**
     * Reports one more finished tile.
     *
     * @param tilesDone tiles finished so far, from 1 to {@code tilesTotal}
     * @param tilesTotal tiles in this image
     */
    void progress(int tilesDone, int tilesTotal);
}
