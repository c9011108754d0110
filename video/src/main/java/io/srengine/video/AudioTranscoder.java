package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Re-encodes one audio stream whose codec the output container cannot hold, into the container's
 * own default audio codec (AAC for MP4/MOV, Opus for WebM, MP3 for AVI): decode, resample and
 * convert with swresample, re-chunk to the encoder's frame size, encode. Used only where copying is
 * impossible; the caller says so in a note.
 */
final class AudioTranscoder implements AutoCloseable {
    private final AVStream ist;
    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final AVStream stream;
    private final SwrContext swr;
    private final AVAudioFifo fifo;
    private final AVPacket out = av_packet_alloc();
    private final Path path;
    private long nextPts = AV_NOPTS_VALUE;

    AudioTranscoder(AVStream ist, AVFormatContext ofmtCtx, AVOutputFormat ofmt, Path path) {
        this.ist = ist;
        this.path = path;
        AVCodec dc = avcodec_find_decoder(ist.codecpar().codec_id());
        if (dc == null) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "no decoder for the " + avcodec_get_name(ist.codecpar().codec_id()).getString()
                    + " audio of " + path + ", so it cannot be re-encoded for this container");
        }
        decoder = avcodec_alloc_context3(dc);
        Av.check(avcodec_parameters_to_context(decoder, ist.codecpar()), ErrorCode.VIDEO_ERROR, "cannot set up the audio decoder");
        decoder.pkt_timebase(ist.time_base());
        Av.check(avcodec_open2(decoder, dc, (PointerPointer<?>) null), ErrorCode.VIDEO_ERROR, "cannot open the audio decoder");
        AVCodec ec = encoderFor(ofmt);
        encoder = avcodec_alloc_context3(ec);
        int rate = decoder.sample_rate();
        int[] rates = supportedInts(ec, AV_CODEC_CONFIG_SAMPLE_RATE);
        if (rates != null) {
            int best = rates[0];
            for (int r : rates) {
                if (Math.abs(r - rate) < Math.abs(best - rate) || r == 48000 && best != rate) {
                    best = r;
                }
            }
            rate = contains(rates, rate) ? rate : best;
        }
        int[] fmts = supportedInts(ec, AV_CODEC_CONFIG_SAMPLE_FORMAT);
        encoder.sample_fmt(fmts != null ? fmts[0] : AV_SAMPLE_FMT_FLTP);
        encoder.sample_rate(rate);
        int channels = decoder.ch_layout().nb_channels();
        av_channel_layout_default(encoder.ch_layout(), Math.min(2, Math.max(1, channels)) == channels ? channels : 2);
        encoder.time_base(av_make_q(1, rate));
        if ((ofmt.flags() & AVFMT_GLOBALHEADER) != 0) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Av.check(avcodec_open2(encoder, ec, (PointerPointer<?>) null), ErrorCode.VIDEO_ERROR,
                "cannot open the " + ec.name().getString() + " audio encoder");
        stream = avformat_new_stream(ofmtCtx, null);
        Av.check(avcodec_parameters_from_context(stream.codecpar(), encoder), ErrorCode.VIDEO_ERROR, "cannot describe the audio stream");
        stream.time_base(encoder.time_base());
        SwrContext s = new SwrContext(null);
        Av.check(swr_alloc_set_opts2(s, encoder.ch_layout(), encoder.sample_fmt(), encoder.sample_rate(),
                decoder.ch_layout(), decoder.sample_fmt(), decoder.sample_rate(), 0, null), ErrorCode.VIDEO_ERROR,
                "cannot set up audio resampling");
        Av.check(swr_init(s), ErrorCode.VIDEO_ERROR, "cannot set up audio resampling");
        swr = s;
        fifo = av_audio_fifo_alloc(encoder.sample_fmt(), encoder.ch_layout().nb_channels(), Math.max(1, encoder.frame_size()));
    }

    private static AVCodec encoderFor(AVOutputFormat ofmt) {
        int[] ids = {ofmt.audio_codec(), AV_CODEC_ID_AAC, AV_CODEC_ID_OPUS, AV_CODEC_ID_MP3, AV_CODEC_ID_AC3};
        for (int id : ids) {
            if (id == AV_CODEC_ID_NONE || avformat_query_codec(ofmt, id, FF_COMPLIANCE_NORMAL) != 1) {
                continue;
            }
            AVCodec c = id == AV_CODEC_ID_OPUS ? avcodec_find_encoder_by_name("libopus") : avcodec_find_encoder(id);
            if (c != null && (c.capabilities() & AV_CODEC_CAP_EXPERIMENTAL) == 0) {
                return c;
            }
        }
        throw new SrException(ErrorCode.VIDEO_ERROR, "no audio encoder in this FFmpeg build writes audio a ."
                + ofmt.name().getString() + " file can hold");
    }

    private static int[] supportedInts(AVCodec c, int what) {
        try (PointerPointer<?> p = new PointerPointer<>(1); IntPointer n = new IntPointer(1)) {
            if (avcodec_get_supported_config(null, c, what, 0, p, n) < 0 || p.get(0) == null || n.get() <= 0) {
                return null;
            }
            IntPointer v = new IntPointer(p.get(0));
            int[] r = new int[n.get()];
            v.get(r);
            return r;
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    AVStream stream() {
        return stream;
    }

    String encoderName() {
        return encoder.codec().name().getString();
    }

    /** Decodes a packet (timestamps in the input stream's time base) and hands out any packets encoded. */
    void push(AVPacket pkt, Consumer<AVPacket> sink) {
        decode(pkt, sink);
    }

    /** Drains decoder, resampler and encoder. */
    void flush(Consumer<AVPacket> sink) {
        decode(null, sink);
        AVFrame tail = av_frame_alloc();
        try {
            tail.ch_layout(encoder.ch_layout()).format(encoder.sample_fmt()).sample_rate(encoder.sample_rate());
            if (swr_convert_frame(swr, tail, null) >= 0 && tail.nb_samples() > 0) {
                av_audio_fifo_write(fifo, tail.data(), tail.nb_samples());
            }
        } finally {
            av_frame_free(tail);
        }
        drainFifo(sink, true);
        encode(null, sink);
    }

    private void decode(AVPacket pkt, Consumer<AVPacket> sink) {
        int ret = avcodec_send_packet(decoder, pkt);
        if (ret < 0 && ret != AVERROR_EOF()) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "the audio of " + path + " is damaged: " + Av.error(ret));
        }
        AVFrame frame = av_frame_alloc();
        AVFrame conv = av_frame_alloc();
        try {
            while (true) {
                ret = avcodec_receive_frame(decoder, frame);
                if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                    return;
                }
                Av.check(ret, ErrorCode.VIDEO_ERROR, "the audio of " + path + " is damaged");
                if (nextPts == AV_NOPTS_VALUE) {
                    long p = frame.best_effort_timestamp();
                    nextPts = p == AV_NOPTS_VALUE ? 0 : av_rescale_q(p, ist.time_base(), encoder.time_base());
                }
                av_frame_unref(conv);
                conv.ch_layout(encoder.ch_layout()).format(encoder.sample_fmt()).sample_rate(encoder.sample_rate());
                Av.check(swr_convert_frame(swr, conv, frame), ErrorCode.VIDEO_ERROR, "audio resampling failed");
                av_audio_fifo_write(fifo, conv.data(), conv.nb_samples());
                av_frame_unref(frame);
                drainFifo(sink, false);
            }
        } finally {
            av_frame_free(frame);
            av_frame_free(conv);
        }
    }

    private void drainFifo(Consumer<AVPacket> sink, boolean all) {
        int size = encoder.frame_size() > 0 ? encoder.frame_size() : 1024;
        while (av_audio_fifo_size(fifo) >= size || all && av_audio_fifo_size(fifo) > 0) {
            int n = Math.min(size, av_audio_fifo_size(fifo));
            AVFrame f = av_frame_alloc();
            try {
                f.nb_samples(n).ch_layout(encoder.ch_layout()).format(encoder.sample_fmt()).sample_rate(encoder.sample_rate());
                Av.check(av_frame_get_buffer(f, 0), ErrorCode.VIDEO_ERROR, "out of memory for audio");
                av_audio_fifo_read(fifo, f.data(), n);
                f.pts(nextPts == AV_NOPTS_VALUE ? 0 : nextPts);
                nextPts = f.pts() + n;
                encode(f, sink);
            } finally {
                av_frame_free(f);
            }
        }
    }

    private void encode(AVFrame f, Consumer<AVPacket> sink) {
        int ret = avcodec_send_frame(encoder, f);
        if (ret < 0 && ret != AVERROR_EOF()) {
            Av.check(ret, ErrorCode.VIDEO_ERROR, "audio encoding failed");
        }
        while (true) {
            ret = avcodec_receive_packet(encoder, out);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Av.check(ret, ErrorCode.VIDEO_ERROR, "audio encoding failed");
            av_packet_rescale_ts(out, encoder.time_base(), stream.time_base());
            out.stream_index(stream.index());
            sink.accept(out);
            av_packet_unref(out);
        }
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        swr_free(swr);
        av_audio_fifo_free(fifo);
        av_packet_free(out);
    }
}
