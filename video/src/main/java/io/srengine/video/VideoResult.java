package io.srengine.video;

import java.util.List;

/**
 * What a finished video upscale did.
 *
 * @param frames frames written
 * @param width height the output frame size
 * @param encoder the FFmpeg encoder that wrote the video (e.g. libopenh264, libvpx-vp9)
 * @param pixelFormat the output's pixel format (e.g. yuv420p, yuv420p10le)
 * @param notes one line per stream that was re-encoded or left out, and other things the user should know
 * @param progress the final timings
 */
public record VideoResult(long frames, int width, int height, String encoder, String pixelFormat, List<String> notes,
        VideoProgress progress) {}
