package io.srengine.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Page-locked host memory for staging float32 tensors between the Java heap and the device:
 * copies from pinned memory run at full bus speed and asynchronously. Grows on demand (the old
 * block is freed). Not thread-safe; {@code close()} is idempotent and frees the memory.
 */
public final class PinnedBuffer implements AutoCloseable {
    private Pointer block;
    private FloatPointer floats;
    private long capacity;

    /** A float view of at least {@code count} floats; its contents are undefined after growth. */
    public FloatPointer floats(long count) {
        long bytes = count * Float.BYTES;
        if (bytes > capacity) {
            free();
            Pointer p = new Pointer();
            CudaErrors.check(cudart.cudaHostAlloc(p, Math.max(bytes, 1), cudart.cudaHostAllocDefault),
                    "cudaHostAlloc(" + bytes + " bytes)");
            block = p;
            capacity = bytes;
            floats = new FloatPointer(p);
        }
        floats.position(0).limit(count);
        return floats;
    }

    /** The address of the first byte, for copies. */
    public Pointer pointer() {
        return block;
    }

    private void free() {
        if (block != null) {
            CudaErrors.check(cudart.cudaFreeHost(block), "cudaFreeHost");
            block = null;
            floats = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        free();
    }
}
