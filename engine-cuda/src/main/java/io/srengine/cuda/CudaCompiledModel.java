package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.plan.DeviceType;
import io.srengine.cuda.plan.PlanBuilder;
import io.srengine.graph.Graph;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.spi.CompiledModel;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A prepared graph on the GPU: one {@link CudaPlan} per distinct set of input shapes (the most
 * recently used few are kept; older ones are closed and their memory returns to the allocator's
 * cache), and the weights uploaded once and shared by every plan. {@code close()} is idempotent.
 */
final class CudaCompiledModel implements CompiledModel {
    private final CudaContext ctx;
    private final Graph graph;
    private final DeviceType type;
    private final CudaBackend.Settings settings;
    private final Map<String, DeviceBuffer> constants = new HashMap<>();
    private final LinkedHashMap<String, CudaPlan> plans = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    CudaCompiledModel(CudaContext ctx, Graph graph, DeviceType type, CudaBackend.Settings settings) {
        this.ctx = ctx;
        this.graph = graph;
        this.type = type;
        this.settings = settings;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return plan(inputs).run(inputs);
    }

    /**
     * The plan for these inputs, compiled on first use: one per distinct set of input shapes and
     * values of the inputs that decide shapes (Pad amounts, a Reshape target... fed at run time),
     * which are bound as constants as on the reference backend.
     */
    CudaPlan plan(Map<String, Tensor> inputs) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the compiled model is closed");
        }
        String key = ShapeSpecializer.planKey(graph, inputs);
        CudaPlan plan = plans.get(key);
        if (plan == null) {
            plan = compile(inputs);
            plans.put(key, plan);
            evict();
        }
        return plan;
    }

    private void evict() {
        Iterator<Map.Entry<String, CudaPlan>> it = plans.entrySet().iterator();
        while (plans.size() > settings.maxPlans() && it.hasNext()) {
            CudaPlan old = it.next().getValue();
            it.remove();
            old.close();
        }
    }

    private CudaPlan compile(Map<String, Tensor> inputs) {
        ctx.makeCurrent();
        Graph specialised = PlanBuilder.specialise(graph, inputs);
        DeviceBuffer[] arena = new DeviceBuffer[1];
        try {
            PlanBuilder.Plan spec = PlanBuilder.build(specialised, type, new PlanBuilder.Device() {
                @Override
                public long arena(long bytes) {
                    arena[0] = ctx.allocator().allocate(bytes);
                    return arena[0].address();
                }

                @Override
                public long constant(String key, Supplier<ByteBuffer> bytes) {
                    return CudaCompiledModel.this.constant(key, bytes);
                }

                @Override
                public int multiprocessors() {
                    return ctx.device().multiprocessors();
                }

                @Override
                public io.srengine.cuda.plan.ConvTiling forcedTiling() {
                    return settings.tiling();
                }
            });
            return new CudaPlan(ctx, spec, arena[0], settings.graphs(), settings.debug());
        } catch (RuntimeException e) {
            if (arena[0] != null) {
                arena[0].close();
            }
            throw e;
        }
    }

    private long constant(String key, Supplier<ByteBuffer> bytes) {
        DeviceBuffer b = constants.get(key);
        if (b == null) {
            ByteBuffer data = bytes.get();
            b = ctx.allocator().allocate(Math.max(data.remaining(), 1));
            try {
                ctx.upload(b.address(), data);
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
            constants.put(key, b);
        }
        return b.address();
    }

    /** Number of cached plans (tests). */
    int planCount() {
        return plans.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ctx.makeCurrent();
            ctx.synchronize("closing the model");
        } finally {
            plans.values().forEach(CudaPlan::close);
            plans.clear();
            constants.values().forEach(DeviceBuffer::close);
            constants.clear();
        }
    }
}
