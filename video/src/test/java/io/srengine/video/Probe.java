package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What a video file holds, read back with FFmpeg's demuxers and decoders directly (not through the
 * classes under test): streams, codecs, frame rate, every video frame's timestamp, audio duration.
 */
public final class Probe {
    /** One stream of the file. */
    public record Stream(int index, String type, String codec, String language) {}

    public final List<Stream> streams = new ArrayList<>();
    public final List<Double> framePts = new ArrayList<>();
    public String videoCodec;
    public String pixFmt;
    public int width;
    public int height;
    public int rateNum;
    public int rateDen;
    public int colorspace;
    public int primaries;
    public int trc;
    public int range;
    public double rotation;
    public double audioSeconds;
    public String audioCodec;
    public int audioRate;

    private Probe() {}

    /** Reads everything; {@code onFrame} (may be null) sees each decoded video frame, which it must not keep. */
    public static Probe read(Path path, BiConsumer<Integer, AVFrame> onFrame) {
        Av.load();
        Probe p = new Probe();
        AVFormatContext fmt = new AVFormatContext(null);
        TestClips.check(avformat_open_input(fmt, path.toString(), null, null), "open " + path);
        TestClips.check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "stream info");
        int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
        int ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
        for (int i = 0; i < fmt.nb_streams(); i++) {
            AVStream s = fmt.streams(i);
            org.bytedeco.ffmpeg.avutil.AVDictionaryEntry lang = av_dict_get(s.metadata(), "language", null, 0);
            p.streams.add(new Stream(i, av_get_media_type_string(s.codecpar().codec_type()).getString(),
                    avcodec_get_name(s.codecpar().codec_id()).getString(), lang == null ? null : lang.value().getString()));
        }
        AVStream vs = fmt.streams(vi);
        p.videoCodec = avcodec_get_name(vs.codecpar().codec_id()).getString();
        p.rateNum = vs.avg_frame_rate().num();
        p.rateDen = vs.avg_frame_rate().den();
        AVPacketSideData sd = av_packet_side_data_get(vs.codecpar().coded_side_data(), vs.codecpar().nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        p.rotation = sd == null ? 0 : av_display_rotation_get(new IntPointer(sd.data()));
        AVCodecContext vdec = open(vs);
        AVCodecContext adec = ai >= 0 ? open(fmt.streams(ai)) : null;
        if (ai >= 0) {
            p.audioCodec = avcodec_get_name(fmt.streams(ai).codecpar().codec_id()).getString();
            p.audioRate = fmt.streams(ai).codecpar().sample_rate();
        }
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        long[] samples = {0};
        while (av_read_frame(fmt, pkt) >= 0) {
            if (pkt.stream_index() == vi) {
                p.decode(vdec, pkt, frame, vs, onFrame);
            } else if (pkt.stream_index() == ai) {
                p.decodeAudio(adec, pkt, frame, samples);
            }
            av_packet_unref(pkt);
        }
        p.decode(vdec, null, frame, vs, onFrame);
        if (adec != null) {
            p.decodeAudio(adec, null, frame, samples);
            p.audioSeconds = samples[0] / (double) adec.sample_rate();
            avcodec_free_context(adec);
        }
        avcodec_free_context(vdec);
        av_frame_free(frame);
        av_packet_free(pkt);
        avformat_close_input(fmt);
        return p;
    }

    private static AVCodecContext open(AVStream s) {
        AVCodecContext c = avcodec_alloc_context3(avcodec_find_decoder(s.codecpar().codec_id()));
        avcodec_parameters_to_context(c, s.codecpar());
        c.pkt_timebase(s.time_base());
        TestClips.check(avcodec_open2(c, c.codec(), (PointerPointer<?>) null), "open decoder");
        return c;
    }

    private void decode(AVCodecContext dec, AVPacket pkt, AVFrame frame, AVStream vs, BiConsumer<Integer, AVFrame> onFrame) {
        TestClips.check(avcodec_send_packet(dec, pkt), "send video packet");
        while (avcodec_receive_frame(dec, frame) >= 0) {
            if (framePts.isEmpty()) {
                pixFmt = av_get_pix_fmt_name(frame.format()).getString();
                width = frame.width();
                height = frame.height();
                colorspace = frame.colorspace();
                primaries = frame.color_primaries();
                trc = frame.color_trc();
                range = frame.color_range();
            }
            framePts.add(frame.best_effort_timestamp() * av_q2d(vs.time_base()));
            if (onFrame != null) {
                onFrame.accept(framePts.size() - 1, frame);
            }
            av_frame_unref(frame);
        }
    }

    private void decodeAudio(AVCodecContext dec, AVPacket pkt, AVFrame frame, long[] samples) {
        avcodec_send_packet(dec, pkt);
        while (avcodec_receive_frame(dec, frame) >= 0) {
            samples[0] += frame.nb_samples();
            av_frame_unref(frame);
        }
    }

    /** The text of every event of the first subtitle stream, decoded by FFmpeg (ASS markup stripped to the text field). */
    public static List<String> subtitleTexts(Path path) {
        Av.load();
        AVFormatContext fmt = new AVFormatContext(null);
        TestClips.check(avformat_open_input(fmt, path.toString(), null, null), "open " + path);
        TestClips.check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "stream info");
        int si = av_find_best_stream(fmt, AVMEDIA_TYPE_SUBTITLE, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
        List<String> texts = new ArrayList<>();
        AVCodecContext dec = open(fmt.streams(si));
        AVPacket pkt = av_packet_alloc();
        while (av_read_frame(fmt, pkt) >= 0) {
            if (pkt.stream_index() == si) {
                org.bytedeco.ffmpeg.avcodec.AVSubtitle sub = new org.bytedeco.ffmpeg.avcodec.AVSubtitle();
                int[] got = {0};
                TestClips.check(avcodec_decode_subtitle2(dec, sub, got, pkt), "decode subtitle");
                for (int i = 0; got[0] != 0 && i < sub.num_rects(); i++) {
                    String ass = sub.rects(i).ass().getString();
                    texts.add(ass.substring(ass.lastIndexOf(',') + 1));
                }
                avsubtitle_free(sub);
            }
            av_packet_unref(pkt);
        }
        av_packet_free(pkt);
        avcodec_free_context(dec);
        avformat_close_input(fmt);
        return texts;
    }

    public int frames() {
        return framePts.size();
    }

    public double rate() {
        return rateNum / (double) rateDen;
    }
}
