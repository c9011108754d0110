package io.srengine.cuda;

/**
 * What the engine needs to know about one GPU.
 *
 * @param index the CUDA device ordinal
 * @param name the marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param major compute capability, major part
 * @param minor compute capability, minor part
 * @param multiprocessors number of SMs
 * @param totalMemory device memory in bytes
 * @param maxSharedPerBlock the most dynamic shared memory one block may opt in to, in bytes
 * @param driverVersion the driver's CUDA version as CUDA encodes it (1000 * major + 10 * minor)
 * @param runtimeVersion the loaded runtime's version, same encoding
 */
public record CudaDevice(int index, String name, int major, int minor, int multiprocessors, long totalMemory,
        int maxSharedPerBlock, int driverVersion, int runtimeVersion) {
    /** The oldest compute capability the kernels are built for (cp.async, bf16 mma and ldmatrix need sm_80). */
    public static final int MIN_MAJOR = 8;

    /** Compute capability as one number, e.g. 90 for 9.0. */
    public int computeCapability() {
        return major * 10 + minor;
    }

    /** "9.0"-style spelling. */
    public String capabilityString() {
        return major + "." + minor;
    }

    /** A CUDA version number such as 13000 spelled "13.0". */
    public static String versionString(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }

    @Override
    public String toString() {
        return "GPU " + index + " (" + name + ", compute capability " + capabilityString() + ", " + multiprocessors
                + " SMs, " + (totalMemory >> 20) + " MiB, driver CUDA " + versionString(driverVersion) + ", runtime "
                + versionString(runtimeVersion) + ")";
    }
}
