package io.srengine.cuda;

import java.util.Optional;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out, once per JVM, whether the CUDA backend can run here and on which device, without
 * creating anything beyond what loading the libraries and asking the driver does. The answer is a
 * reason (why not) or the device description.
 */
public final class CudaProbe {
    /** The outcome: exactly one of {@code device} and {@code reason} is non-null. */
    public record Result(CudaDevice device, String reason) {
        public Optional<String> unavailableReason() {
            return Optional.ofNullable(reason);
        }
    }

    private static volatile Result cached;

    private CudaProbe() {}

    /** Probes device 0, or the device named by the system property {@code srengine.cuda.device}. */
    public static Result probe() {
        Result r = cached;
        if (r == null) {
            synchronized (CudaProbe.class) {
                if (cached == null) {
                    cached = probeNow(Integer.getInteger("srengine.cuda.device", 0));
                }
                r = cached;
            }
        }
        return r;
    }

    /** Probes one device ordinal (not cached). */
    public static Result probeNow(int ordinal) {
        if (!driverPresent()) {
            return new Result(null, "no NVIDIA driver: libcuda.so.1 cannot be loaded");
        }
        try {
            Loader.load(cudart.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return new Result(null, explainLoadFailure(e));
        }
        int[] v = new int[1];
        if (cudart.cudaDriverGetVersion(v) != 0 || v[0] == 0) {
            return new Result(null, "no NVIDIA driver is installed (cudaDriverGetVersion reports none)");
        }
        int driver = v[0];
        int status = cudart.cudaRuntimeGetVersion(v);
        int runtime = status == 0 ? v[0] : 0;
        int[] count = new int[1];
        status = cudart.cudaGetDeviceCount(count);
        if (status == cudart.cudaErrorNoDevice) {
            return new Result(null, "no CUDA device is visible (cudaGetDeviceCount: no CUDA-capable device;"
                    + " check CUDA_VISIBLE_DEVICES)");
        }
        if (status == cudart.cudaErrorInsufficientDriver) {
            return new Result(null, "the NVIDIA driver (CUDA " + CudaDevice.versionString(driver)
                    + ") is older than the CUDA runtime (" + CudaDevice.versionString(runtime) + ")");
        }
        if (status != 0) {
            return new Result(null, "cudaGetDeviceCount failed: " + cudart.cudaGetErrorString(status).getString());
        }
        if (count[0] == 0) {
            return new Result(null, "no CUDA device is visible");
        }
        if (ordinal < 0 || ordinal >= count[0]) {
            return new Result(null, "CUDA device " + ordinal + " does not exist (" + count[0] + " visible)");
        }
        try (cudaDeviceProp p = new cudaDeviceProp()) {
            status = cudart.cudaGetDeviceProperties(p, ordinal);
            if (status != 0) {
                return new Result(null, "cudaGetDeviceProperties(" + ordinal + ") failed: "
                        + cudart.cudaGetErrorString(status).getString());
            }
            int[] optin = new int[1];
            cudart.cudaDeviceGetAttribute(optin, cudart.cudaDevAttrMaxSharedMemoryPerBlockOptin, ordinal);
            CudaDevice d = new CudaDevice(ordinal, p.name().getString(), p.major(), p.minor(),
                    p.multiProcessorCount(), p.totalGlobalMem(), optin[0], driver, runtime);
            if (d.major() < CudaDevice.MIN_MAJOR) {
                return new Result(null, d.name() + " has compute capability " + d.capabilityString()
                        + "; srengine's CUDA kernels need " + CudaDevice.MIN_MAJOR + ".0 or newer");
            }
            return new Result(d, null);
        }
    }

    /**
     * Whether the driver library can be opened at all: a dlopen through the FFM API, which costs a
     * millisecond where loading JavaCPP's bindings (which would fail the same way) costs a quarter of
     * a second of every CPU-only start. Only on Linux; elsewhere JavaCPP is asked directly.
     */
    static boolean driverPresent() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return true;
        }
        try {
            java.lang.foreign.SymbolLookup.libraryLookup("libcuda.so.1", java.lang.foreign.Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (RuntimeException | LinkageError e) {
            return true; // cannot tell (native access denied, ...): let JavaCPP try and report
        }
    }

    /** A reason for a failure to load the JNI bindings, naming the missing library when it is known. */
    static String explainLoadFailure(Throwable e) {
        String m = String.valueOf(e.getMessage());
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            m += " / " + c.getMessage();
        }
        if (m.contains("libcuda.so")) {
            // The loader's message lists java.library.path and JavaCPP's cache: noise on every CPU-only run.
            return "no NVIDIA driver: libcuda.so.1 cannot be loaded";
        }
        if (m.contains("libcudart")) {
            return "the CUDA 13 runtime library libcudart.so.13 is not on the library path (" + m + ")";
        }
        if (m.contains("libnvrtc")) {
            return "the NVRTC library libnvrtc.so.13 is not on the library path (" + m + ")";
        }
        if (e instanceof NoClassDefFoundError && m.contains("org/bytedeco")) {
            return "the JavaCPP CUDA bindings (org.bytedeco:cuda) are not on the class path (" + m + ")";
        }
        return "the JavaCPP CUDA native library could not be loaded: " + e;
    }
}
