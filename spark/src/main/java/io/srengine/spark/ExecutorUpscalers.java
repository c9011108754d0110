package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.upscale.Upscaler;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models and sessions of this JVM (an executor, or the driver in local mode).
 *
 * <p>Each model is loaded once per JVM, on first use, and kept: a {@link Model} is immutable and
 * thread-safe. Sessions are pooled: a task borrows an {@link Upscaler} (which owns one session) for
 * the rows it processes and returns it; a new one is built only when every pooled one is in use. Spark
 * runs at most {@code executor cores / spark.task.cpus} tasks at once per executor, so the pool grows to
 * exactly that many sessions per model and tiling and stays there - the executor's cores decide its
 * size without this class having to know them. Each session has {@code spark.task.cpus} threads (see
 * {@link BackendChoice}).
 *
 * <p>This is process-wide state on purpose: Spark gives no per-executor object with a lifetime to
 * hang it on, and reloading a model per task would cost more than the task. Sessions are closed when
 * the JVM exits.
 */
public final class ExecutorUpscalers {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorUpscalers.class);

    private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
    private static final Map<PoolKey, Deque<Upscaler>> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger MODELS_LOADED = new AtomicInteger();
    private static final AtomicInteger SESSIONS_CREATED = new AtomicInteger();
    private static final Object INIT = new Object();
    private static volatile boolean initialised;

    private ExecutorUpscalers() {}

    /** One upscaler configuration on one device. */
    private record PoolKey(String model, int tileSize, int tilePadding, double scale, SessionOptions options) {}

    /**
     * How many models and sessions this JVM created, for tests and logs.
     *
     * @param modelsLoaded the models loaded
     * @param sessionsCreated the sessions (upscalers) built, over every model and configuration
     */
    public record Stats(int modelsLoaded, int sessionsCreated) implements java.io.Serializable {}

    /**
     * What this JVM has created so far.
     *
     * @return the counts since the JVM started
     */
    public static Stats stats() {
        return new Stats(MODELS_LOADED.get(), SESSIONS_CREATED.get());
    }

    /**
     * Borrows an upscaler for the task on this thread; close the lease to give it back.
     *
     * @param hadoop the Hadoop configuration, needed only when the model is named by a URI
     * @throws SrException from loading the model or creating its session (bad model, backend unavailable)
     */
    static Lease lease(UpscaleSettings s, Configuration hadoop) {
        initialiseOnce();
        SessionOptions options = BackendChoice.forCurrentTask(s.backend());
        PoolKey key = new PoolKey(s.model(), s.tileSize(), s.tilePadding(), s.scale(), options);
        Deque<Upscaler> idle = POOLS.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Upscaler u = idle.pollFirst();
        if (u == null) {
            u = build(key, hadoop);
        }
        return new Lease(u, idle);
    }

    /**
     * Loads the model into this JVM now, so that a name that does not exist fails once on the driver
     * rather than in every task. In local mode the driver is the executor and keeps it for the tasks.
     *
     * @throws SrException as {@link ModelLocator#load}
     */
    static void checkModel(String spec, Configuration hadoop) {
        model(spec, hadoop);
    }

    private static Model model(String spec, Configuration hadoop) {
        return MODELS.computeIfAbsent(spec, s -> {
            Model m = ModelLocator.load(s, hadoop);
            MODELS_LOADED.incrementAndGet();
            LOG.info("srengine: loaded model {} in this JVM", s);
            return m;
        });
    }

    private static Upscaler build(PoolKey key, Configuration hadoop) {
        Model model = model(key.model(), hadoop);
        Upscaler.Builder b = Upscaler.builder(model).sessionOptions(key.options()).tilePadding(key.tilePadding());
        if (key.tileSize() != UpscaleSettings.AUTO_TILE) {
            b.tileSize(key.tileSize());
        }
        if (key.scale() > 0) {
            b.outputScale(key.scale());
        }
        Upscaler u = b.build();
        int n = SESSIONS_CREATED.incrementAndGet();
        LOG.info("srengine: session {} of this JVM for {} on backend {}{} with {} thread(s)", n, key.model(),
                u.backendName(), BackendChoice.deviceOf(key.options()).isEmpty() ? ""
                        : " (GPU " + BackendChoice.deviceOf(key.options()) + ")", key.options().effectiveThreads());
        return u;
    }

    private static void initialiseOnce() {
        if (initialised) {
            return;
        }
        synchronized (INIT) {
            if (initialised) {
                return;
            }
            // ImageIO registers the plugins it can see from the context class loader of the thread that
            // first touches it; on an executor that may have been a thread that could not see the
            // application jar, leaving WebP undecodable. Task threads see it, so scan again from one.
            ImageIO.scanForPlugins();
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorUpscalers::closeAll, "srengine-close-sessions"));
            initialised = true;
        }
    }

    private static void closeAll() {
        for (Deque<Upscaler> pool : POOLS.values()) {
            for (Upscaler u; (u = pool.pollFirst()) != null; ) {
                u.close();
            }
        }
    }

    /** An upscaler borrowed from the pool. Not thread-safe: one task uses it at a time. */
    static final class Lease implements AutoCloseable {
        private final Upscaler upscaler;
        private final Deque<Upscaler> pool;
        private boolean broken;

        private Lease(Upscaler upscaler, Deque<Upscaler> pool) {
            this.upscaler = upscaler;
            this.pool = pool;
        }

        Upscaler upscaler() {
            return upscaler;
        }

        /**
         * Notes a failure: an error of the backend itself (not of the image) may have left the session
         * unusable, so it is closed instead of going back to the pool.
         */
        void failed(SrException e) {
            if (e.code() == ErrorCode.BACKEND_ERROR || e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.CLOSED) {
                broken = true;
            }
        }

        @Override
        public void close() {
            if (broken) {
                upscaler.close();
            } else {
                pool.offerFirst(upscaler);
            }
        }
    }
}
