package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.video.VideoCodec;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code srengine upscale} that only video inputs take (a picocli mixin). */
final class VideoOptions {
    @Option(names = "--codec", paramLabel = "C",
            description = "Video only: h264, h265, vp9, av1 or ffv1 (lossless). Default: h264, vp9 for .webm.")
    String codec;

    @Option(names = "--crf", paramLabel = "N",
            description = "Video only: the encoder's quality level, lower is better (x264/x265/VP9/AV1 CRF; OpenH264's"
                    + " quantiser). Default: 18 for x264, 20 for OpenH264 and x265, 24 for VP9 and libaom, 28 for SVT-AV1.")
    Integer crf;

    @Option(names = "--preset", paramLabel = "P",
            description = "Video only: the encoder's speed preset (x264/x265: ultrafast..veryslow; SVT-AV1: 0..13;"
                    + " VP9/libaom: cpu-used 0..8).")
    String preset;

    @Option(names = "--start", paramLabel = "T", description = "Video only: begin at T (seconds, or [hh:]mm:ss[.fff]).")
    String start;

    @Option(names = "--duration", paramLabel = "D", description = "Video only: upscale D (seconds, or [hh:]mm:ss[.fff]) from the start.")
    String duration;

    /** Whether any video-only option was given. */
    boolean any() {
        return codec != null || crf != null || preset != null || start != null || duration != null;
    }

    VideoCodec codec() {
        if (codec == null) {
            return null;
        }
        VideoCodec c = VideoCodec.parse(codec);
        if (c == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--codec must be h264, h265, vp9, av1 or ffv1, was '" + codec + "'");
        }
        return c;
    }

    /** Seconds ("12.5") or clock time ("1:02:03.5", "02:03"). */
    static Duration time(String s, String option) {
        if (s == null) {
            return null;
        }
        try {
            String[] parts = s.trim().split(":");
            if (parts.length > 3) {
                throw new NumberFormatException();
            }
            double seconds = 0;
            for (String p : parts) {
                if (p.isEmpty() || p.startsWith("-") || p.startsWith("+")) {
                    throw new NumberFormatException();
                }
                seconds = seconds * 60 + Double.parseDouble(p);
            }
            if (!Double.isFinite(seconds)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, option + " takes seconds (e.g. 12.5) or [hh:]mm:ss[.fff], not '"
                    + s + "'");
        }
    }
}
