package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;

/**
 * Turns CUDA runtime, driver and NVRTC status codes into {@link SrException}s with code {@link
 * ErrorCode#BACKEND_ERROR}, naming the call that failed and CUDA's own name and description of the
 * error.
 */
public final class CudaErrors {
    private CudaErrors() {}

    /** Checks a CUDA runtime status ({@code cudaError_t}). */
    public static void check(int status, String call) {
        if (status != 0) {
            throw new SrException(ErrorCode.BACKEND_ERROR, message(call, status,
                    string(cudart.cudaGetErrorName(status)), string(cudart.cudaGetErrorString(status))));
        }
    }

    /** Checks a CUDA driver status ({@code CUresult}). */
    public static void checkDriver(int status, String call) {
        if (status != 0) {
            String name;
            String text;
            // The driver hands back pointers to its own static strings; nothing to free.
            try (BytePointer n = new BytePointer(); BytePointer t = new BytePointer()) {
                name = cudart.cuGetErrorName(status, n) == 0 ? string(n) : null;
                text = cudart.cuGetErrorString(status, t) == 0 ? string(t) : null;
            }
            throw new SrException(ErrorCode.BACKEND_ERROR, message(call, status, name, text));
        }
    }

    /** Checks an NVRTC status ({@code nvrtcResult}); {@code log} is the compiler's output, if any. */
    public static void checkNvrtc(int status, String call, String log) {
        if (status != 0) {
            String m = message(call, status, null, string(nvrtc.nvrtcGetErrorString(status)));
            throw new SrException(ErrorCode.BACKEND_ERROR, log == null || log.isBlank() ? m : m + "\n" + log.strip());
        }
    }

    /**
     * The message for a failed call, e.g. {@code "cudaMalloc(1048576 bytes) failed: cudaErrorMemoryAllocation
     * (2): out of memory"}.
     */
    static String message(String call, int status, String name, String text) {
        StringBuilder sb = new StringBuilder(call).append(" failed: ");
        sb.append(name == null ? "error" : name).append(" (").append(status).append(')');
        if (text != null && !text.isBlank()) {
            sb.append(": ").append(text);
        }
        return sb.toString();
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? null : p.getString();
    }
}
