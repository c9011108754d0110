package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.upscale.CancellationToken;
import io.srengine.upscale.Upscaler;
import io.srengine.video.VideoFiles;
import io.srengine.video.VideoProgress;
import io.srengine.video.VideoProgressListener;
import io.srengine.video.VideoResult;
import io.srengine.video.VideoUpscaler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code srengine upscale} for a video input: the same model options as for images, plus
 * {@link VideoOptions}. Ctrl-C (or SIGTERM) cancels the run and waits for the partial output to be
 * deleted before the JVM exits.
 */
final class VideoUpscaleRun {
    private VideoUpscaleRun() {}

    /** Whether {@code input} goes down the video path. */
    static boolean isVideo(Path input) {
        return VideoFiles.isVideo(input);
    }

    static int run(Path input, Path output, Upscaler upscaler, VideoOptions o, boolean quiet, PrintWriter err, boolean terminal) {
        if (!VideoFiles.isVideo(output)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the input is a video, so OUTPUT must be one too (.mp4, .mkv,"
                    + " .mov, .webm or .avi), not " + output);
        }
        CancellationToken token = new CancellationToken();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            token.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS); // the pipeline stops within a frame and deletes its temporary file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "srengine-video-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        FrameProgress bar = new FrameProgress(err, terminal, System::nanoTime, input.getFileName().toString());
        try (VideoUpscaler v = VideoUpscaler.builder(upscaler).codec(o.codec()).crf(o.crf).preset(o.preset)
                .start(VideoOptions.time(o.start, "--start")).duration(VideoOptions.time(o.duration, "--duration"))
                .progressListener(quiet ? VideoProgressListener.NONE : bar).build()) {
            VideoResult r = v.upscale(input, output, token);
            if (!quiet) {
                bar.end();
                r.notes().forEach(n -> err.println("note: " + n));
                VideoProgress p = r.progress();
                long busy = Math.max(1, p.decodeNanos() + p.modelNanos() + p.encodeNanos());
                err.printf(Locale.ROOT, "upscaled %d frames to %dx%d (%s, %s) in %s: %.2f fps; busy time decode %d%%,"
                        + " model %d%%, encode %d%%%n", r.frames(), r.width(), r.height(), r.encoder(), r.pixelFormat(),
                        ProgressBar.duration(p.elapsedNanos()), p.fps(), 100 * p.decodeNanos() / busy,
                        100 * p.modelNanos() / busy, 100 * p.encodeNanos() / busy);
                err.flush();
            }
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and now returns.
            }
        }
    }

    /** Frames, fps and ETA on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
    static final class FrameProgress implements VideoProgressListener {
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintWriter err;
        private final boolean terminal;
        private final LongSupplier clock;
        private final String label;
        private long lastDraw = Long.MIN_VALUE;
        private long lastTenth = -1;
        private boolean drawn;

        FrameProgress(PrintWriter err, boolean terminal, LongSupplier clock, String label) {
            this.err = err;
            this.terminal = terminal;
            this.clock = clock;
            this.label = label;
        }

        @Override
        public void progress(VideoProgress p) {
            long now = clock.getAsLong();
            String total = p.framesTotal() > 0 ? "/" + p.framesTotal() : "";
            String pct = p.framesTotal() > 0 ? String.format(Locale.ROOT, " (%d%%)", 100 * p.framesDone() / p.framesTotal()) : "";
            String eta = p.etaNanos() >= 0 ? ", ETA " + ProgressBar.duration(p.etaNanos()) : "";
            String line = String.format(Locale.ROOT, "%s: frame %d%s%s, %.2f fps%s", label, p.framesDone(), total, pct, p.fps(), eta);
            if (terminal) {
                if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                    return;
                }
                lastDraw = now;
                err.print("\r" + line + "   ");
                drawn = true;
            } else {
                long tenth = p.framesTotal() > 0 ? 10 * p.framesDone() / p.framesTotal() : p.framesDone() / 100;
                if (tenth <= lastTenth) {
                    return;
                }
                lastTenth = tenth;
                err.println(line);
            }
            err.flush();
        }

        /** Ends the in-place line. */
        void end() {
            if (terminal && drawn) {
                err.println();
            }
        }
    }
}
