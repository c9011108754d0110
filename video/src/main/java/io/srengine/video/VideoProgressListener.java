package io.srengine.video;

/**
 * Told after every frame a {@link VideoUpscaler} writes, on the thread that called
 * {@link VideoUpscaler#upscale}. Keep it quick: the encoder waits for it.
 */
@FunctionalInterface
public interface VideoProgressListener {
    /** A listener that ignores progress. */
    VideoProgressListener NONE = p -> {};

    void progress(VideoProgress progress);
}
