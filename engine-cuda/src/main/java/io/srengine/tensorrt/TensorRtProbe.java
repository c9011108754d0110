package io.srengine.tensorrt;

import io.srengine.cuda.CudaDevice;
import io.srengine.cuda.CudaProbe;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;

/**
 * Finds out, once per JVM, whether TensorRT can run here: libnvinfer is loadable (looked up with the
 * system's dynamic loader, without loading the JNI bindings, so the answer is right even where
 * there is no GPU), a CUDA device is present ({@link CudaProbe}), the JavaCPP bindings load, and the
 * library's major version is the one the bindings were built for. Never throws.
 */
public final class TensorRtProbe {
    /** The library the JavaCPP bindings (org.bytedeco:tensorrt 11.2) link against. */
    public static final String LIBRARY = "libnvinfer.so.11";
    /** The TensorRT major version of the bindings. */
    public static final int MAJOR = 11;

    /**
     * The outcome: {@code reason} is null when TensorRT can run, and then {@code device} and {@code
     * version} (e.g. "11.2.1") are set.
     *
     * @param device the GPU TensorRT runs on (device 0, or the one the system property {@code
     *     srengine.cuda.device} names), or null when it cannot run
     * @param version the loaded library's version, e.g. "11.2.1"; null when it could not be loaded
     * @param reason why TensorRT cannot run here, or null when it can
     */
    public record Result(CudaDevice device, String version, String reason) {
        /**
         * The reason as an optional, as {@link io.srengine.spi.BackendProvider#unavailableReason()} wants it.
         *
         * @return empty when TensorRT can run
         */
        public Optional<String> unavailableReason() {
            return Optional.ofNullable(reason);
        }
    }

    private static volatile Result cached;

    private TensorRtProbe() {}

    /**
     * Probes once per JVM and returns the remembered answer afterwards. Thread-safe; never throws.
     *
     * @return the outcome
     */
    public static Result probe() {
        Result r = cached;
        if (r == null) {
            synchronized (TensorRtProbe.class) {
                if (cached == null) {
                    cached = probeNow();
                }
                r = cached;
            }
        }
        return r;
    }

    private static Result probeNow() {
        List<String> reasons = new ArrayList<>();
        String lib = libraryProblem(LIBRARY);
        if (lib != null) {
            reasons.add(lib);
        }
        CudaProbe.Result cuda = CudaProbe.probe();
        if (cuda.device() == null) {
            reasons.add("no GPU (" + cuda.reason() + ")");
        }
        if (!reasons.isEmpty()) {
            return new Result(null, null, String.join("; ", reasons));
        }
        try {
            Loader.load(nvinfer.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return new Result(null, null, explainLoadFailure(e));
        }
        String version = versionString(nvinfer.getInferLibVersion());
        String mismatch = majorMismatch(nvinfer.getInferLibVersion());
        return mismatch != null ? new Result(null, version, mismatch) : new Result(cuda.device(), version, null);
    }

    /** Null when the dynamic loader can open {@code library}, else the reason. */
    @SuppressWarnings("restricted") // dlopen through FFM; native access is enabled by the launcher and test JVMs
    static String libraryProblem(String library) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(library, arena);
            return null;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return "TensorRT not found: " + library + " cannot be loaded (install TensorRT " + MAJOR
                    + " and put its lib directory on LD_LIBRARY_PATH)";
        }
    }

    /**
     * Spells TensorRT's version number.
     *
     * @param v major * 10000 + minor * 100 + patch, as {@code getInferLibVersion()} returns it
     * @return e.g. "11.2.1"
     */
    public static String versionString(int v) {
        return (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
    }

    /** Null when the library's major version is the bindings', else the reason. */
    static String majorMismatch(int libraryVersion) {
        int major = libraryVersion / 10000;
        return major == MAJOR ? null : "TensorRT " + versionString(libraryVersion) + " is installed, but srengine's"
                + " bindings (org.bytedeco:tensorrt 11.2) need TensorRT " + MAJOR;
    }

    /** A reason for a failure to load the JNI bindings, naming the missing library when it is known. */
    static String explainLoadFailure(Throwable e) {
        StringBuilder m = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            m.append(" / ").append(c.getMessage());
        }
        String s = m.toString();
        if (s.contains("libnvonnxparser")) {
            return "TensorRT's ONNX parser not found: libnvonnxparser.so.11 cannot be loaded";
        }
        if (s.contains("libnvinfer")) {
            return "TensorRT not found: " + LIBRARY + " cannot be loaded";
        }
        if (s.contains("libcuda.so")) {
            return "no GPU (no NVIDIA driver: libcuda.so.1 cannot be loaded)";
        }
        if (e instanceof NoClassDefFoundError && s.contains("org/bytedeco")) {
            return "the JavaCPP TensorRT bindings (org.bytedeco:tensorrt) are not on the class path (" + s + ")";
        }
        return "the JavaCPP TensorRT native library could not be loaded: " + s;
    }
}
