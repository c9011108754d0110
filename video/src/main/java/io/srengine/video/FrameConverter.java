package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.PlanarImage;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Decoded frames to R'G'B' float planes and back, through {@link YuvRgb}. Pixel formats that
 * {@link FramePlanes} cannot read directly (semi-planar NV12/P010, packed, paletted) are repacked by
 * swscale into planar 4:4:4 at 16 bits first, a lossless step that leaves the matrix to {@link YuvRgb}.
 * One converter per thread; close it.
 */
final class FrameConverter implements AutoCloseable {
    private SwsContext sws;
    private AVFrame repacked;

    /** The frame's R'G'B' with the given colorimetry. */
    PlanarImage toRgb(AVFrame frame, Colorimetry c) {
        return YuvRgb.toRgb(planes(frame), c);
    }

    /** The frame's samples, repacked when its format is not planar. */
    YuvPlanes planes(AVFrame frame) {
        FramePlanes.Layout l = FramePlanes.layout(frame.format());
        if (l != null) {
            return FramePlanes.read(frame, l);
        }
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(frame.format());
        if (d == null || (d.flags() & AV_PIX_FMT_FLAG_HWACCEL) != 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "decoded frames in " + FramePlanes.name(frame.format())
                    + " cannot be converted");
        }
        boolean rgb = (d.flags() & AV_PIX_FMT_FLAG_RGB) != 0 || (d.flags() & AV_PIX_FMT_FLAG_PAL) != 0;
        int target = rgb ? AV_PIX_FMT_GBRP16LE : AV_PIX_FMT_YUV444P16LE;
        int w = frame.width();
        int h = frame.height();
        sws = sws_getCachedContext(sws, w, h, frame.format(), w, h, target, SWS_POINT | SWS_ACCURATE_RND | SWS_BITEXACT,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "swscale cannot repack " + FramePlanes.name(frame.format()));
        }
        if (repacked == null || repacked.width() != w || repacked.height() != h || repacked.format() != target) {
            av_frame_free(repacked);
            repacked = VideoFrames.allocate(w, h, target);
        }
        Av.check(sws_scale_frame(sws, repacked, frame), ErrorCode.VIDEO_ERROR, "swscale cannot repack "
                + FramePlanes.name(frame.format()));
        return FramePlanes.read(repacked, FramePlanes.require(target));
    }

    /** A new frame of {@code layout}'s format holding {@code img}'s R'G'B'; the caller frees it. */
    static AVFrame fromRgb(PlanarImage img, FramePlanes.Layout layout, Colorimetry c) {
        YuvPlanes p = YuvRgb.fromRgb(img, layout.bits(), layout.log2ChromaW(), layout.log2ChromaH(), layout.gray(), c);
        AVFrame f = VideoFrames.allocate(img.width(), img.height(), layout.pixFmt());
        FramePlanes.write(p, f, layout);
        return f;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(repacked);
        repacked = null;
    }
}
