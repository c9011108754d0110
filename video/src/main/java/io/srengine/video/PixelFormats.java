package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/** Which pixel format the encoder gets: the input's depth and subsampling where the encoder takes them. */
final class PixelFormats {
    private PixelFormats() {}

    /**
     * The best format that {@code encoder} accepts and {@link FramePlanes} writes, or null. Preference:
     * the input's subsampling and depth; then 4:2:0 at the input's depth; then 10-bit 4:2:0 for deep
     * input; then 8-bit 4:2:0; then anything else the encoder lists. H.264 and H.265 cannot code an odd
     * width or height in subsampled chroma, so for odd sizes only unsubsampled formats are offered to them.
     */
    static FramePlanes.Layout choose(AVCodec encoder, FramePlanes.Layout input, int width, int height, VideoCodec codec) {
        Set<Integer> supported = supported(encoder);
        Set<String> wanted = new LinkedHashSet<>();
        int bits = input.bits() > 8 ? Math.min(16, Math.max(10, input.bits())) : 8;
        if (input.rgb()) {
            wanted.add(name("gbrp", bits));
            wanted.add(name("yuv444p", bits));
        } else if (input.gray()) {
            wanted.add(bits == 8 ? "gray" : "gray" + bits + "le");
        } else {
            wanted.add(name(sub(input), bits));
        }
        wanted.add(name("yuv420p", bits));
        if (bits > 8) {
            wanted.add(name(input.gray() || input.rgb() ? "yuv420p" : sub(input), 10));
            wanted.add("yuv420p10le");
        }
        wanted.add("yuv420p");
        wanted.add("yuv444p");
        List<Integer> order = new ArrayList<>();
        for (String n : wanted) {
            int f = av_get_pix_fmt(n);
            if (f != AV_PIX_FMT_NONE) {
                order.add(f);
            }
        }
        if (supported != null) {
            order.addAll(supported);
        }
        boolean evenOnly = codec == VideoCodec.H264 || codec == VideoCodec.H265;
        for (int f : order) {
            FramePlanes.Layout l = FramePlanes.layout(f);
            if (l == null || supported != null && !supported.contains(f)) {
                continue;
            }
            if (evenOnly && (width % 2 == 1 && l.log2ChromaW() > 0 || height % 2 == 1 && l.log2ChromaH() > 0)) {
                continue;
            }
            return l;
        }
        return null;
    }

    private static String sub(FramePlanes.Layout l) {
        return l.log2ChromaW() == 0 ? "yuv444p" : l.log2ChromaH() == 0 ? "yuv422p" : "yuv420p";
    }

    private static String name(String base, int bits) {
        return bits == 8 ? base : base + bits + "le";
    }

    /** The formats the encoder lists, or null when it does not say. */
    static Set<Integer> supported(AVCodec encoder) {
        try (PointerPointer<?> out = new PointerPointer<>(1); IntPointer n = new IntPointer(1)) {
            int ret = avcodec_get_supported_config(null, encoder, AV_CODEC_CONFIG_PIX_FORMAT, 0, out, n);
            if (ret < 0 || out.get(0) == null || n.get() <= 0) {
                return null;
            }
            IntPointer fmts = new IntPointer(out.get(0));
            Set<Integer> s = new LinkedHashSet<>();
            for (int i = 0; i < n.get(); i++) {
                s.add(fmts.get(i));
            }
            return s;
        }
    }
}
