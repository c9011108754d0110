package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * FFmpeg's own converter, the outside reference for {@link YuvRgb}: swscale with the matrix, ranges
 * and chroma positions given explicitly, bilinear chroma, accurate rounding and full chroma
 * interpolation (so it does not take shortcuts that trade accuracy for speed).
 */
public final class Swscale {
    private Swscale() {}

    /**
     * Converts {@code src} into a new frame of {@code dstFormat} (same size) with swscale's frame API,
     * which takes matrix, range and chroma location from the frames' fields. (The older
     * {@code sws_setColorspaceDetails} route ignores the {@code src_v_chr_pos} option in FFmpeg 8 and
     * always treats 4:2:0 chroma as top-sited, so it is not used.)
     */
    public static AVFrame convert(AVFrame src, int dstFormat, ColorMatrix matrix, boolean srcFull, boolean dstFull,
            int chromaLocation) {
        Av.load();
        SwsContext c = sws_alloc_context();
        set(c, "sws_flags", SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP);
        src.colorspace(matrix.avColorspace()).color_range(srcFull ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG)
                .chroma_location(chromaLocation);
        AVFrame dst = VideoFrames.allocate(src.width(), src.height(), dstFormat);
        dst.colorspace(matrix.avColorspace()).color_range(dstFull ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG)
                .chroma_location(chromaLocation);
        int ret = sws_scale_frame(c, dst, src);
        sws_freeContext(c);
        if (ret < 0) {
            throw new IllegalStateException("sws_scale_frame: " + Av.error(ret));
        }
        return dst;
    }

    private static void set(SwsContext c, String name, long value) {
        int ret = av_opt_set_int(c, name, value, 0);
        if (ret < 0) {
            throw new IllegalStateException("swscale option " + name + ": " + Av.error(ret));
        }
    }
}
