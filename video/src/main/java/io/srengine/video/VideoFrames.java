package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Allocation of FFmpeg frames. */
final class VideoFrames {
    private VideoFrames() {}

    /** A frame with buffers for {@code w x h} pixels of {@code pixFmt}; the caller frees it with {@code av_frame_free}. */
    static AVFrame allocate(int w, int h, int pixFmt) {
        AVFrame f = av_frame_alloc();
        if (f == null) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "out of memory allocating a video frame");
        }
        f.format(pixFmt).width(w).height(h);
        int ret = av_frame_get_buffer(f, 0);
        if (ret < 0) {
            av_frame_free(f);
            throw new SrException(ErrorCode.VIDEO_ERROR, "cannot allocate a " + w + "x" + h + " "
                    + FramePlanes.name(pixFmt) + " frame: " + Av.error(ret));
        }
        return f;
    }
}
