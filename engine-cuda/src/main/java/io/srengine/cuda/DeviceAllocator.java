package io.srengine.cuda;

import io.srengine.SrException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A caching device allocator: freed blocks are kept and handed out again for requests of about the
 * same size, so that compiling a plan for a new input shape or re-running one does not go through
 * cudaMalloc/cudaFree (which synchronise the device) every time.
 *
 * <p>Requests below 1 MiB are rounded up to 512 bytes, larger ones to 2 MiB. A cached block serves
 * a request when it is at most 25% larger. When the device runs out of memory the cache is freed
 * and the allocation retried once. Thread-safe. {@link #close()} frees every block, cached or
 * still handed out; it is idempotent.
 */
public final class DeviceAllocator implements AutoCloseable {
    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_GRANULE = 512;
    static final long LARGE_GRANULE = 2L << 20;

    private final NativeMemory memory;
    private final TreeMap<Long, ArrayDeque<Long>> cache = new TreeMap<>();
    private final Set<DeviceBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long cachedBytes;
    private long liveBytes;
    private long peakBytes;
    private boolean closed;

    DeviceAllocator(NativeMemory memory) {
        this.memory = memory;
    }

    /** The block size a request of {@code bytes} is rounded up to. */
    static long roundUp(long bytes) {
        long b = Math.max(bytes, 1);
        long g = b < SMALL_LIMIT ? SMALL_GRANULE : LARGE_GRANULE;
        return (b + g - 1) / g * g;
    }

    /**
     * A block of at least {@code bytes} bytes, 256-byte aligned (cudaMalloc's guarantee).
     *
     * @throws SrException {@code BACKEND_ERROR} when the device has no memory left even after the
     *     cache is emptied
     */
    public synchronized DeviceBuffer allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("allocator is closed");
        }
        long capacity = roundUp(bytes);
        Long address = null;
        Map.Entry<Long, ArrayDeque<Long>> e = cache.ceilingEntry(capacity);
        if (e != null && e.getKey() <= capacity + capacity / 4) {
            capacity = e.getKey();
            address = e.getValue().pop();
            if (e.getValue().isEmpty()) {
                cache.remove(e.getKey());
            }
            cachedBytes -= capacity;
        }
        if (address == null) {
            try {
                address = memory.allocate(capacity);
            } catch (SrException oom) {
                if (cachedBytes == 0) {
                    throw oom;
                }
                trim();
                address = memory.allocate(capacity);
            }
        }
        DeviceBuffer b = new DeviceBuffer(this, address, bytes, capacity);
        live.add(b);
        liveBytes += capacity;
        peakBytes = Math.max(peakBytes, liveBytes);
        return b;
    }

    synchronized void release(DeviceBuffer b) {
        if (!live.remove(b)) {
            return;
        }
        liveBytes -= b.capacity();
        if (closed) {
            memory.free(b.rawAddress());
            return;
        }
        cache.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).push(b.rawAddress());
        cachedBytes += b.capacity();
    }

    /** Frees every cached block back to the driver. */
    public synchronized void trim() {
        List<Long> addresses = new ArrayList<>();
        cache.values().forEach(addresses::addAll);
        cache.clear();
        cachedBytes = 0;
        for (long a : addresses) {
            memory.free(a);
        }
    }

    /** Bytes in blocks handed out and not yet closed. */
    public synchronized long liveBytes() {
        return liveBytes;
    }

    /** Bytes kept in the cache. */
    public synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** The most bytes ever handed out at once. */
    public synchronized long peakBytes() {
        return peakBytes;
    }

    /** Number of blocks handed out and not yet closed. */
    public synchronized int liveCount() {
        return live.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        trim();
        closed = true;
        for (DeviceBuffer b : List.copyOf(live)) {
            b.close();
        }
    }
}
