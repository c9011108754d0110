package io.srengine.kernels;

/**
 * Where srengine's CUDA kernel resources live. For each kernel module {@code NAME} the folder holds
 * {@code NAME.cu} with the {@code .cuh} headers it includes (compiled at run time with NVRTC when
 * nothing better fits the device) and, when the build had nvcc, {@code NAME.sm_ARCH.cubin} and
 * {@code NAME.compute_ARCH.ptx}.
 */
public final class KernelFiles {
    /** The resource folder, {@value}, as class-loader resource paths name it. */
    public static final String DIR = "io/srengine/kernels/";

    private KernelFiles() {}
}
