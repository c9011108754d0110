package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.upscale.CancellationToken;
import io.srengine.upscale.Upscaler;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Upscales video files frame by frame with an {@link Upscaler}: the same models, backends and tiling
 * as images.
 *
 * <pre>{@code
 * try (Upscaler up = Upscaler.builder(BundledModels.get("espcn-x2").load()).build();
 *      VideoUpscaler video = VideoUpscaler.builder(up).codec(VideoCodec.H264).build()) {
 *     video.upscale(Path.of("clip.mp4"), Path.of("clip-x2.mp4"), null);
 * }
 * }</pre>
 *
 * <p><b>Streaming.</b> Three threads overlap: one demuxes and decodes and converts each frame to
 * R'G'B' floats, one runs the model, and the caller's thread converts back to Y'CbCr, encodes and
 * writes. Bounded queues ({@link Builder#queueFrames}) sit between them, so memory does not grow with
 * the video's length.
 *
 * <p><b>What is kept.</b> Every frame, in order, with its own timestamp (so variable frame rates
 * survive, and 29.97 fps stays 30000/1001); the stream's frame rate, sample aspect ratio, rotation
 * (display matrix), colour primaries, transfer, matrix, range and chroma siting; the bit depth and
 * chroma subsampling where the encoder takes them. Audio and subtitle streams are copied as they are
 * when the container can hold them; audio it cannot hold is re-encoded and subtitles it cannot hold
 * are left out, each with a note in the {@link VideoResult}. AVI stores one frame rate only: variable
 * timing is rounded to its frame grid there.
 *
 * <p><b>Failure.</b> The output is written to a temporary file beside it and moved into place at the
 * end; on any failure, cancellation included, nothing appears under the output's name. A damaged
 * input fails with {@link ErrorCode#VIDEO_ERROR} naming the frame where decoding broke.
 *
 * <p>Thread-safe in the sense that {@link #upscale} may be called from several threads, but the
 * upscaler's session serialises their model runs.
 */
public final class VideoUpscaler implements AutoCloseable {
    /** Frames each queue between the threads holds by default. */
    public static final int DEFAULT_QUEUE_FRAMES = 3;

    private final Upscaler upscaler;
    private final boolean ownsUpscaler;
    private final VideoOutput.Settings settings;
    private final long startMicros;
    private final long durationMicros;
    private final int queueFrames;
    private final int decoderThreads;
    private final VideoProgressListener listener;

    private VideoUpscaler(Builder b) {
        this.upscaler = b.upscaler;
        this.ownsUpscaler = b.ownsUpscaler;
        this.settings = new VideoOutput.Settings(b.codec, b.crf, b.preset, b.encoderThreads);
        this.startMicros = b.startMicros;
        this.durationMicros = b.durationMicros;
        this.queueFrames = b.queueFrames;
        this.decoderThreads = b.decoderThreads;
        this.listener = b.listener;
    }

    /** A builder around an upscaler the caller keeps (and closes). */
    public static Builder builder(Upscaler upscaler) {
        return new Builder(Objects.requireNonNull(upscaler, "upscaler"), false);
    }

    /** A builder around a new upscaler with default settings for {@code model}, closed with this one. */
    public static Builder builder(Model model) {
        return new Builder(Upscaler.builder(Objects.requireNonNull(model, "model")).build(), true);
    }

    /**
     * Upscales {@code input} into {@code output}, whose container follows its extension (.mp4, .mkv,
     * .mov, .webm, .avi).
     *
     * @param token checked before every frame and every tile; may be null
     * @throws SrException {@code IO_ERROR} for missing inputs and unwritable outputs, {@code VIDEO_ERROR}
     *     for files FFmpeg cannot read or that are damaged (naming the frame), {@code INVALID_ARGUMENT}
     *     for a codec the container cannot hold, {@code CANCELLED} when cancelled
     */
    public VideoResult upscale(Path input, Path output, CancellationToken token) {
        checkPaths(input, output);
        long t0 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        try (VideoInput in = new VideoInput(input, decoderThreads)) {
            if (startMicros > 0) {
                in.seek(startMicros);
            }
            long endMicros = durationMicros > 0 ? startMicros + durationMicros : Long.MAX_VALUE;
            List<VideoInput.Item> early = new ArrayList<>();
            VideoInput.Decoded first;
            try {
                first = firstFrame(in, early);
            } catch (RuntimeException e) {
                early.forEach(VideoInput::free);
                throw e;
            }
            if (first == null) {
                early.forEach(VideoInput::free);
                throw new SrException(ErrorCode.VIDEO_ERROR, input + " has no video frames"
                        + (startMicros > 0 ? " after " + startMicros / 1e6 + " s" : ""));
            }
            boolean handedOver = false;
            try {
                AVFrame f = first.frame();
                Dimension size = upscaler.outputSize(f.width(), f.height());
                io.srengine.image.PixelFormat.checkSize(size.width, size.height, 3, "the upscaled frames of " + input);
                FramePlanes.Layout inLayout = inputLayout(f.format());
                Colorimetry colour = colorimetry(f, in.stream.codecpar());
                // A cut begins at its first frame (which may start up to a frame before --start): every
                // stream is shifted by that frame's time, so the output starts at zero in sync.
                long cut = startMicros > 0 ? micros(in, first.pts()) : 0;
                try (VideoOutput out = new VideoOutput(output, in, size.width, size.height, inLayout, colour, settings,
                        cut, endMicros, notes)) {
                    FramePipeline p = new FramePipeline(in, out, upscaler, colour, queueFrames, token, listener,
                            expectedFrames(in), startMicros, endMicros, t0);
                    handedOver = true;
                    VideoProgress done = p.run(first, early);
                    checkComplete(in);
                    out.finish();
                    return new VideoResult(done.framesDone(), size.width, size.height, out.encoderName(),
                            FramePlanes.name(out.layout().pixFmt()), List.copyOf(notes), done);
                }
            } finally {
                if (!handedOver) {
                    VideoInput.free(first);
                    early.forEach(VideoInput::free);
                }
            }
        }
    }

    /** Reads up to the first frame at or after the start; packets read on the way are kept for the output. */
    private VideoInput.Decoded firstFrame(VideoInput in, List<VideoInput.Item> early) {
        boolean[] all = new boolean[in.fmt.nb_streams()];
        java.util.Arrays.fill(all, true);
        while (true) {
            VideoInput.Item item = in.next(all);
            if (item == null) {
                return null;
            }
            if (item instanceof VideoInput.Decoded d) {
                if (micros(in, d.pts() + d.duration()) <= startMicros) {
                    VideoInput.free(d); // before the cut
                    continue;
                }
                return d;
            }
            early.add(item);
        }
    }

    static long micros(VideoInput in, long pts) {
        return av_rescale_q(pts, in.timeBase, av_make_q(1, 1_000_000));
    }

    private static FramePlanes.Layout inputLayout(int pixFmt) {
        FramePlanes.Layout l = FramePlanes.layout(pixFmt);
        if (l != null) {
            return l;
        }
        org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        boolean rgb = d != null && (d.flags() & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) != 0;
        int depth = d == null ? 8 : d.comp(0).depth();
        int log2w = d == null || rgb ? 0 : d.log2_chroma_w();
        int log2h = d == null || rgb ? 0 : d.log2_chroma_h();
        String name = rgb ? "gbrp" : log2w == 0 ? "yuv444p" : log2h == 0 ? "yuv422p" : "yuv420p";
        int f = av_get_pix_fmt(depth > 8 ? name + Math.max(10, Math.min(16, depth)) + "le" : name);
        FramePlanes.Layout guess = f == AV_PIX_FMT_NONE ? null : FramePlanes.layout(f);
        return guess != null ? guess : FramePlanes.require(AV_PIX_FMT_YUV420P);
    }

    /** The frame's own tags where it has them, else the stream's. */
    private static Colorimetry colorimetry(AVFrame f, AVCodecParameters par) {
        int spc = f.colorspace() != AVCOL_SPC_UNSPECIFIED ? f.colorspace() : par.color_space();
        int range = f.color_range() != AVCOL_RANGE_UNSPECIFIED ? f.color_range() : par.color_range();
        int loc = f.chroma_location() != AVCHROMA_LOC_UNSPECIFIED ? f.chroma_location() : par.chroma_location();
        org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor d = av_pix_fmt_desc_get(f.format());
        if (d != null && d.name().getString().startsWith("yuvj")) {
            range = AVCOL_RANGE_JPEG;
        }
        if (d != null && (d.flags() & AV_PIX_FMT_FLAG_RGB) != 0) {
            spc = AVCOL_SPC_RGB;
        }
        return Colorimetry.of(spc, range, loc, f.width(), f.height());
    }

    private long expectedFrames(VideoInput in) {
        long total = in.expectedFrames();
        if (total < 0) {
            return -1;
        }
        double fps = av_q2d(in.frameRate);
        if (startMicros > 0) {
            total = Math.max(0, total - Math.round(startMicros / 1e6 * fps));
        }
        if (durationMicros > 0) {
            total = Math.min(total, Math.round(durationMicros / 1e6 * fps));
        }
        return total;
    }

    /** A container that counts its frames (MP4, MOV) and ends early has been cut off. */
    private void checkComplete(VideoInput in) {
        if (startMicros > 0 || durationMicros > 0) {
            return;
        }
        long counted = in.stream.nb_frames();
        if (counted > 0 && in.framesDecoded() < counted) {
            throw new SrException(ErrorCode.VIDEO_ERROR, in.path + " is truncated: its index lists " + counted
                    + " frames but the data ends after frame " + in.framesDecoded());
        }
    }

    private static void checkPaths(Path input, Path output) {
        if (!Files.isRegularFile(input)) {
            throw new SrException(ErrorCode.IO_ERROR, Files.exists(input) ? input + " is not a file" : "input not found: " + input);
        }
        try {
            if (Files.exists(output) && Files.isSameFile(input, output)) {
                throw new SrException(ErrorCode.IO_ERROR, "output " + output + " is the input; refusing to overwrite it");
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot compare " + input + " and " + output + ": " + e, e);
        }
        Path target = output.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": it is a directory");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + dir + " is not writable");
        }
    }

    /** The upscaler that runs the frames. */
    public Upscaler upscaler() {
        return upscaler;
    }

    /** Closes the upscaler when this video upscaler created it. Idempotent. */
    @Override
    public void close() {
        if (ownsUpscaler) {
            upscaler.close();
        }
    }

    /** Builds a {@link VideoUpscaler}; every setting has a default. */
    public static final class Builder {
        private final Upscaler upscaler;
        private final boolean ownsUpscaler;
        private VideoCodec codec;
        private Integer crf;
        private String preset;
        private long startMicros;
        private long durationMicros;
        private int queueFrames = DEFAULT_QUEUE_FRAMES;
        private int decoderThreads;
        private int encoderThreads;
        private VideoProgressListener listener = VideoProgressListener.NONE;

        private Builder(Upscaler upscaler, boolean owns) {
            this.upscaler = upscaler;
            this.ownsUpscaler = owns;
        }

        /** The video codec; default H.264, or VP9 for .webm. */
        public Builder codec(VideoCodec c) {
            this.codec = c;
            return this;
        }

        /** The encoder's quality level (lower is better; x264's scale for H.264); null for srengine's default. */
        public Builder crf(Integer level) {
            if (level != null && (level < 0 || level > 63)) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "--crf must be between 0 and 63, was " + level);
            }
            this.crf = level;
            return this;
        }

        /** The encoder's speed preset (x264/x265: ultrafast..veryslow; SVT-AV1: 0..13; VP9/libaom: cpu-used 0..8). */
        public Builder preset(String p) {
            this.preset = p;
            return this;
        }

        /** Where to begin in the input; default the beginning. */
        public Builder start(Duration d) {
            if (d != null && d.isNegative()) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "--start must not be negative, was " + d);
            }
            this.startMicros = d == null ? 0 : d.toNanos() / 1000;
            return this;
        }

        /** How much of the input to upscale from the start; default all of it. */
        public Builder duration(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "--duration must be positive, was " + d);
            }
            this.durationMicros = d == null ? 0 : d.toNanos() / 1000;
            return this;
        }

        /** Frames each queue between the decode, model and encode threads holds. Default {@value #DEFAULT_QUEUE_FRAMES}. */
        public Builder queueFrames(int n) {
            if (n < 1) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "queue size must be at least 1, was " + n);
            }
            this.queueFrames = n;
            return this;
        }

        /** FFmpeg decoder threads; 0 (the default) lets FFmpeg choose. */
        public Builder decoderThreads(int n) {
            this.decoderThreads = Math.max(0, n);
            return this;
        }

        /** FFmpeg encoder threads; 0 (the default) lets the encoder choose. */
        public Builder encoderThreads(int n) {
            this.encoderThreads = Math.max(0, n);
            return this;
        }

        /** Told after every frame. Default: nothing. */
        public Builder progressListener(VideoProgressListener l) {
            this.listener = l == null ? VideoProgressListener.NONE : l;
            return this;
        }

        public VideoUpscaler build() {
            Av.load();
            return new VideoUpscaler(this);
        }
    }
}
