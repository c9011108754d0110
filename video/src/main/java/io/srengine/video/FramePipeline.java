package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.PlanarImage;
import io.srengine.upscale.CancellationToken;
import io.srengine.upscale.Upscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The three threads of one video upscale and the bounded queues between them:
 * decode (this class's "decoder" thread: demux, decode, Y'CbCr to R'G'B'), model (the "model" thread:
 * {@link Upscaler}), encode (the calling thread: R'G'B' to Y'CbCr, encode, mux). Packets of copied
 * streams travel through the same queues, so the output receives everything in file order. The first
 * failure anywhere (or a cancellation) stops all three and is what {@link #run} throws.
 */
final class FramePipeline {
    /** What travels between the threads. */
    private sealed interface Job {}

    private record FrameJob(long pts, PlanarImage rgb) implements Job {}

    private record PacketJob(VideoInput.Copied packet) implements Job {}

    private record End() implements Job {}

    private static final End END = new End();

    private final VideoInput in;
    private final VideoOutput out;
    private final Upscaler upscaler;
    private final Colorimetry colour;
    private final BlockingQueue<Job> decoded;
    private final BlockingQueue<Job> upscaled;
    private final CancellationToken token;
    private final VideoProgressListener listener;
    private final long expected;
    private final long startMicros;
    private final long endMicros;
    private final long t0;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong decodeNanos = new AtomicLong();
    private final AtomicLong modelNanos = new AtomicLong();
    private long encodeNanos;
    private int width;
    private int height;

    FramePipeline(VideoInput in, VideoOutput out, Upscaler upscaler, Colorimetry colour, int queueFrames,
            CancellationToken token, VideoProgressListener listener, long expected, long startMicros, long endMicros, long t0) {
        this.in = in;
        this.out = out;
        this.upscaler = upscaler;
        this.colour = colour;
        this.decoded = new ArrayBlockingQueue<>(queueFrames);
        this.upscaled = new ArrayBlockingQueue<>(queueFrames);
        this.token = token != null ? token : new CancellationToken();
        this.listener = listener;
        this.expected = expected;
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.t0 = t0;
    }

    /**
     * Runs to the end of the input (or the cut). Takes ownership of {@code first} and {@code early}.
     *
     * @return the progress after the last frame
     */
    VideoProgress run(VideoInput.Decoded first, List<VideoInput.Item> early) {
        width = first.frame().width();
        height = first.frame().height();
        threads.add(Thread.currentThread());
        Thread decoder = Thread.ofPlatform().name("srengine-video-decode").daemon().unstarted(() -> guard(() -> decode(first, early)));
        Thread model = Thread.ofPlatform().name("srengine-video-model").daemon().unstarted(() -> guard(this::model));
        synchronized (threads) {
            threads.add(decoder);
            threads.add(model);
        }
        decoder.start();
        model.start();
        VideoProgress last = null;
        try {
            last = encode();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            stopAndJoin(decoder, model);
            Thread.interrupted(); // the flag may have been set by fail(); it is reported below instead
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return last;
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            fail(e);
        } catch (Error e) {
            fail(new SrException(ErrorCode.INTERNAL, "video thread failed: " + e, e));
        }
    }

    /** Records the first failure and wakes every thread blocked on a queue. */
    private void fail(RuntimeException e) {
        if (failure.compareAndSet(null, e)) {
            synchronized (threads) {
                for (Thread t : threads) {
                    t.interrupt();
                }
            }
        }
    }

    private void checkCancelled() {
        if (token.isCancelled()) {
            throw new SrException(ErrorCode.CANCELLED, "upscaling was cancelled");
        }
        if (failure.get() != null) {
            throw new Stopped();
        }
    }

    /** Thrown inside a thread that stops because another one failed; never reported. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private void decode(VideoInput.Decoded first, List<VideoInput.Item> early) {
        boolean[] copy = out.copiedStreams();
        List<VideoInput.Item> pending = new ArrayList<>(early);
        pending.add(first);
        boolean videoDone = false;
        int i = 0;
        try (FrameConverter conv = new FrameConverter()) {
            while (true) {
                checkCancelled();
                long t = System.nanoTime();
                VideoInput.Item item = i < pending.size() ? pending.get(i++) : in.next(copy);
                if (item == null) {
                    break;
                }
                if (item instanceof VideoInput.Copied c) {
                    if (!copy[c.stream()]) {
                        VideoInput.free(c);
                        continue;
                    }
                    if (videoDone && beyondEnd(c)) {
                        VideoInput.free(c);
                        break; // past the cut in every stream
                    }
                    put(decoded, new PacketJob(c));
                    continue;
                }
                VideoInput.Decoded d = (VideoInput.Decoded) item;
                try {
                    long us = VideoUpscaler.micros(in, d.pts());
                    if (videoDone || us >= endMicros || VideoUpscaler.micros(in, d.pts() + d.duration()) <= startMicros) {
                        videoDone |= us >= endMicros;
                        continue;
                    }
                    AVFrame f = d.frame();
                    if (f.width() != width || f.height() != height) {
                        throw new SrException(ErrorCode.VIDEO_ERROR, in.path + " changes its frame size from " + width + "x"
                                + height + " to " + f.width() + "x" + f.height() + " at frame " + in.framesDecoded()
                                + "; srengine writes one size per video");
                    }
                    PlanarImage rgb = conv.toRgb(f, colour);
                    decodeNanos.addAndGet(System.nanoTime() - t);
                    put(decoded, new FrameJob(d.pts(), rgb));
                } finally {
                    VideoInput.free(d);
                }
            }
            put(decoded, END);
        } finally {
            for (; i < pending.size(); i++) {
                VideoInput.free(pending.get(i)); // not handed on: a failure came first
            }
        }
    }

    /** Packets are interleaved by time, so one a second past the end means no more of the cut will come. */
    private boolean beyondEnd(VideoInput.Copied c) {
        if (endMicros == Long.MAX_VALUE) {
            return false;
        }
        long ts = c.packet().pts() != AV_NOPTS_VALUE ? c.packet().pts() : c.packet().dts();
        if (ts == AV_NOPTS_VALUE) {
            return false;
        }
        long us = av_rescale_q(ts, in.fmt.streams(c.stream()).time_base(), av_make_q(1, 1_000_000));
        return us >= endMicros + 1_000_000;
    }

    private void model() {
        while (true) {
            Job job = take(decoded);
            if (job instanceof FrameJob f) {
                checkCancelled();
                long t = System.nanoTime();
                PlanarImage up = upscaler.upscale(f.rgb(), token);
                modelNanos.addAndGet(System.nanoTime() - t);
                put(upscaled, new FrameJob(f.pts(), up));
            } else {
                put(upscaled, job);
                if (job == END) {
                    return;
                }
            }
        }
    }

    private VideoProgress encode() {
        long done = 0;
        VideoProgress p = progress(0);
        while (true) {
            Job job = take(upscaled);
            checkCancelled();
            long t = System.nanoTime();
            if (job == END) {
                return p;
            }
            if (job instanceof PacketJob pj) {
                try {
                    out.writePacket(pj.packet().packet(), pj.packet().stream());
                } finally {
                    VideoInput.free(pj.packet());
                }
                encodeNanos += System.nanoTime() - t;
                continue;
            }
            FrameJob f = (FrameJob) job;
            AVFrame frame = FrameConverter.fromRgb(f.rgb(), out.layout(), out.colour());
            try {
                out.writeFrame(frame, f.pts());
            } finally {
                av_frame_free(frame);
            }
            encodeNanos += System.nanoTime() - t;
            p = progress(++done);
            listener.progress(p);
        }
    }

    private VideoProgress progress(long done) {
        return new VideoProgress(done, expected < 0 ? -1 : Math.max(expected, done), System.nanoTime() - t0,
                decodeNanos.get(), modelNanos.get(), encodeNanos);
    }

    private void put(BlockingQueue<Job> q, Job job) {
        try {
            q.put(job);
        } catch (InterruptedException e) {
            free(job);
            throw interrupted();
        }
    }

    private Job take(BlockingQueue<Job> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    /** Why a thread was woken: another's failure, or an interrupt from outside (which cancels). */
    private RuntimeException interrupted() {
        if (failure.get() != null) {
            return new Stopped();
        }
        return new SrException(ErrorCode.CANCELLED, "upscaling was cancelled (thread interrupted)");
    }

    private void stopAndJoin(Thread... workers) {
        if (failure.get() != null) {
            for (Thread w : workers) {
                w.interrupt();
            }
        }
        for (Thread w : workers) {
            boolean interrupted = false;
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the workers hold native frames that must be freed first
                }
            }
            if (interrupted && failure.get() == null) {
                fail(new SrException(ErrorCode.CANCELLED, "upscaling was cancelled (thread interrupted)"));
            }
        }
        for (BlockingQueue<Job> q : List.of(decoded, upscaled)) {
            Job j;
            while ((j = q.poll()) != null) {
                free(j);
            }
        }
    }

    private static void free(Job job) {
        if (job instanceof PacketJob p) {
            VideoInput.free(p.packet());
        }
    }
}
