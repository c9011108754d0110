package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes small test clips with FFmpeg's own encoders and muxers: a moving pattern of smooth
 * gradients and soft-edged shapes (something a super-resolution model and a codec both treat the way
 * they treat real video), optional audio (a tone), optional subtitles, chosen colour tags and rotation.
 */
public final class TestClips {
    private TestClips() {}

    /** What to write; build with {@link #clip} and the wither methods. */
    public record Spec(int width, int height, int frames, AVRational rate, String pixFmt, String encoder,
            String audioEncoder, int sampleRate, int channels, long[] pts, AVRational timeBase, int colorspace,
            int primaries, int trc, int range, double rotation, boolean subtitles) {
        public Spec audio(String enc, int rate, int ch) {
            return new Spec(width, height, frames, this.rate, pixFmt, encoder, enc, rate, ch, pts, timeBase, colorspace,
                    primaries, trc, range, rotation, subtitles);
        }

        public Spec format(String pix, String enc) {
            return new Spec(width, height, frames, rate, pix, enc, audioEncoder, sampleRate, channels, pts, timeBase,
                    colorspace, primaries, trc, range, rotation, subtitles);
        }

        /** Frames at these timestamps (in {@code tb}) instead of one per frame period. */
        public Spec timestamps(long[] p, AVRational tb) {
            return new Spec(width, height, p.length, rate, pixFmt, encoder, audioEncoder, sampleRate, channels, p, tb,
                    colorspace, primaries, trc, range, rotation, subtitles);
        }

        public Spec colour(int spc, int prim, int transfer, int rng) {
            return new Spec(width, height, frames, rate, pixFmt, encoder, audioEncoder, sampleRate, channels, pts, timeBase,
                    spc, prim, transfer, rng, rotation, subtitles);
        }

        public Spec rotated(double degrees) {
            return new Spec(width, height, frames, rate, pixFmt, encoder, audioEncoder, sampleRate, channels, pts, timeBase,
                    colorspace, primaries, trc, range, degrees, subtitles);
        }

        public Spec withSubtitles() {
            return new Spec(width, height, frames, rate, pixFmt, encoder, audioEncoder, sampleRate, channels, pts, timeBase,
                    colorspace, primaries, trc, range, rotation, true);
        }

        public double seconds() {
            return frames * (double) rate.den() / rate.num();
        }
    }

    /** {@code frames} frames of {@code w x h} 8-bit 4:2:0 at {@code num/den} fps, encoded with OpenH264; no audio. */
    public static Spec clip(int w, int h, int frames, int num, int den) {
        return new Spec(w, h, frames, av_make_q(num, den), "yuv420p", "libopenh264", null, 0, 0, null, null,
                AVCOL_SPC_BT709, AVCOL_PRI_BT709, AVCOL_TRC_BT709, AVCOL_RANGE_MPEG, 0, false);
    }

    /** Writes {@code spec} to {@code path}, whose extension picks the container. */
    public static Path write(Path path, Spec spec) {
        Av.load();
        AVFormatContext fmt = new AVFormatContext(null);
        check(avformat_alloc_output_context2(fmt, null, null, path.toString()), "output context");
        AVCodec vc = avcodec_find_encoder_by_name(spec.encoder());
        AVCodecContext venc = avcodec_alloc_context3(vc);
        int pix = av_get_pix_fmt(spec.pixFmt());
        AVRational tb = spec.timeBase() != null ? spec.timeBase() : av_inv_q(spec.rate());
        venc.width(spec.width()).height(spec.height()).pix_fmt(pix).time_base(tb).framerate(spec.rate());
        venc.colorspace(spec.colorspace()).color_primaries(spec.primaries()).color_trc(spec.trc()).color_range(spec.range());
        venc.gop_size(12);
        if ((fmt.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            venc.flags(venc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        AVDictionary opts = new AVDictionary(null);
        if (spec.encoder().equals("libopenh264")) {
            av_dict_set(opts, "b", "2000000", 0);
        }
        check(avcodec_open2(venc, vc, opts), "open " + spec.encoder());
        av_dict_free(opts);
        AVStream vs = avformat_new_stream(fmt, null);
        check(avcodec_parameters_from_context(vs.codecpar(), venc), "video params");
        vs.time_base(tb);
        vs.avg_frame_rate(spec.rate());
        if (spec.rotation() != 0) {
            IntPointer matrix = new IntPointer(av_malloc(9 * 4)).capacity(9);
            av_display_rotation_set(matrix, spec.rotation());
            org.bytedeco.ffmpeg.avcodec.AVPacketSideData sd = new org.bytedeco.ffmpeg.avcodec.AVPacketSideData((Pointer) null);
            IntPointer nb = new IntPointer(1).put(0);
            av_packet_side_data_add(sd, nb, AV_PKT_DATA_DISPLAYMATRIX, matrix, 36, 0);
            vs.codecpar().coded_side_data(sd).nb_coded_side_data(nb.get());
        }
        AVCodecContext aenc = null;
        AVStream as = null;
        if (spec.audioEncoder() != null) {
            AVCodec ac = avcodec_find_encoder_by_name(spec.audioEncoder());
            aenc = avcodec_alloc_context3(ac);
            IntPointer fmts = supportedSampleFormats(ac);
            aenc.sample_fmt(fmts != null ? fmts.get(0) : AV_SAMPLE_FMT_S16);
            aenc.sample_rate(spec.sampleRate());
            av_channel_layout_default(aenc.ch_layout(), spec.channels());
            aenc.time_base(av_make_q(1, spec.sampleRate()));
            if ((fmt.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                aenc.flags(aenc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            check(avcodec_open2(aenc, ac, (PointerPointer<?>) null), "open " + spec.audioEncoder());
            as = avformat_new_stream(fmt, null);
            check(avcodec_parameters_from_context(as.codecpar(), aenc), "audio params");
            as.time_base(aenc.time_base());
        }
        AVStream ss = null;
        if (spec.subtitles()) {
            ss = avformat_new_stream(fmt, null);
            ss.codecpar().codec_type(AVMEDIA_TYPE_SUBTITLE).codec_id(AV_CODEC_ID_SUBRIP);
            ss.time_base(av_make_q(1, 1000));
        }
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, path.toString(), AVIO_FLAG_WRITE), "open file");
        fmt.pb(pb);
        check(avformat_write_header(fmt, (PointerPointer<?>) null), "header");
        AVPacket pkt = av_packet_alloc();
        for (int i = 0; i < spec.frames(); i++) {
            AVFrame f = VideoFrames.allocate(spec.width(), spec.height(), pix);
            FramePlanes.write(pattern(spec, i, FramePlanes.require(pix)), f, FramePlanes.require(pix));
            f.pts(spec.pts() != null ? spec.pts()[i] : i);
            encode(fmt, venc, vs, f, pkt);
            av_frame_free(f);
        }
        encode(fmt, venc, vs, null, pkt);
        if (aenc != null) {
            writeTone(fmt, aenc, as, spec.seconds(), pkt);
        }
        if (ss != null) {
            writeSubtitle(fmt, ss, "hello", 0, 500, pkt);
        }
        check(av_write_trailer(fmt), "trailer");
        avio_closep(fmt.pb());
        avcodec_free_context(venc);
        if (aenc != null) {
            avcodec_free_context(aenc);
        }
        av_packet_free(pkt);
        avformat_free_context(fmt);
        return path;
    }

    private static IntPointer supportedSampleFormats(AVCodec c) {
        PointerPointer<?> p = new PointerPointer<>(1);
        IntPointer n = new IntPointer(1);
        if (avcodec_get_supported_config(null, c, AV_CODEC_CONFIG_SAMPLE_FORMAT, 0, p, n) < 0 || p.get(0) == null) {
            return null;
        }
        return new IntPointer(p.get(0));
    }

    /** A pattern frame: gradients and a soft disc that moves, chroma that varies slowly. */
    static YuvPlanes pattern(Spec s, int i, FramePlanes.Layout l) {
        YuvPlanes p = YuvPlanes.allocate(s.width(), s.height(), l.bits(), l.log2ChromaW(), l.log2ChromaH(), l.gray());
        int unit = 1 << (l.bits() - 8);
        double cx = s.width() * (0.3 + 0.4 * ((i * 7) % 20) / 20.0);
        double cy = s.height() * 0.5;
        double r = Math.min(s.width(), s.height()) * 0.25;
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                double d = Math.hypot(x - cx, y - cy);
                double disc = 1 / (1 + Math.exp((d - r) / 1.5));
                double v = 0.25 + 0.3 * x / s.width() + 0.2 * Math.sin(y * 0.3 + i * 0.2) * 0.5 + 0.35 * disc;
                p.y()[y * s.width() + x] = (int) Math.round((16 + 219 * Math.clamp(v, 0, 1)) * unit);
            }
        }
        if (!l.gray()) {
            int cw = p.chromaWidth();
            for (int y = 0; y < p.chromaHeight(); y++) {
                for (int x = 0; x < cw; x++) {
                    double u = 0.5 + 0.2 * Math.sin(x * 0.15 + i * 0.1);
                    double v = 0.5 + 0.2 * Math.cos(y * 0.2 - i * 0.1);
                    p.cb()[y * cw + x] = (int) Math.round((16 + 224 * u) * unit);
                    p.cr()[y * cw + x] = (int) Math.round((16 + 224 * v) * unit);
                }
            }
        }
        return p;
    }

    private static void encode(AVFormatContext fmt, AVCodecContext enc, AVStream st, AVFrame f, AVPacket pkt) {
        check(avcodec_send_frame(enc, f), "send frame");
        while (true) {
            int ret = avcodec_receive_packet(enc, pkt);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            check(ret, "receive packet");
            av_packet_rescale_ts(pkt, enc.time_base(), st.time_base());
            pkt.stream_index(st.index());
            check(av_interleaved_write_frame(fmt, pkt), "write");
        }
    }

    /** A 440 Hz tone of {@code seconds}, in frames of the encoder's size. */
    private static void writeTone(AVFormatContext fmt, AVCodecContext enc, AVStream st, double seconds, AVPacket pkt) {
        int rate = enc.sample_rate();
        long total = Math.round(seconds * rate);
        int size = enc.frame_size() > 0 ? enc.frame_size() : 1024;
        int channels = enc.ch_layout().nb_channels();
        for (long start = 0; start < total; start += size) {
            int n = (int) Math.min(size, total - start);
            AVFrame f = av_frame_alloc();
            f.nb_samples(n).format(enc.sample_fmt()).sample_rate(rate);
            av_channel_layout_copy(f.ch_layout(), enc.ch_layout());
            check(av_frame_get_buffer(f, 0), "audio buffer");
            boolean planar = av_sample_fmt_is_planar(enc.sample_fmt()) != 0;
            int fmtId = av_get_packed_sample_fmt(enc.sample_fmt());
            for (int c = 0; c < channels; c++) {
                BytePointer data = f.data(planar ? c : 0);
                for (int k = 0; k < n; k++) {
                    double v = 0.3 * Math.sin(2 * Math.PI * 440 * (start + k) / rate);
                    int idx = planar ? k : k * channels + c;
                    if (fmtId == AV_SAMPLE_FMT_FLT) {
                        new org.bytedeco.javacpp.FloatPointer(data).put(idx, (float) v);
                    } else {
                        new org.bytedeco.javacpp.ShortPointer(data).put(idx, (short) Math.round(v * 32767));
                    }
                }
            }
            f.pts(start);
            encode(fmt, enc, st, f, pkt);
            av_frame_free(f);
        }
        encode(fmt, enc, st, null, pkt);
    }

    private static void writeSubtitle(AVFormatContext fmt, AVStream st, String text, long startMs, long durMs, AVPacket pkt) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        check(av_new_packet(pkt, b.length), "subtitle packet");
        pkt.data().put(b);
        pkt.pts(av_rescale_q(startMs, av_make_q(1, 1000), st.time_base()));
        pkt.dts(pkt.pts());
        pkt.duration(av_rescale_q(durMs, av_make_q(1, 1000), st.time_base()));
        pkt.stream_index(st.index());
        check(av_interleaved_write_frame(fmt, pkt), "write subtitle");
    }

    static void check(int ret, String what) {
        if (ret < 0) {
            throw new IllegalStateException(what + ": " + Av.error(ret));
        }
    }
}
