package io.srengine.video;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoder options for a quality level ({@code --crf}) and a speed preset ({@code --preset}), in each
 * encoder's own terms. The defaults aim at "visually close to the model's output": CRF 18 for x264
 * (x264's own default is 23), 20 for x265, 24 for VP9 and AV1 (libaom), 28 for SVT-AV1.
 */
final class EncoderSettings {
    private EncoderSettings() {}

    /** The CRF used when none is given, for an encoder. */
    static int defaultCrf(String encoder) {
        return switch (encoder) {
            case "libx264" -> 18;
            case "libx265" -> 20;
            case "libvpx-vp9", "libaom-av1" -> 24;
            case "libsvtav1" -> 28;
            case "libopenh264" -> 20;
            default -> 21; // NVENC's constant-quality level
        };
    }

    /**
     * Options passed to {@code avcodec_open2}.
     *
     * @param crf the quality level, or null for the encoder's default in srengine
     * @param preset the speed preset, or null
     * @param threads encoder threads (0: the encoder's choice)
     */
    static Map<String, String> options(String encoder, Integer crf, String preset, int threads) {
        Map<String, String> o = new LinkedHashMap<>();
        int q = crf != null ? crf : defaultCrf(encoder);
        switch (encoder) {
            case "libx264", "libx265" -> {
                o.put("crf", Integer.toString(q));
                o.put("preset", preset != null ? preset : "medium");
            }
            case "libopenh264" -> {
                // OpenH264 has no CRF: its quality rate control with the quantiser pinned to the level.
                o.put("rc_mode", "quality");
                o.put("qmin", Integer.toString(q));
                o.put("qmax", Integer.toString(q));
                o.put("b", "0");
            }
            case "libvpx-vp9" -> {
                o.put("crf", Integer.toString(q));
                o.put("b", "0");
                o.put("deadline", "good");
                o.put("cpu-used", preset != null ? preset : "4");
                o.put("row-mt", "1");
            }
            case "libaom-av1" -> {
                o.put("crf", Integer.toString(q));
                o.put("b", "0");
                o.put("cpu-used", preset != null ? preset : "6");
                o.put("row-mt", "1");
            }
            case "libsvtav1" -> {
                o.put("crf", Integer.toString(q));
                o.put("preset", preset != null ? preset : "8");
            }
            case "ffv1" -> {
                o.put("level", "3");
                o.put("slicecrc", "1");
            }
            default -> { // NVENC
                o.put("rc", "vbr");
                o.put("cq", Integer.toString(q));
                o.put("b", "0");
                if (preset != null) {
                    o.put("preset", preset);
                }
            }
        }
        if (threads > 0) {
            o.put("threads", Integer.toString(threads));
        }
        return o;
    }
}
