package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts a text subtitle stream (SubRip, ASS, WebVTT, mov_text...) into the text subtitle codec
 * the output container holds (mov_text for MP4/MOV, WebVTT for WebM), event by event. Bitmap
 * subtitles cannot be converted this way and are left out by the caller.
 */
final class SubtitleTranscoder implements AutoCloseable {
    private static final int MAX_EVENT_BYTES = 1 << 16;
    private final AVStream ist;
    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final AVStream stream;
    private final BytePointer buffer = new BytePointer(MAX_EVENT_BYTES);

    /** Whether a stream of {@code codecId} can be converted for {@code ofmt}. */
    static boolean canConvert(int codecId, AVOutputFormat ofmt) {
        AVCodecDescriptor d = avcodec_descriptor_get(codecId);
        return d != null && (d.props() & AV_CODEC_PROP_TEXT_SUB) != 0 && target(ofmt) != AV_CODEC_ID_NONE
                && avcodec_find_decoder(codecId) != null;
    }

    /** The container's own text subtitle codec, else the first text codec it holds that FFmpeg can write. */
    private static int target(AVOutputFormat ofmt) {
        int[] ids = {ofmt.subtitle_codec(), AV_CODEC_ID_MOV_TEXT, AV_CODEC_ID_WEBVTT, AV_CODEC_ID_ASS, AV_CODEC_ID_SUBRIP};
        for (int id : ids) {
            if (id != AV_CODEC_ID_NONE && avformat_query_codec(ofmt, id, FF_COMPLIANCE_NORMAL) == 1
                    && avcodec_find_encoder(id) != null) {
                return id;
            }
        }
        return AV_CODEC_ID_NONE;
    }

    SubtitleTranscoder(AVStream ist, AVFormatContext ofmtCtx, AVOutputFormat ofmt) {
        this.ist = ist;
        AVCodec dc = avcodec_find_decoder(ist.codecpar().codec_id());
        AVCodec ec = avcodec_find_encoder(target(ofmt));
        decoder = avcodec_alloc_context3(dc);
        encoder = avcodec_alloc_context3(ec);
        Av.check(avcodec_parameters_to_context(decoder, ist.codecpar()), ErrorCode.VIDEO_ERROR, "cannot set up the subtitle decoder");
        decoder.pkt_timebase(ist.time_base());
        Av.check(avcodec_open2(decoder, dc, (PointerPointer<?>) null), ErrorCode.VIDEO_ERROR, "cannot open the subtitle decoder");
        // Text encoders take the styles of the ASS header the text decoders write.
        if (decoder.subtitle_header() != null && decoder.subtitle_header_size() > 0) {
            int n = decoder.subtitle_header_size();
            BytePointer h = new BytePointer(av_mallocz(n + 1L)).capacity(n + 1L);
            h.put(decoder.subtitle_header().capacity(n).getStringBytes(), 0, n);
            encoder.subtitle_header(h).subtitle_header_size(n);
        }
        encoder.time_base(ist.time_base());
        if ((ofmt.flags() & AVFMT_GLOBALHEADER) != 0) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Av.check(avcodec_open2(encoder, ec, (PointerPointer<?>) null), ErrorCode.VIDEO_ERROR,
                "cannot open the " + ec.name().getString() + " subtitle encoder");
        stream = avformat_new_stream(ofmtCtx, null);
        Av.check(avcodec_parameters_from_context(stream.codecpar(), encoder), ErrorCode.VIDEO_ERROR, "cannot describe the subtitle stream");
        stream.time_base(ist.time_base());
    }

    AVStream stream() {
        return stream;
    }

    String encoderName() {
        return encoder.codec().name().getString();
    }

    /** Converts one event (timestamps in the input stream's time base, already shifted for a cut). */
    void push(AVPacket pkt, Consumer<AVPacket> sink) {
        AVSubtitle sub = new AVSubtitle();
        int[] got = {0};
        int ret = avcodec_decode_subtitle2(decoder, sub, got, pkt);
        if (ret < 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "a subtitle event at " + pkt.pts() * av_q2d(ist.time_base())
                    + " s is damaged: " + Av.error(ret));
        }
        if (got[0] == 0) {
            return;
        }
        try {
            int n = avcodec_encode_subtitle(encoder, buffer, MAX_EVENT_BYTES, sub);
            if (n < 0) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "cannot convert a subtitle event: " + Av.error(n));
            }
            if (n == 0) {
                return;
            }
            AVPacket out = av_packet_alloc();
            try {
                Av.check(av_new_packet(out, n), ErrorCode.VIDEO_ERROR, "out of memory for a subtitle");
                byte[] bytes = new byte[n];
                buffer.position(0).get(bytes, 0, n);
                out.data().put(bytes, 0, n);
                out.pts(pkt.pts()).dts(pkt.pts()).duration(pkt.duration());
                av_packet_rescale_ts(out, ist.time_base(), stream.time_base());
                out.stream_index(stream.index());
                sink.accept(out);
            } finally {
                av_packet_free(out);
            }
        } finally {
            avsubtitle_free(sub);
        }
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        buffer.close();
    }
}
