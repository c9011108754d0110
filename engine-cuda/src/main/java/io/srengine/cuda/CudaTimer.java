package io.srengine.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

/**
 * Times device work with a pair of CUDA events recorded on a stream: the elapsed time is measured
 * by the GPU between the two records, so host overhead and queueing do not count. Not thread-safe;
 * {@code close()} is idempotent.
 */
public final class CudaTimer implements AutoCloseable {
    private CUevent_st start = new CUevent_st();
    private CUevent_st stop = new CUevent_st();

    public CudaTimer() {
        CudaErrors.check(cudart.cudaEventCreate(start), "cudaEventCreate");
        CudaErrors.check(cudart.cudaEventCreate(stop), "cudaEventCreate");
    }

    public void start(CUstream_st stream) {
        CudaErrors.check(cudart.cudaEventRecord(start, stream), "cudaEventRecord");
    }

    /** Records the stop event and waits for it; returns the milliseconds since {@link #start}. */
    public float stop(CUstream_st stream) {
        CudaErrors.check(cudart.cudaEventRecord(stop, stream), "cudaEventRecord");
        CudaErrors.check(cudart.cudaEventSynchronize(stop), "cudaEventSynchronize");
        float[] ms = new float[1];
        CudaErrors.check(cudart.cudaEventElapsedTime(ms, start, stop), "cudaEventElapsedTime");
        return ms[0];
    }

    @Override
    public void close() {
        if (start != null) {
            CUevent_st a = start;
            CUevent_st b = stop;
            start = null;
            stop = null;
            CudaErrors.check(cudart.cudaEventDestroy(a), "cudaEventDestroy");
            CudaErrors.check(cudart.cudaEventDestroy(b), "cudaEventDestroy");
        }
    }
}
