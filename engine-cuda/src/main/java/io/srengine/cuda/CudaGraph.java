package io.srengine.cuda;

import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

/**
 * A CUDA graph captured from the launches a plan enqueues on a stream, instantiated once and
 * replayed with a single launch: the per-kernel launch overhead of a few hundred launches goes away.
 * Capture uses the thread-local mode, so other threads may keep allocating while it runs.
 * {@code close()} is idempotent and destroys the graph and its executable.
 */
public final class CudaGraph implements AutoCloseable {
    private CUgraph_st graph;
    private CUgraphExec_st exec;

    private CudaGraph(CUgraph_st graph, CUgraphExec_st exec) {
        this.graph = graph;
        this.exec = exec;
    }

    /**
     * Records what {@code body} enqueues on {@code stream} and instantiates it. On failure the
     * capture is ended and everything created so far is destroyed.
     */
    public static CudaGraph capture(CUstream_st stream, Runnable body) {
        CudaErrors.check(cudart.cudaStreamBeginCapture(stream, cudart.cudaStreamCaptureModeThreadLocal),
                "cudaStreamBeginCapture");
        CUgraph_st g = new CUgraph_st();
        try {
            body.run();
        } catch (RuntimeException e) {
            int status = cudart.cudaStreamEndCapture(stream, g);
            if (status == 0 && !g.isNull()) {
                cudart.cudaGraphDestroy(g);
            }
            throw e;
        }
        CudaErrors.check(cudart.cudaStreamEndCapture(stream, g), "cudaStreamEndCapture");
        CUgraphExec_st x = new CUgraphExec_st();
        int status = cudart.cudaGraphInstantiate(x, g, 0L);
        if (status != 0) {
            cudart.cudaGraphDestroy(g);
            CudaErrors.check(status, "cudaGraphInstantiate");
        }
        return new CudaGraph(g, x);
    }

    /** Enqueues one replay on {@code stream}. */
    public void launch(CUstream_st stream) {
        if (exec == null) {
            throw new IllegalStateException("CUDA graph used after close()");
        }
        CudaErrors.check(cudart.cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    }

    @Override
    public void close() {
        if (exec != null) {
            CUgraphExec_st x = exec;
            CUgraph_st g = graph;
            exec = null;
            graph = null;
            CudaErrors.check(cudart.cudaGraphExecDestroy(x), "cudaGraphExecDestroy");
            CudaErrors.check(cudart.cudaGraphDestroy(g), "cudaGraphDestroy");
        }
    }
}
