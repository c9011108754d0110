package io.srengine.cuda;

import java.nio.ByteBuffer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One kernel entry point of a loaded module. Launches take the packed parameter struct (see
 * {@link KernelArgs}). Valid until its {@link KernelModules} is closed.
 */
public final class KernelFunction {
    /** Dynamic shared memory every kernel may use without opting in. */
    static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    private final String module;
    private final String name;
    private final CUfunc_st handle;
    private int sharedLimit = DEFAULT_SHARED_LIMIT;

    KernelFunction(String module, String name, CUfunc_st handle) {
        this.module = module;
        this.name = name;
        this.handle = handle;
    }

    public String name() {
        return name;
    }

    public String module() {
        return module;
    }

    /** Raises the function's dynamic shared-memory limit when a launch needs more than 48 KiB. */
    synchronized void ensureSharedMemory(int bytes) {
        if (bytes > sharedLimit) {
            CudaErrors.checkDriver(cudart.cuFuncSetAttribute(handle,
                    cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                    "cuFuncSetAttribute(" + name + ", max dynamic shared memory " + bytes + ")");
            sharedLimit = bytes;
        }
    }

    /** A launch of this function with its parameters copied into native memory. */
    public Launch prepare(LaunchGeometry geometry, ByteBuffer params) {
        ensureSharedMemory(geometry.sharedBytes());
        return new Launch(this, geometry, params);
    }

    /**
     * A ready-to-go launch: function, geometry and a native copy of the parameter struct. Owns
     * native memory until {@link #close()}.
     */
    public static final class Launch implements AutoCloseable {
        private final KernelFunction function;
        private final LaunchGeometry geometry;
        private BytePointer params;
        private PointerPointer<BytePointer> paramList;

        Launch(KernelFunction function, LaunchGeometry geometry, ByteBuffer params) {
            this.function = function;
            this.geometry = geometry;
            this.params = new BytePointer(params.remaining());
            this.params.put(toArray(params));
            this.paramList = new PointerPointer<>(1);
            this.paramList.put(0, this.params);
        }

        private static byte[] toArray(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return a;
        }

        public KernelFunction function() {
            return function;
        }

        public LaunchGeometry geometry() {
            return geometry;
        }

        /** Enqueues the launch on {@code stream} (also while the stream is being captured into a graph). */
        public void enqueue(CUstream_st stream) {
            int[] g = geometry.grid();
            int[] b = geometry.block();
            CudaErrors.checkDriver(cudart.cuLaunchKernel(function.handle, g[0], g[1], g[2], b[0], b[1], b[2],
                    geometry.sharedBytes(), stream, paramList, null), "cuLaunchKernel(" + function.name + ", " + geometry + ")");
        }

        @Override
        public void close() {
            if (params != null) {
                paramList.close();
                params.close();
                params = null;
                paramList = null;
            }
        }
    }
}
