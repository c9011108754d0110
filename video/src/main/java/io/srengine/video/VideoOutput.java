package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The output file: the upscaled video encoded into stream 0, the input's audio and subtitle streams
 * after it (copied, or re-encoded where the container cannot hold them), written to a temporary file
 * beside the output and moved into place by {@link #finish()}. Until then, and after any failure,
 * nothing exists under the output's name. Not thread-safe; close it.
 */
final class VideoOutput implements AutoCloseable {
    /** What the encoder is asked for. */
    record Settings(VideoCodec codec, Integer crf, String preset, int threads) {}

    private final Path output;
    private final Path temp;
    private final VideoInput in;
    private final AVFormatContext fmt;
    private final AVCodecContext encoder;
    private final AVStream videoStream;
    private final String encoderName;
    private final FramePlanes.Layout layout;
    private final Colorimetry colour;
    private final int[] outIndex;
    private final AudioTranscoder[] transcoders;
    private final SubtitleTranscoder[] subtitles;
    private final long startMicros;
    private final long endMicros;
    private final List<String> notes;
    private final AVPacket packet = av_packet_alloc();
    private long lastPts = Long.MIN_VALUE;
    private long frames;
    private boolean headerWritten;
    private boolean finished;

    /**
     * Sets up the container and encoder; writes nothing yet.
     *
     * @param width height the upscaled frame size
     * @param inputLayout the decoded frames' layout (its depth and subsampling are kept where the encoder allows)
     * @param colour how the output's samples relate to R'G'B' (the input's, tagged explicitly)
     * @param startMicros endMicros the part of the input written (packets outside are dropped); endMicros may be Long.MAX_VALUE
     * @param notes receives one line for each stream that is re-encoded or left out
     */
    VideoOutput(Path output, VideoInput in, int width, int height, FramePlanes.Layout inputLayout, Colorimetry colour,
            Settings settings, long startMicros, long endMicros, List<String> notes) {
        this.output = output;
        this.in = in;
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.notes = notes;
        String ext = extension(output);
        AVOutputFormat ofmt = av_guess_format(null, "x." + ext, null);
        if (ofmt == null || ext.isEmpty()) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "cannot tell a video container from the name " + output
                    + " (use .mp4, .mkv, .mov, .webm or .avi)");
        }
        VideoCodec codec = settings.codec() != null ? settings.codec() : VideoCodec.defaultFor(ext);
        if (avformat_query_codec(ofmt, codec.codecId, FF_COMPLIANCE_NORMAL) != 1) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a ." + ext + " file cannot hold " + codec.cliName()
                    + " video; choose another --codec or container");
        }
        this.temp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + "." + ProcessHandle.current().pid()
                + ".part");
        AVFormatContext f = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(f, ofmt, (String) null, temp.toString()), ErrorCode.VIDEO_ERROR,
                "cannot set up a ." + ext + " container");
        this.fmt = f;
        int nIn = in.fmt.nb_streams();
        this.outIndex = new int[nIn];
        this.transcoders = new AudioTranscoder[nIn];
        this.subtitles = new SubtitleTranscoder[nIn];
        java.util.Arrays.fill(outIndex, -1);
        AVCodecContext enc = null;
        try {
            AVCodec found = null;
            List<String> tried = new ArrayList<>();
            FramePlanes.Layout chosen = null;
            for (String name : codec.encoders) {
                AVCodec c = avcodec_find_encoder_by_name(name);
                if (c == null) {
                    tried.add(name + " (not in this FFmpeg build)");
                    continue;
                }
                FramePlanes.Layout l = PixelFormats.choose(c, inputLayout, width, height, codec);
                if (l == null) {
                    tried.add(name + " (takes no pixel format srengine writes for a " + width + "x" + height + " frame)");
                    continue;
                }
                AVCodecContext ctx = newEncoder(c, width, height, l, outputColour(colour, l), settings, ofmt);
                AVDictionary opts = new AVDictionary(null);
                for (Map.Entry<String, String> e : EncoderSettings.options(name, settings.crf(), settings.preset(),
                        settings.threads()).entrySet()) {
                    av_dict_set(opts, e.getKey(), e.getValue(), 0);
                }
                int ret = avcodec_open2(ctx, c, opts);
                av_dict_free(opts);
                if (ret < 0) {
                    tried.add(name + " (" + Av.error(ret) + ")");
                    avcodec_free_context(ctx);
                    continue;
                }
                enc = ctx;
                found = c;
                chosen = l;
                break;
            }
            if (enc == null) {
                throw new SrException(ErrorCode.VIDEO_ERROR, "no encoder for " + codec.cliName() + " works here: "
                        + String.join(", ", tried) + (codec == VideoCodec.H265 ? "; H.265 needs the GPL FFmpeg build"
                        + " (libx265) or an NVIDIA GPU, see docs/video.md" : ""));
            }
            this.encoder = enc;
            this.encoderName = found.name().getString();
            this.layout = chosen;
            this.colour = outputColour(colour, chosen);
            if (chosen.bits() < inputLayout.bits()) {
                notes.add(inputLayout.bits() + "-bit video written with " + chosen.bits() + " bits: " + encoderName
                        + " in this FFmpeg build takes no deeper samples");
            }
            if (chosen.log2ChromaW() + chosen.log2ChromaH() > inputLayout.log2ChromaW() + inputLayout.log2ChromaH()
                    && !inputLayout.gray()) {
                notes.add("chroma subsampled to " + FramePlanes.name(chosen.pixFmt()) + ": " + encoderName
                        + " takes nothing closer to the input's " + FramePlanes.name(inputLayout.pixFmt()));
            }
            AVStream vs = avformat_new_stream(fmt, null);
            Av.check(avcodec_parameters_from_context(vs.codecpar(), enc), ErrorCode.VIDEO_ERROR, "cannot describe the video stream");
            vs.time_base(enc.time_base());
            vs.avg_frame_rate(in.frameRate);
            vs.r_frame_rate(in.frameRate);
            vs.sample_aspect_ratio(in.stream.sample_aspect_ratio());
            copyDisplayMatrix(in.stream.codecpar(), vs.codecpar());
            copyMetadata(in.stream.metadata(), vs);
            vs.disposition(in.stream.disposition());
            this.videoStream = vs;
            mapOtherStreams(ofmt, ext);
            AVDictionary md = new AVDictionary(null);
            av_dict_copy(md, in.fmt.metadata(), 0);
            fmt.metadata(md);
        } catch (RuntimeException e) {
            if (enc != null) {
                avcodec_free_context(enc);
            }
            freeTranscoders();
            avformat_free_context(fmt);
            av_packet_free(packet);
            throw e;
        }
    }

    /** The input's colorimetry, unless the output stores planes of another kind (RGB in, Y'CbCr out, or the reverse). */
    static Colorimetry outputColour(Colorimetry input, FramePlanes.Layout out) {
        if (out.rgb()) {
            return new Colorimetry(ColorMatrix.IDENTITY, true, 0, 0.5);
        }
        if (input.matrix() == ColorMatrix.IDENTITY) {
            return new Colorimetry(ColorMatrix.BT709, false, 0, 0.5);
        }
        return input;
    }

    private AVCodecContext newEncoder(AVCodec c, int width, int height, FramePlanes.Layout l, Colorimetry colour, Settings s,
            AVOutputFormat ofmt) {
        AVCodecContext ctx = avcodec_alloc_context3(c);
        ctx.width(width).height(height).pix_fmt(l.pixFmt());
        ctx.time_base(encoderTimeBase(ofmt));
        ctx.framerate(in.frameRate);
        AVRational sar = in.stream.codecpar().sample_aspect_ratio();
        if (Av.valid(sar)) {
            ctx.sample_aspect_ratio(sar);
        }
        AVCodecParameters ip = in.stream.codecpar();
        ctx.color_primaries(ip.color_primaries());
        ctx.color_trc(ip.color_trc());
        ctx.colorspace(colour.matrix().avColorspace());
        ctx.color_range(colour.avRange());
        if (l.log2ChromaW() + l.log2ChromaH() > 0) {
            ctx.chroma_sample_location(colour.avChromaLocation());
        }
        if ((ofmt.flags() & AVFMT_GLOBALHEADER) != 0) {
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if (s.threads() > 0) {
            ctx.thread_count(s.threads());
        }
        return ctx;
    }

    /**
     * The input stream's own time base, so every timestamp survives exactly (variable frame rates
     * included); AVI counts frames, so there it is one frame.
     */
    private AVRational encoderTimeBase(AVOutputFormat ofmt) {
        if ("avi".equals(ofmt.name().getString())) {
            return av_inv_q(in.frameRate);
        }
        return in.timeBase;
    }

    private void mapOtherStreams(AVOutputFormat ofmt, String ext) {
        for (int i = 0; i < outIndex.length; i++) {
            if (i == in.videoIndex) {
                continue;
            }
            AVStream ist = in.fmt.streams(i);
            AVCodecParameters par = ist.codecpar();
            int type = par.codec_type();
            String what = "stream " + i + " (" + av_get_media_type_string(type).getString() + ", "
                    + avcodec_get_name(par.codec_id()).getString() + ")";
            if (type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE) {
                notes.add(what + " left out: only the main video, audio and subtitles are carried over");
                continue;
            }
            int fits = avformat_query_codec(ofmt, par.codec_id(), FF_COMPLIANCE_NORMAL);
            if (fits == 1 || fits < 0 && !"avi".equals(ext)) {
                AVStream os = avformat_new_stream(fmt, null);
                Av.check(avcodec_parameters_copy(os.codecpar(), par), ErrorCode.VIDEO_ERROR, "cannot copy " + what);
                os.codecpar().codec_tag(0);
                os.time_base(ist.time_base());
                copyMetadata(ist.metadata(), os);
                os.disposition(ist.disposition());
                outIndex[i] = os.index();
                continue;
            }
            if (type == AVMEDIA_TYPE_AUDIO) {
                AudioTranscoder t = new AudioTranscoder(ist, fmt, ofmt, in.path);
                transcoders[i] = t;
                outIndex[i] = t.stream().index();
                copyMetadata(ist.metadata(), t.stream());
                t.stream().disposition(ist.disposition());
                notes.add(what + " re-encoded to " + t.encoderName() + ": a ." + ext + " file cannot hold "
                        + avcodec_get_name(par.codec_id()).getString() + " audio");
            } else if (SubtitleTranscoder.canConvert(par.codec_id(), ofmt)) {
                SubtitleTranscoder t = new SubtitleTranscoder(ist, fmt, ofmt);
                subtitles[i] = t;
                outIndex[i] = t.stream().index();
                copyMetadata(ist.metadata(), t.stream());
                t.stream().disposition(ist.disposition());
                notes.add(what + " converted to " + t.encoderName() + ": a ." + ext + " file cannot hold "
                        + avcodec_get_name(par.codec_id()).getString() + " subtitles");
            } else {
                notes.add(what + " left out: a ." + ext + " file cannot hold " + avcodec_get_name(par.codec_id()).getString()
                        + " subtitles");
            }
        }
    }

    private static void copyMetadata(AVDictionary from, AVStream to) {
        AVDictionary md = new AVDictionary(null);
        av_dict_copy(md, from, 0);
        to.metadata(md);
    }

    /** Rotation and flips live in the stream's display matrix; the frames themselves are not turned. */
    private static void copyDisplayMatrix(AVCodecParameters from, AVCodecParameters to) {
        AVPacketSideData sd = av_packet_side_data_get(from.coded_side_data(), from.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.size() <= 0) {
            return;
        }
        Pointer copy = av_memdup(sd.data(), sd.size());
        AVPacketSideData array = to.coded_side_data() != null ? to.coded_side_data() : new AVPacketSideData((Pointer) null);
        try (IntPointer nb = new IntPointer(1)) {
            nb.put(to.nb_coded_side_data());
            if (av_packet_side_data_add(array, nb, AV_PKT_DATA_DISPLAYMATRIX, copy, sd.size(), 0) == null) {
                av_free(copy);
                throw new SrException(ErrorCode.VIDEO_ERROR, "out of memory copying the display matrix");
            }
            to.coded_side_data(array);
            to.nb_coded_side_data(nb.get());
        }
    }

    /** Which input streams' packets {@link #writePacket} wants. */
    boolean[] copiedStreams() {
        boolean[] c = new boolean[outIndex.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = outIndex[i] >= 0;
        }
        return c;
    }

    /** The pixel format frames must be given in. */
    FramePlanes.Layout layout() {
        return layout;
    }

    Colorimetry colour() {
        return colour;
    }

    String encoderName() {
        return encoderName;
    }

    private void open() {
        if (headerWritten) {
            return;
        }
        if ((fmt.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext pb = new AVIOContext(null);
            Av.check(avio_open(pb, temp.toString(), AVIO_FLAG_WRITE), ErrorCode.IO_ERROR, "cannot write beside " + output);
            fmt.pb(pb);
        }
        AVDictionary opts = new AVDictionary(null);
        String name = fmt.oformat().name().getString();
        if (name.contains("mp4") || name.contains("mov")) {
            av_dict_set(opts, "movflags", "+faststart", 0); // playable while still downloading
        }
        int ret = avformat_write_header(fmt, opts);
        av_dict_free(opts);
        Av.check(ret, ErrorCode.VIDEO_ERROR, "cannot start writing " + output);
        headerWritten = true;
    }

    /**
     * Encodes one frame (in {@link #layout()}, owned by the caller) shown at {@code pts} in the input
     * stream's time base.
     */
    void writeFrame(AVFrame frame, long pts) {
        open();
        long p = av_rescale_q(pts - startPts(in.videoIndex), in.timeBase, encoder.time_base());
        if (p <= lastPts) {
            p = lastPts + 1; // a repeated or backwards timestamp in the input; encoders need them increasing
        }
        lastPts = p;
        frame.pts(p);
        frame.color_primaries(encoder.color_primaries()).color_trc(encoder.color_trc()).colorspace(encoder.colorspace())
                .color_range(encoder.color_range()).chroma_location(encoder.chroma_sample_location());
        frame.sample_aspect_ratio(encoder.sample_aspect_ratio());
        encode(frame);
        frames++;
    }

    private void encode(AVFrame frame) {
        int ret = avcodec_send_frame(encoder, frame);
        if (ret < 0 && ret != AVERROR_EOF()) {
            throw new SrException(ErrorCode.VIDEO_ERROR, encoderName + " failed at output frame " + (frames + 1) + ": "
                    + Av.error(ret));
        }
        while (true) {
            ret = avcodec_receive_packet(encoder, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Av.check(ret, ErrorCode.VIDEO_ERROR, encoderName + " failed at output frame " + (frames + 1));
            av_packet_rescale_ts(packet, encoder.time_base(), videoStream.time_base());
            packet.stream_index(videoStream.index());
            mux(packet);
        }
    }

    /** Copies (or re-encodes) a packet of input stream {@code stream}; packets outside the cut are dropped. */
    void writePacket(AVPacket pkt, int stream) {
        open();
        AVStream ist = in.fmt.streams(stream);
        long ts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
        if (ts != AV_NOPTS_VALUE) {
            // Only a cut drops packets: a codec's priming packets may sit at negative times.
            long us = av_rescale_q(ts, ist.time_base(), av_make_q(1, 1_000_000));
            if (startMicros > 0 && us < startMicros || endMicros != Long.MAX_VALUE && us >= endMicros) {
                return;
            }
        }
        long shift = startPts(stream);
        if (pkt.pts() != AV_NOPTS_VALUE) {
            pkt.pts(pkt.pts() - shift);
        }
        if (pkt.dts() != AV_NOPTS_VALUE) {
            pkt.dts(pkt.dts() - shift);
        }
        if (transcoders[stream] != null) {
            transcoders[stream].push(pkt, this::mux);
            return;
        }
        if (subtitles[stream] != null) {
            subtitles[stream].push(pkt, this::mux);
            return;
        }
        AVStream os = fmt.streams(outIndex[stream]);
        av_packet_rescale_ts(pkt, ist.time_base(), os.time_base());
        pkt.stream_index(os.index());
        pkt.pos(-1);
        mux(pkt);
    }

    /** The start of the cut in stream {@code i}'s time base. */
    private long startPts(int i) {
        return startMicros <= 0 ? 0 : av_rescale_q(startMicros, av_make_q(1, 1_000_000), in.fmt.streams(i).time_base());
    }

    private void mux(AVPacket pkt) {
        int ret = av_interleaved_write_frame(fmt, pkt);
        if (ret < 0) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + " at output frame " + frames + ": " + Av.error(ret));
        }
    }

    /** Frames encoded so far. */
    long frames() {
        return frames;
    }

    /**
     * Drains the encoders, writes the trailer and moves the file into place.
     *
     * @throws SrException {@code VIDEO_ERROR} when no frame was written, {@code IO_ERROR} when the file cannot be moved
     */
    void finish() {
        if (frames == 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "no video frames to write" + (startMicros > 0
                    ? ": the input has none after " + startMicros / 1e6 + " s" : ""));
        }
        encode(null);
        for (AudioTranscoder t : transcoders) {
            if (t != null) {
                t.flush(this::mux);
            }
        }
        Av.check(av_write_trailer(fmt), ErrorCode.IO_ERROR, "cannot finish writing " + output);
        closeFile();
        try {
            try {
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + e, e);
        }
        finished = true;
    }

    private void closeFile() {
        if (fmt.pb() != null) {
            AVIOContext pb = fmt.pb();
            avio_closep(pb);
            fmt.pb(null);
        }
    }

    /** Frees everything; without a successful {@link #finish()}, deletes the temporary file. Idempotent. */
    @Override
    public void close() {
        if (fmt.isNull()) {
            return;
        }
        closeFile();
        avcodec_free_context(encoder);
        freeTranscoders();
        avformat_free_context(fmt);
        fmt.setNull();
        av_packet_free(packet);
        if (!finished) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Nothing more can be done; the name starts with a dot and ends in .part.
            }
        }
    }

    private void freeTranscoders() {
        for (int i = 0; i < transcoders.length; i++) {
            if (transcoders[i] != null) {
                transcoders[i].close();
                transcoders[i] = null;
            }
            if (subtitles[i] != null) {
                subtitles[i].close();
                subtitles[i] = null;
            }
        }
    }

    /** The temporary file written until {@link #finish()}. */
    Path temp() {
        return temp;
    }

    static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

}
