package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.cuda.CudaContext;
import io.srengine.cuda.CudaDevice;
import io.srengine.graph.Graph;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.spi.Backend;
import io.srengine.spi.CompiledModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The TensorRT backend: runs a TensorRT plan through the same session API as every other backend,
 * on a {@link CudaContext} of its own (stream and caching allocator as the CUDA backend has them).
 *
 * <p>Session properties:
 * <ul>
 *   <li>{@code tensorrt.plan}: a plan file from {@code srengine trt-build} ({@link PlanFile}). Its
 *       header is checked against this machine's TensorRT version and GPU before TensorRT
 *       deserialises it, and its input and output names must be the model's.
 *   <li>without a plan, one is built in memory from the session's model in the session's precision
 *       (FP32 or FP16) with the profile of {@code tensorrt.min-shape}, {@code tensorrt.opt-shape},
 *       {@code tensorrt.max-shape} ("N,C,H,W"; default {@link ShapeRange#defaults}) and the timing
 *       cache {@code tensorrt.timing-cache} (a file path). Building takes seconds to minutes.
 * </ul>
 * {@code close()} is idempotent and releases every engine, then the context.
 */
public final class TensorRtBackend implements Backend {
    /** The backend's name, as {@code SessionOptions.backend} and {@code --backend} take it. */
    public static final String NAME = "tensorrt";

    private final SessionOptions options;
    private final TensorRtProbe.Result probe;
    private final CudaContext ctx;
    private final List<TensorRtCompiledModel> models = new ArrayList<>();
    private boolean closed;

    TensorRtBackend(SessionOptions options) {
        this.options = options;
        this.probe = TensorRtProbe.probe();
        if (probe.reason() != null) {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT: " + probe.reason());
        }
        this.ctx = CudaContext.open(probe.device(), null);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The GPU this backend runs on. */
    CudaDevice device() {
        return ctx.device();
    }

    @Override
    public synchronized CompiledModel compile(Graph graph) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the TensorRT backend is closed");
        }
        Map<String, String> p = options.properties();
        String planPath = p.get("tensorrt.plan");
        PlanFile plan;
        String source;
        if (planPath != null) {
            source = planPath;
            plan = PlanFile.read(Path.of(planPath));
        } else {
            source = "the in-memory plan of " + (graph.name().isEmpty() ? "the model" : graph.name());
            plan = TensorRtBuilder.build(Model.fromGraph(graph, false), new TensorRtBuilder.Options(
                    shapeRange(p, graph), options.precision(),
                    p.containsKey("tensorrt.timing-cache") ? Path.of(p.get("tensorrt.timing-cache")) : null, 0));
        }
        PlanHeader h = plan.header();
        h.checkRunsOn(probe.version(), ctx.device().name(), ctx.device().capabilityString(), source);
        checkNames(graph, h, source);
        TensorRtCompiledModel m = new TensorRtCompiledModel(ctx, plan, source);
        models.add(m);
        return m;
    }

    /** The profile from the session properties, or the defaults for the graph's channel count. */
    static ShapeRange shapeRange(Map<String, String> p, Graph graph) {
        String min = p.get("tensorrt.min-shape");
        String opt = p.get("tensorrt.opt-shape");
        String max = p.get("tensorrt.max-shape");
        if (min == null && opt == null && max == null) {
            TensorType t = graph.inputs().getFirst().type();
            int c = t.rank() == 4 && t.shape().dim(1).isKnown() ? (int) t.shape().dim(1).value() : 3;
            return ShapeRange.defaults(c);
        }
        if (min == null || opt == null || max == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "give all of tensorrt.min-shape, tensorrt.opt-shape and"
                    + " tensorrt.max-shape, or none");
        }
        return new ShapeRange(ShapeRange.parse(min, "tensorrt.min-shape"), ShapeRange.parse(opt, "tensorrt.opt-shape"),
                ShapeRange.parse(max, "tensorrt.max-shape"));
    }

    /** The session's model must be the one the plan was built from, as far as names tell. */
    static void checkNames(Graph graph, PlanHeader h, String source) {
        List<String> ins = graph.inputs().stream().map(ValueInfo::name).toList();
        List<String> outs = graph.outputs().stream().map(ValueInfo::name).toList();
        if (!ins.equals(List.of(h.input())) || !outs.equals(List.of(h.output()))) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, source + " was built for a model with input '" + h.input()
                    + "' and output '" + h.output() + "', but this model has inputs " + ins + " and outputs " + outs);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            models.forEach(TensorRtCompiledModel::close);
        } finally {
            models.clear();
            ctx.close();
        }
    }
}
