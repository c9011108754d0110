package io.srengine.cuda;

import java.nio.ByteBuffer;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Everything one backend instance holds on one GPU: the device's primary context (made current on
 * whichever thread calls {@link #makeCurrent()}), a non-blocking stream, the caching allocator and
 * the loaded kernel modules. {@code close()} is idempotent; it synchronises the stream, then
 * releases modules, device memory and the stream, in that order.
 */
public final class CudaContext implements AutoCloseable {
    private final CudaDevice device;
    private final CUstream_st stream;
    private final DeviceAllocator allocator;
    private final KernelModules modules;
    private boolean closed;

    private CudaContext(CudaDevice device, CUstream_st stream, KernelResources.Kind forcedKernels) {
        this.device = device;
        this.stream = stream;
        this.allocator = new DeviceAllocator(new CudaMemory());
        this.modules = new KernelModules(device, forcedKernels);
    }

    /**
     * Opens device {@code device.index()}.
     *
     * @param forcedKernels the only kernel code path to use (see {@link KernelModules}), or null
     */
    public static CudaContext open(CudaDevice device, KernelResources.Kind forcedKernels) {
        CudaErrors.check(cudart.cudaSetDevice(device.index()), "cudaSetDevice(" + device.index() + ")");
        // The runtime creates the primary context lazily; cudaFree(0) forces it now so that
        // driver-API calls (module loading) find it current.
        CudaErrors.check(cudart.cudaFree(null), "cudaFree(null) (context creation)");
        CUstream_st s = new CUstream_st();
        CudaErrors.check(cudart.cudaStreamCreateWithFlags(s, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        return new CudaContext(device, s, forcedKernels);
    }

    public CudaDevice device() {
        return device;
    }

    public CUstream_st stream() {
        return stream;
    }

    public DeviceAllocator allocator() {
        return allocator;
    }

    public KernelModules modules() {
        return modules;
    }

    /** Makes the device's primary context current on the calling thread. */
    public void makeCurrent() {
        CudaErrors.check(cudart.cudaSetDevice(device.index()), "cudaSetDevice(" + device.index() + ")");
    }

    /** Waits for everything enqueued on the stream and reports any asynchronous error. */
    public void synchronize(String what) {
        CudaErrors.check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize (" + what + ")");
    }

    /** Copies host bytes to device memory and waits for the copy. */
    public void upload(long deviceAddress, ByteBuffer data) {
        int n = data.remaining();
        try (BytePointer host = new BytePointer(n)) {
            byte[] b = new byte[n];
            data.duplicate().get(b);
            host.put(b);
            CudaErrors.check(cudart.cudaMemcpyAsync(new RawPointer(deviceAddress), host, n,
                    cudart.cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(host to device, " + n + " bytes)");
            synchronize("upload");
        }
    }

    /** Enqueues a copy of {@code bytes} from pinned host memory to the device. */
    public void copyToDevice(long deviceAddress, Pointer pinned, long bytes) {
        CudaErrors.check(cudart.cudaMemcpyAsync(new RawPointer(deviceAddress), pinned, bytes,
                cudart.cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(host to device, " + bytes + " bytes)");
    }

    /** Enqueues a copy of {@code bytes} from the device to pinned host memory. */
    public void copyToHost(Pointer pinned, long deviceAddress, long bytes) {
        CudaErrors.check(cudart.cudaMemcpyAsync(pinned, new RawPointer(deviceAddress), bytes,
                cudart.cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(device to host, " + bytes + " bytes)");
    }

    /** Enqueues a fill of device memory with a byte value. */
    public void fill(long deviceAddress, int value, long bytes) {
        CudaErrors.check(cudart.cudaMemsetAsync(new RawPointer(deviceAddress), value, bytes, stream),
                "cudaMemsetAsync(" + bytes + " bytes)");
    }

    /** Free and total device memory in bytes, as the driver reports them. */
    public long[] memoryInfo() {
        try (org.bytedeco.javacpp.SizeTPointer free = new org.bytedeco.javacpp.SizeTPointer(1);
                org.bytedeco.javacpp.SizeTPointer total = new org.bytedeco.javacpp.SizeTPointer(1)) {
            CudaErrors.check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return new long[] {free.get(), total.get()};
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            makeCurrent();
            synchronize("close");
        } finally {
            try {
                modules.close();
            } finally {
                try {
                    allocator.close();
                } finally {
                    CudaErrors.check(cudart.cudaStreamDestroy(stream), "cudaStreamDestroy");
                }
            }
        }
    }

    /** cudaMalloc / cudaFree. */
    private static final class CudaMemory implements NativeMemory {
        @Override
        public long allocate(long bytes) {
            Pointer p = new Pointer();
            CudaErrors.check(cudart.cudaMalloc(p, bytes), "cudaMalloc(" + bytes + " bytes)");
            return p.address();
        }

        @Override
        public void free(long address) {
            CudaErrors.check(cudart.cudaFree(new RawPointer(address)), "cudaFree");
        }
    }
}
