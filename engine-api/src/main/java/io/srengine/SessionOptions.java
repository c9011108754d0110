package io.srengine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link Session} runs: which backend, how many threads, which precision, plus free-form
 * backend properties. Immutable; build with {@link #builder()}.
 *
 * @param backend the backend name ("reference", "cpu", "cuda", ...), or null to pick the best
 *     available one (see {@link io.srengine.spi.Backends#select(String)})
 * @param threads worker threads for CPU backends; 0 means one per available processor; at most
 *     {@link #MAX_THREADS}
 * @param precision arithmetic precision; backends that lack it fail with {@code INVALID_ARGUMENT}
 * @param properties backend-specific settings, e.g. {@code cuda.device=1}
 */
public record SessionOptions(String backend, int threads, Precision precision, Map<String, String> properties) {
    /**
     * The most threads a session may ask for. Far past any machine's cores (a thread per core is
     * what CPU kernels use), yet well below where the system runs out of threads: 100,000 asked for
     * used to start threads until the process limit.
     */
    public static final int MAX_THREADS = 1024;

    public SessionOptions {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "threads must be between 0 (one per processor) and "
                    + MAX_THREADS + ", was " + threads);
        }
        precision = precision == null ? Precision.FP32 : precision;
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Defaults: best available backend, all processors, FP32. */
    public static SessionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The thread count to use: {@link #threads()} or, when 0, the number of available processors. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A builder copying this instance. */
    public Builder toBuilder() {
        Builder b = new Builder().backend(backend).threads(threads).precision(precision);
        b.properties.putAll(properties);
        return b;
    }

    /** Builder for {@link SessionOptions}. */
    public static final class Builder {
        private String backend;
        private int threads;
        private Precision precision = Precision.FP32;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        public Builder precision(Precision p) {
            this.precision = p;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public SessionOptions build() {
            return new SessionOptions(backend, threads, precision, properties);
        }
    }
}
