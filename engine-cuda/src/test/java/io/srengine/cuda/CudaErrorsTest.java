package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CudaErrorsTest {
    @Test
    void messagesNameTheCallAndCudasOwnNameAndText() {
        assertEquals("cudaMalloc(1048576 bytes) failed: cudaErrorMemoryAllocation (2): out of memory",
                CudaErrors.message("cudaMalloc(1048576 bytes)", 2, "cudaErrorMemoryAllocation", "out of memory"));
        assertEquals("cuModuleLoadData(x) failed: error (209)", CudaErrors.message("cuModuleLoadData(x)", 209, null, null));
    }

    @Test
    void loadFailuresSayWhichLibraryIsMissing() {
        assertTrue(CudaProbe.explainLoadFailure(new UnsatisfiedLinkError(
                "/root/.javacpp/cache/libjnicudart.so: libcuda.so.1: cannot open shared object file"))
                .startsWith("no NVIDIA driver: libcuda.so.1 cannot be loaded"));
        assertTrue(CudaProbe.explainLoadFailure(new UnsatisfiedLinkError("no jnicudart: libcudart.so.13: not found"))
                .contains("libcudart.so.13 is not on the library path"));
        assertTrue(CudaProbe.explainLoadFailure(new NoClassDefFoundError("org/bytedeco/cuda/global/cudart"))
                .contains("org.bytedeco:cuda"));
    }
}
