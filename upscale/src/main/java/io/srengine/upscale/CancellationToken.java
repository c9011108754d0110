package io.srengine.upscale;

/**
 * Lets one thread stop an upscale running on another. The upscaler checks the token (and the
 * running thread's interrupt flag) before every tile and throws {@link io.srengine.SrException}
 * with {@link io.srengine.ErrorCode#CANCELLED}; no output file is written. Thread-safe; a token
 * stays cancelled once cancelled.
 */
public final class CancellationToken {
    private volatile boolean cancelled;

    /** Asks every upscale using this token to stop at its next tile. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
