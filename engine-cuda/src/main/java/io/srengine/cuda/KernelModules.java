package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;

/**
 * Loads kernel modules (one per op source file) for one device and hands out their functions.
 * Each module comes from the best {@link KernelResources} candidate that loads: a prebuilt cubin,
 * else the PTX through the driver's JIT, else the source through {@link Nvrtc}. The system property
 * or session option {@code cuda.kernels} = {@code cubin}, {@code ptx} or {@code nvrtc} forces one
 * path (for tests). Modules stay loaded until {@link #close()}. Thread-safe.
 */
public final class KernelModules implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.srengine.cuda");

    private final CudaDevice device;
    private final KernelResources.Kind forced;
    private final ClassLoader loader;
    private final Map<String, CUmod_st> modules = new HashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final Map<String, KernelFunction> functions = new HashMap<>();
    private boolean closed;

    /**
     * @param forced the only path to use, or null for the normal order
     */
    public KernelModules(CudaDevice device, KernelResources.Kind forced) {
        this.device = device;
        this.forced = forced;
        this.loader = KernelModules.class.getClassLoader();
    }

    /** Parses the {@code cuda.kernels} option: auto (null), cubin, ptx or nvrtc. */
    public static KernelResources.Kind parseForced(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("auto")) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "cubin" -> KernelResources.Kind.CUBIN;
            case "ptx" -> KernelResources.Kind.PTX;
            case "nvrtc", "source" -> KernelResources.Kind.SOURCE;
            default -> throw new SrException(ErrorCode.INVALID_ARGUMENT,
                    "cuda.kernels must be auto, cubin, ptx or nvrtc, not '" + value + "'");
        };
    }

    /** The function {@code name} of module {@code op} (e.g. "conv2d", "conv2d_tc_f16_128x64"). */
    public synchronized KernelFunction function(String op, String name) {
        if (closed) {
            throw new IllegalStateException("kernel modules are closed");
        }
        String key = op + "/" + name;
        KernelFunction f = functions.get(key);
        if (f == null) {
            CUmod_st m = module(op);
            CUfunc_st h = new CUfunc_st();
            CudaErrors.checkDriver(cudart.cuModuleGetFunction(h, m, name), "cuModuleGetFunction(" + op + ", " + name + ")");
            f = new KernelFunction(op, name, h);
            functions.put(key, f);
        }
        return f;
    }

    /** How each loaded module was obtained, e.g. {@code conv2d -> cubin sm_90}. */
    public synchronized Map<String, String> origins() {
        return Map.copyOf(origins);
    }

    private CUmod_st module(String op) {
        CUmod_st m = modules.get(op);
        if (m != null) {
            return m;
        }
        List<KernelResources.Candidate> candidates = KernelResources.candidates(op, device.major(), device.minor(),
                r -> loader.getResource(r) != null);
        List<String> failures = new ArrayList<>();
        for (KernelResources.Candidate c : candidates) {
            if (forced != null && c.kind() != forced) {
                continue;
            }
            try {
                m = load(op, c);
                modules.put(op, m);
                String origin = switch (c.kind()) {
                    case CUBIN -> "cubin sm_" + c.arch();
                    case PTX -> "PTX compute_" + c.arch() + " (driver JIT)";
                    case SOURCE -> "NVRTC sm_" + c.arch();
                };
                origins.put(op, origin);
                LOG.log(Level.DEBUG, "kernel module {0}: {1}", op, origin);
                return m;
            } catch (SrException e) {
                failures.add(c.resource() + ": " + e.getMessage());
                LOG.log(Level.INFO, "kernel module {0}: {1} did not load: {2}", op, c.resource(), e.getMessage());
            }
        }
        throw new SrException(ErrorCode.BACKEND_ERROR, "no usable code for kernel module '" + op + "' on " + device
                + (forced != null ? " (cuda.kernels=" + forced.name().toLowerCase(Locale.ROOT) + ")" : "")
                + (failures.isEmpty() ? ": no resource under " + KernelResources.DIR + " (is the kernels jar on the class path?)"
                        : ": " + String.join("; ", failures)));
    }

    private CUmod_st load(String op, KernelResources.Candidate c) {
        byte[] image = switch (c.kind()) {
            case CUBIN -> read(c.resource());
            case PTX -> nulTerminated(read(c.resource()));
            case SOURCE -> Nvrtc.compile(op + ".cu", new String(read(c.resource()), StandardCharsets.UTF_8),
                    name -> readText(KernelResources.DIR + name), c.arch());
        };
        CUmod_st m = new CUmod_st();
        try (BytePointer data = new BytePointer(image.length)) {
            data.put(image);
            CudaErrors.checkDriver(cudart.cuModuleLoadData(m, data), "cuModuleLoadData(" + c.resource() + ")");
        }
        return m;
    }

    private static byte[] nulTerminated(byte[] text) {
        byte[] b = new byte[text.length + 1];
        System.arraycopy(text, 0, b, 0, text.length);
        return b;
    }

    private byte[] read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "kernel resource " + resource + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readText(String resource) {
        return loader.getResource(resource) == null ? null : new String(read(resource), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        functions.clear();
        SrException first = null;
        for (Map.Entry<String, CUmod_st> e : modules.entrySet()) {
            int status = cudart.cuModuleUnload(e.getValue());
            if (status != 0 && first == null) {
                try {
                    CudaErrors.checkDriver(status, "cuModuleUnload(" + e.getKey() + ")");
                } catch (SrException ex) {
                    first = ex;
                }
            }
        }
        modules.clear();
        if (first != null) {
            throw first;
        }
    }
}
