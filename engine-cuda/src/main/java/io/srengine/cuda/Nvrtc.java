package io.srengine.cuda;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/** Compiles a kernel source to a cubin for one architecture with NVRTC. */
final class Nvrtc {
    private Nvrtc() {}

    /**
     * @param name the source's file name, for messages
     * @param source the CUDA C++ text
     * @param headers reads an included header by name; null when it does not exist
     * @param arch the target architecture as a number, e.g. 90 for sm_90
     * @return the cubin
     * @throws SrException {@code BACKEND_ERROR} with NVRTC's log when the source does not compile
     */
    static byte[] compile(String name, String source, Function<String, String> headers, int arch) {
        List<String> includes = KernelResources.includes(source, headers);
        for (String h : includes) {
            if (headers.apply(h) == null) {
                throw new SrException(ErrorCode.BACKEND_ERROR, name + " includes " + h + ", which is not shipped");
            }
        }
        String[] options = {"--gpu-architecture=sm_" + arch, "--std=c++17", "-default-device"};
        _nvrtcProgram prog = new _nvrtcProgram();
        try (PointerPointer<BytePointer> hdrText = new PointerPointer<>(includes.size());
                PointerPointer<BytePointer> hdrNames = new PointerPointer<>(includes.size());
                PointerPointer<BytePointer> opts = new PointerPointer<>(options)) {
            BytePointer[] keep = new BytePointer[includes.size() * 2];
            for (int i = 0; i < includes.size(); i++) {
                keep[2 * i] = new BytePointer(headers.apply(includes.get(i)), StandardCharsets.UTF_8);
                keep[2 * i + 1] = new BytePointer(includes.get(i), StandardCharsets.UTF_8);
                hdrText.put(i, keep[2 * i]);
                hdrNames.put(i, keep[2 * i + 1]);
            }
            try (BytePointer src = new BytePointer(source, StandardCharsets.UTF_8);
                    BytePointer file = new BytePointer(name, StandardCharsets.UTF_8)) {
                CudaErrors.checkNvrtc(nvrtc.nvrtcCreateProgram(prog, src, file, includes.size(), hdrText, hdrNames),
                        "nvrtcCreateProgram(" + name + ")", null);
            } finally {
                for (BytePointer b : keep) {
                    b.close();
                }
            }
            try {
                int status = nvrtc.nvrtcCompileProgram(prog, options.length, opts);
                CudaErrors.checkNvrtc(status, "nvrtcCompileProgram(" + name + ", sm_" + arch + ")", status != 0 ? log(prog) : null);
                try (SizeTPointer size = new SizeTPointer(1)) {
                    CudaErrors.checkNvrtc(nvrtc.nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize(" + name + ")", null);
                    byte[] cubin = new byte[(int) size.get()];
                    CudaErrors.checkNvrtc(nvrtc.nvrtcGetCUBIN(prog, cubin), "nvrtcGetCUBIN(" + name + ")", null);
                    return cubin;
                }
            } finally {
                nvrtc.nvrtcDestroyProgram(prog);
            }
        }
    }

    private static String log(_nvrtcProgram prog) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(prog, size) != 0 || size.get() <= 1) {
                return null;
            }
            byte[] b = new byte[(int) size.get()];
            nvrtc.nvrtcGetProgramLog(prog, b);
            return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
        }
    }
}
