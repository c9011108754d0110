package io.srengine.video;

/**
 * Where a video upscale stands, after each frame written.
 *
 * @param framesDone frames encoded so far
 * @param framesTotal the frames expected in all, from the container's count or its duration and frame
 *     rate; -1 when the container says neither
 * @param elapsedNanos wall time since the upscale began
 * @param decodeNanos time the decoding thread has spent reading, decoding and converting to R'G'B'
 * @param modelNanos time the model thread has spent upscaling
 * @param encodeNanos time the encoding thread has spent converting to Y'CbCr, encoding and writing
 */
public record VideoProgress(long framesDone, long framesTotal, long elapsedNanos, long decodeNanos, long modelNanos,
        long encodeNanos) {
    /** Frames per second so far. */
    public double fps() {
        return elapsedNanos <= 0 ? 0 : framesDone * 1e9 / elapsedNanos;
    }

    /** Estimated time left in nanoseconds at the rate so far, or -1 when the total is unknown. */
    public long etaNanos() {
        if (framesTotal < 0 || framesDone == 0) {
            return -1;
        }
        return Math.max(0, (long) ((double) elapsedNanos / framesDone * (framesTotal - framesDone)));
    }
}
