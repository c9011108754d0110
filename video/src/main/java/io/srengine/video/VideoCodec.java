package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;

import java.util.List;
import java.util.Locale;

/**
 * The codecs {@code --codec} offers, each with the FFmpeg encoders that can write it, best first.
 * Which of them exist depends on the FFmpeg build (docs/video.md): the default LGPL build writes
 * H.264 with OpenH264, VP9 with libvpx, AV1 with SVT-AV1 or libaom and FFV1 natively, and has no
 * software H.265 encoder; the GPL build adds libx264 and libx265. The NVENC encoders need an NVIDIA
 * GPU and driver and are tried last.
 */
public enum VideoCodec {
    H264(AV_CODEC_ID_H264, List.of("libx264", "libopenh264", "h264_nvenc")),
    H265(AV_CODEC_ID_HEVC, List.of("libx265", "hevc_nvenc")),
    VP9(AV_CODEC_ID_VP9, List.of("libvpx-vp9")),
    AV1(AV_CODEC_ID_AV1, List.of("libsvtav1", "libaom-av1", "av1_nvenc")),
    /** Lossless. */
    FFV1(AV_CODEC_ID_FFV1, List.of("ffv1"));

    final int codecId;
    final List<String> encoders;

    VideoCodec(int codecId, List<String> encoders) {
        this.codecId = codecId;
        this.encoders = encoders;
    }

    /** The name {@code --codec} takes: h264, h265, vp9, av1, ffv1. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** FFmpeg encoder names tried for this codec, best first. */
    public List<String> encoders() {
        return encoders;
    }

    /** Parses h264/avc, h265/hevc, vp9, av1, ffv1 (any case); null when none matches. */
    public static VideoCodec parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "h264", "avc", "x264" -> H264;
            case "h265", "hevc", "x265" -> H265;
            case "vp9" -> VP9;
            case "av1" -> AV1;
            case "ffv1" -> FFV1;
            default -> null;
        };
    }

    /** What an output file with this extension gets when no codec is asked for. */
    static VideoCodec defaultFor(String extension) {
        return "webm".equals(extension) ? VP9 : H264;
    }
}
