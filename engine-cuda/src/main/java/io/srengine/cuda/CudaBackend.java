package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.cuda.plan.ConvTiling;
import io.srengine.cuda.plan.DeviceType;
import io.srengine.cuda.plan.Lowering;
import io.srengine.graph.Graph;
import io.srengine.spi.Backend;
import io.srengine.spi.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CUDA backend: hand-written kernels (the kernels module) launched through JavaCPP, activations
 * NHWC on the device in the session's precision (FP32, FP16 or BF16 with fp32 accumulation), one
 * plan per input shape replayed as a CUDA graph. Owns a {@link CudaContext}; {@code close()} closes
 * every compiled model and frees all device memory. Idempotent.
 *
 * <p>Session properties: {@code cuda.device} (ordinal, default 0), {@code cuda.graphs}
 * (true/false, default true), {@code cuda.debug} (synchronise after every kernel to name a failing
 * node, default false), {@code cuda.kernels} (auto, cubin, ptx or nvrtc), {@code cuda.plans} (input
 * shapes kept compiled per model, default 4), {@code cuda.conv.tile} (force one tensor-core tiling,
 * e.g. {@code 128x64}; for tests and tuning).
 */
public final class CudaBackend implements Backend {
    public static final String NAME = "cuda";

    /** Parsed session properties. */
    record Settings(int device, boolean graphs, boolean debug, KernelResources.Kind kernels, int maxPlans,
            ConvTiling tiling) {
        static Settings of(SessionOptions o) {
            Map<String, String> p = o.properties();
            String tile = p.get("cuda.conv.tile");
            ConvTiling t = tile == null ? null : ConvTiling.byName(tile.trim());
            if (tile != null && t == null) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "cuda.conv.tile must be one of "
                        + ConvTiling.ALL.stream().map(ConvTiling::name).toList() + ", not '" + tile + "'");
            }
            return new Settings(intProp(p, "cuda.device", 0, 0), boolProp(p, "cuda.graphs", true),
                    boolProp(p, "cuda.debug", false), KernelModules.parseForced(p.get("cuda.kernels")),
                    intProp(p, "cuda.plans", 4, 1), t);
        }

        private static int intProp(Map<String, String> p, String key, int def, int min) {
            String v = p.get(key);
            if (v == null) {
                return def;
            }
            try {
                int i = Integer.parseInt(v.trim());
                if (i >= min) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SrException(ErrorCode.INVALID_ARGUMENT, key + " must be an integer >= " + min + ", not '" + v + "'");
        }

        private static boolean boolProp(Map<String, String> p, String key, boolean def) {
            String v = p.get(key);
            if (v == null) {
                return def;
            }
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new SrException(ErrorCode.INVALID_ARGUMENT, key + " must be true or false, not '" + v + "'");
            };
        }
    }

    private final CudaContext ctx;
    private final DeviceType type;
    private final Settings settings;
    private final List<CudaCompiledModel> models = new ArrayList<>();
    private boolean closed;

    CudaBackend(SessionOptions options) {
        this.settings = Settings.of(options);
        this.type = DeviceType.of(options.precision());
        CudaProbe.Result probe = settings.device() == 0 ? CudaProbe.probe() : CudaProbe.probeNow(settings.device());
        if (probe.device() == null) {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "CUDA device " + settings.device() + ": " + probe.reason());
        }
        this.ctx = CudaContext.open(probe.device(), settings.kernels());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The device this backend runs on. */
    public CudaDevice device() {
        return ctx.device();
    }

    /** The context (allocator statistics, modules), for tests and benchmarks. */
    public CudaContext context() {
        return ctx;
    }

    @Override
    public Map<String, String> unsupportedNodes(Graph graph) {
        return Lowering.unsupported(graph);
    }

    @Override
    public synchronized CompiledModel compile(Graph graph) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the CUDA backend is closed");
        }
        CudaCompiledModel m = new CudaCompiledModel(ctx, graph.copy(), type, settings);
        models.add(m);
        return m;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            models.forEach(CudaCompiledModel::close);
        } finally {
            models.clear();
            ctx.close();
        }
    }
}
