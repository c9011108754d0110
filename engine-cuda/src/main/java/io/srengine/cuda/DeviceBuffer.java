package io.srengine.cuda;

/**
 * A block of device memory from a {@link DeviceAllocator}. Closing it gives the memory back to the
 * allocator's cache (not to the driver); {@code close()} is idempotent. Must be closed before the
 * allocator, or the allocator frees it when it closes.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final DeviceAllocator owner;
    private final long address;
    private final long size;
    private final long capacity;
    private boolean closed;

    DeviceBuffer(DeviceAllocator owner, long address, long size, long capacity) {
        this.owner = owner;
        this.address = address;
        this.size = size;
        this.capacity = capacity;
    }

    /** The device address of the first byte. */
    public long address() {
        checkOpen();
        return address;
    }

    /** The requested size in bytes. */
    public long size() {
        return size;
    }

    /** The size of the underlying block (the request rounded up to the allocator's granularity). */
    long capacity() {
        return capacity;
    }

    long rawAddress() {
        return address;
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("device buffer used after close()");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(this);
        }
    }
}
