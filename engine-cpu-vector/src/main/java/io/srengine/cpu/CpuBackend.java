package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import io.srengine.spi.Backend;
import io.srengine.spi.CompiledModel;
import java.lang.System.Logger.Level;

/**
 * The Vector API CPU backend. Owns one fixed {@link WorkerPool} of {@link
 * SessionOptions#effectiveThreads()} threads, shared by every model it compiles; {@link #close()}
 * stops it (idempotent). Computes in FP32 only.
 */
public final class CpuBackend implements Backend {
    private static final System.Logger LOG = System.getLogger("io.srengine.cpu");

    private final WorkerPool pool;

    CpuBackend(SessionOptions options) {
        if (options.precision() != Precision.FP32) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the cpu backend computes in FP32 only, not "
                    + options.precision());
        }
        this.pool = new WorkerPool(options.effectiveThreads());
        LOG.log(Level.DEBUG, "cpu backend: {0} threads, {1}", pool.threads(), Simd.SPECIES);
    }

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public CompiledModel compile(Graph graph) {
        return new CpuCompiledModel(graph.copy(), pool);
    }

    /** Threads running kernels, the calling thread included. */
    public int threads() {
        return pool.threads();
    }

    @Override
    public void close() {
        pool.close();
    }
}
