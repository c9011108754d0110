package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.rewrite.ShapeSpecializer;
import java.util.Map;

/**
 * Runs a small graph on the CPU backend's kernels without the NCHW conversions at its edges, so that
 * a benchmark of one kernel (a 3×3 convolution, a pixel shuffle) measures the kernel and not the
 * layout change that a whole model pays only once at its input and output. Not for inference:
 * {@link #runKernels()} leaves its result in the backend's buffers. Close it to stop its threads.
 */
public final class KernelHarness implements AutoCloseable {
    private final WorkerPool pool;
    private final CpuPlan plan;
    private final Map<String, Tensor> inputs;

    /**
     * Prepares {@code graph} (a copy; optimising rewrites included) for {@code inputs} and runs it once,
     * which leaves the inputs converted in their buffers.
     *
     * @throws SrException {@code BACKEND_UNAVAILABLE} when the Vector API cannot run here
     */
    public KernelHarness(Graph graph, Map<String, Tensor> inputs, int threads) {
        VectorSupport.unavailableReason().ifPresent(r -> {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "the cpu backend cannot run here: " + r);
        });
        Graph prepared = GraphPreparer.prepare(graph.copy(), true);
        this.pool = new WorkerPool(threads);
        this.inputs = Map.copyOf(inputs);
        Map<String, Object> packs = new java.util.HashMap<>();
        WeightPacker.packAll(prepared, packs);
        this.plan = new PlanBuilder(CpuCompiledModel.specialise(prepared, inputs), packs, pool).build();
        plan.execute(this.inputs);
    }

    /** The kernel steps only. */
    public void runKernels() {
        plan.executeKernelsOnly();
    }

    /** A whole run, conversions included, returning the outputs. */
    public Map<String, Tensor> runAll() {
        return plan.execute(inputs);
    }

    /** Times every step over {@code runs} whole runs; the steps by share of time, one per line. */
    public String profile(int runs) {
        return plan.profile(inputs, runs);
    }

    /** The plan's steps, one per line. */
    public String plan() {
        return plan.summary();
    }

    @Override
    public void close() {
        pool.close();
    }
}
