package io.srengine.upscale;

/**
 * Lets one thread stop an upscale running on another. The upscaler checks the token (and the
 * running thread's interrupt flag) before every tile and throws {@link io.srengine.SrException}
 * with {@link io.srengine.ErrorCode#CANCELLED}; no output file is written. Thread-safe; a token
 * stays cancelled once cancelled.
 */
public final class CancellationToken {
    private volatile boolean cancelled;

    /** Creates a token that is not cancelled. */
    public CancellationToken() {
    }

    /** Asks every upscale using this token to stop at its next tile. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} has been called.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }
}
