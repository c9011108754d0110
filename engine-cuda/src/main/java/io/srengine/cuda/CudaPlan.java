package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.plan.PlanBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model compiled for one set of input shapes, ready to run: its arena of device memory, the
 * prepared launches, pinned staging buffers, and (after the first run) the CUDA graph that replays
 * all launches at once. Not thread-safe. {@code close()} is idempotent and releases the graph, the
 * launches' native parameter blocks, the pinned buffers and the arena.
 */
final class CudaPlan implements AutoCloseable {
    private final CudaContext ctx;
    private final PlanBuilder.Plan spec;
    private final DeviceBuffer arena;
    private final List<KernelFunction.Launch> launches = new ArrayList<>();
    private final List<PinnedBuffer> inPinned = new ArrayList<>();
    private final List<PinnedBuffer> outPinned = new ArrayList<>();
    private final boolean useGraph;
    private final boolean debug;
    private CudaGraph graph;
    private boolean closed;

    /**
     * @param useGraph capture the launches into a CUDA graph on the first run and replay it after
     * @param debug run launches one by one and synchronise after each, so that an asynchronous
     *     error names the node whose kernel caused it
     */
    CudaPlan(CudaContext ctx, PlanBuilder.Plan spec, DeviceBuffer arena, boolean useGraph, boolean debug) {
        this.ctx = ctx;
        this.spec = spec;
        this.arena = arena;
        this.useGraph = useGraph && !debug;
        this.debug = debug;
        try {
            for (PlanBuilder.LaunchSpec l : spec.launches()) {
                KernelFunction f = ctx.modules().function(l.module(), l.function());
                launches.add(f.prepare(l.geometry(), l.params()));
            }
            for (int i = 0; i < spec.inputs().size(); i++) {
                inPinned.add(new PinnedBuffer());
            }
            for (int i = 0; i < spec.outputs().size(); i++) {
                outPinned.add(new PinnedBuffer());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    PlanBuilder.Plan spec() {
        return spec;
    }

    int launchCount() {
        return launches.size();
    }

    /** Copies the inputs in, runs every launch, copies the outputs back; waits for the device. */
    Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the CUDA plan is closed");
        }
        ctx.makeCurrent();
        for (int i = 0; i < spec.inputs().size(); i++) {
            PlanBuilder.Staging s = spec.inputs().get(i);
            float[] data = inputs.get(s.name()).floats();
            PinnedBuffer p = inPinned.get(i);
            p.floats(data.length).put(data);
            ctx.copyToDevice(s.address(), p.pointer(), s.bytes());
        }
        enqueue();
        for (int i = 0; i < spec.outputs().size(); i++) {
            PlanBuilder.Staging s = spec.outputs().get(i);
            outPinned.get(i).floats(s.bytes() / 4);
            ctx.copyToHost(outPinned.get(i).pointer(), s.address(), s.bytes());
        }
        ctx.synchronize("running the plan");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < spec.outputs().size(); i++) {
            PlanBuilder.Staging s = spec.outputs().get(i);
            float[] data = new float[(int) (s.bytes() / 4)];
            outPinned.get(i).floats(data.length).get(data);
            out.put(s.name(), Tensor.of(data, s.shape()));
        }
        return out;
    }

    /**
     * The median device time of each launch over {@code reps} repetitions, in milliseconds (each
     * launch timed alone between two events; for profiles, not for the plan's total).
     */
    float[] profileLaunches(int reps) {
        ctx.makeCurrent();
        float[] out = new float[launches.size()];
        try (CudaTimer t = new CudaTimer()) {
            for (int i = 0; i < launches.size(); i++) {
                float[] times = new float[reps];
                for (int r = 0; r < reps; r++) {
                    t.start(ctx.stream());
                    launches.get(i).enqueue(ctx.stream());
                    times[r] = t.stop(ctx.stream());
                }
                java.util.Arrays.sort(times);
                out[i] = times[reps / 2];
            }
        }
        return out;
    }

    /** Enqueues the plan's device work on the context's stream (graph replay, or launch by launch). */
    void enqueue() {
        if (useGraph) {
            if (graph == null) {
                graph = CudaGraph.capture(ctx.stream(), this::enqueueLaunches);
            }
            graph.launch(ctx.stream());
        } else {
            enqueueLaunches();
        }
    }

    private void enqueueLaunches() {
        for (int i = 0; i < launches.size(); i++) {
            KernelFunction.Launch l = launches.get(i);
            l.enqueue(ctx.stream());
            if (debug) {
                try {
                    ctx.synchronize("after " + l.function().name());
                } catch (SrException e) {
                    throw new SrException(ErrorCode.BACKEND_ERROR, "node '" + spec.launches().get(i).node() + "' ("
                            + l.function().name() + ", " + l.geometry() + "): " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (graph != null) {
                graph.close();
            }
        } finally {
            launches.forEach(KernelFunction.Launch::close);
            inPinned.forEach(PinnedBuffer::close);
            outPinned.forEach(PinnedBuffer::close);
            arena.close();
        }
    }
}
