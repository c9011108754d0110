package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/** Small helpers around FFmpeg's C API: loading, error codes, rationals. */
final class Av {
    private static volatile boolean loaded;

    private Av() {}

    /**
     * Loads FFmpeg's native libraries once and keeps its own log to errors (srengine reports what
     * failed itself; FFmpeg's warnings about each damaged macroblock would drown that).
     *
     * @throws SrException {@code BACKEND_UNAVAILABLE} when the libraries cannot be loaded on this platform
     */
    static void load() {
        if (loaded) {
            return;
        }
        synchronized (Av.class) {
            if (loaded) {
                return;
            }
            try {
                Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
                Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
                Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "cannot load FFmpeg's native libraries for "
                        + Loader.getPlatform() + ": " + e.getMessage(), e);
            }
            av_log_set_level(AV_LOG_ERROR);
            loaded = true;
        }
    }

    /** FFmpeg's text for an error code, e.g. "Invalid data found when processing input". */
    static String error(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            if (av_strerror(code, buf, 256) < 0) {
                return "FFmpeg error " + code;
            }
            String s = buf.getString(); // reads to the buffer's limit: cut at the terminator
            int end = s.indexOf('\0');
            return end < 0 ? s : s.substring(0, end);
        }
    }

    /** Throws {@code code} with "what: FFmpeg's reason" when {@code ret} is negative; returns it otherwise. */
    static int check(int ret, ErrorCode code, String what) {
        if (ret < 0) {
            throw new SrException(code, what + ": " + error(ret));
        }
        return ret;
    }

    static AVRational rational(int num, int den) {
        return av_make_q(num, den);
    }

    static String str(AVRational q) {
        return q.num() + "/" + q.den();
    }

    static boolean valid(AVRational q) {
        return q != null && q.num() > 0 && q.den() > 0;
    }
}
