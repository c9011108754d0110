package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A video file opened for reading: its main video stream decoded frame by frame, every other packet
 * handed out as it is (for stream copy). Decoders are told to fail on damaged data rather than hide it
 * ({@code AV_EF_EXPLODE}), so a corrupt file is reported at the frame where it broke. Not thread-safe;
 * close it.
 */
final class VideoInput implements AutoCloseable {
    /** What {@link #next()} returns: a decoded frame of the video stream, or a packet of another stream. */
    sealed interface Item {}

    /** A decoded frame, owned by the receiver (free it with {@code av_frame_free}); pts in the stream's time base. */
    record Decoded(AVFrame frame, long pts, long duration) implements Item {}

    /** A packet of stream {@code stream}, owned by the receiver (free it with {@code av_packet_free}). */
    record Copied(AVPacket packet, int stream) implements Item {}

    final Path path;
    final AVFormatContext fmt;
    final AVStream stream;
    final int videoIndex;
    final AVCodecContext decoder;
    final AVRational timeBase;
    final AVRational frameRate;
    private final AVPacket packet = av_packet_alloc();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();
    private boolean eof;
    private boolean flushed;
    private long framesOut;
    private long lastPts = AV_NOPTS_VALUE;
    private long lastDuration;

    /**
     * @throws SrException {@code VIDEO_ERROR} naming the file when it is not a video FFmpeg can read
     *     or has no video stream, or its decoder is missing
     */
    VideoInput(Path path, int decoderThreads) {
        Av.load();
        this.path = path;
        AVFormatContext f = new AVFormatContext(null);
        int ret = avformat_open_input(f, path.toString(), null, null);
        if (ret < 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "cannot read " + path + " as a video: " + Av.error(ret));
        }
        this.fmt = f;
        try {
            ret = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
            if (ret < 0) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "cannot read the streams of " + path + ": " + Av.error(ret));
            }
            int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (vi < 0) {
                throw new SrException(ErrorCode.VIDEO_ERROR, path + " has no video stream");
            }
            this.videoIndex = vi;
            this.stream = fmt.streams(vi);
            AVCodecParameters par = stream.codecpar();
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "no decoder for the " + avcodec_get_name(par.codec_id()).getString()
                        + " video of " + path + " in this FFmpeg build");
            }
            if (par.width() <= 0 || par.height() <= 0) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "the video stream of " + path + " has no frame size ("
                        + par.width() + "x" + par.height() + ")");
            }
            this.decoder = avcodec_alloc_context3(codec);
            Av.check(avcodec_parameters_to_context(decoder, par), ErrorCode.VIDEO_ERROR, "cannot set up the decoder for " + path);
            decoder.pkt_timebase(stream.time_base());
            decoder.thread_count(decoderThreads);
            decoder.err_recognition(decoder.err_recognition() | AV_EF_EXPLODE);
            Av.check(avcodec_open2(decoder, codec, (PointerPointer<?>) null), ErrorCode.VIDEO_ERROR,
                    "cannot open the " + codec.name().getString() + " decoder for " + path);
            this.timeBase = stream.time_base();
            AVRational guessed = av_guess_frame_rate(fmt, stream, null);
            this.frameRate = Av.valid(guessed) ? guessed : Av.rational(25, 1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Frames in the stream as its container counts them, or an estimate from duration and rate, or -1. */
    long expectedFrames() {
        if (stream.nb_frames() > 0) {
            return stream.nb_frames();
        }
        long d = stream.duration() != AV_NOPTS_VALUE ? av_rescale_q(stream.duration(), timeBase, av_make_q(1, 1_000_000))
                : fmt.duration() != AV_NOPTS_VALUE ? fmt.duration() : -1;
        return d <= 0 ? -1 : Math.round(d / 1e6 * av_q2d(frameRate));
    }

    /** The container's duration in microseconds, or -1. */
    long durationMicros() {
        return fmt.duration() == AV_NOPTS_VALUE ? -1 : fmt.duration();
    }

    /** Frames decoded so far. */
    long framesDecoded() {
        return framesOut;
    }

    /** Seeks to the keyframe at or before {@code micros}; frames before it must still be dropped by the caller. */
    void seek(long micros) {
        int ret = avformat_seek_file(fmt, -1, Long.MIN_VALUE, micros, micros, 0);
        if (ret < 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "cannot seek to " + micros / 1e6 + " s in " + path + ": " + Av.error(ret));
        }
        avcodec_flush_buffers(decoder);
    }

    /**
     * The next decoded video frame or copied packet, in file order, or null at the end.
     *
     * @param copy which streams' packets to hand out (indexed by stream); others are dropped
     * @throws SrException {@code VIDEO_ERROR} naming the frame when the file is damaged
     */
    Item next(boolean[] copy) {
        while (ready.isEmpty()) {
            if (flushed) {
                return null;
            }
            if (eof) {
                sendAndReceive(null);
                flushed = true;
                continue;
            }
            int ret = av_read_frame(fmt, packet);
            if (ret == AVERROR_EOF()) {
                eof = true;
                continue;
            }
            if (ret < 0) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "cannot read " + path + " after frame " + framesOut + " (at "
                        + seconds() + "): " + Av.error(ret));
            }
            try {
                int si = packet.stream_index();
                if (si == videoIndex) {
                    sendAndReceive(packet);
                } else if (si < copy.length && copy[si]) {
                    ready.add(new Copied(av_packet_clone(packet), si));
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        return ready.poll();
    }

    private void sendAndReceive(AVPacket pkt) {
        int ret = avcodec_send_packet(decoder, pkt);
        if (ret < 0 && ret != AVERROR_EOF()) {
            throw damaged(ret);
        }
        while (true) {
            AVFrame frame = av_frame_alloc();
            ret = avcodec_receive_frame(decoder, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                av_frame_free(frame);
                return;
            }
            if (ret < 0) {
                av_frame_free(frame);
                throw damaged(ret);
            }
            long pts = frame.best_effort_timestamp();
            long dur = frame.duration() > 0 ? frame.duration() : defaultDuration();
            if (pts == AV_NOPTS_VALUE) {
                pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + lastDuration;
            }
            lastPts = pts;
            lastDuration = dur;
            framesOut++;
            ready.add(new Decoded(frame, pts, dur));
        }
    }

    private long defaultDuration() {
        return Math.max(1, av_rescale_q(1, av_inv_q(frameRate), timeBase));
    }

    private SrException damaged(int ret) {
        return new SrException(ErrorCode.VIDEO_ERROR, path + " is damaged: decoding failed at frame " + (framesOut + 1)
                + " (after " + seconds() + "): " + Av.error(ret));
    }

    private String seconds() {
        return lastPts == AV_NOPTS_VALUE ? "0 s" : String.format(java.util.Locale.ROOT, "%.3f s", lastPts * av_q2d(timeBase));
    }

    @Override
    public void close() {
        ready.forEach(VideoInput::free);
        ready.clear();
        av_packet_free(packet);
        if (decoder != null) {
            avcodec_free_context(decoder);
        }
        avformat_close_input(fmt);
    }

    static void free(Item item) {
        if (item instanceof Decoded d) {
            av_frame_free(d.frame());
        } else if (item instanceof Copied c) {
            av_packet_free(c.packet());
        }
    }
}
