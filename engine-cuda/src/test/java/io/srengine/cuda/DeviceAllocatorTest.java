package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceAllocatorTest {
    /** A fake device: addresses from a counter, a byte budget, and a record of what is allocated. */
    static final class FakeMemory implements NativeMemory {
        final Map<Long, Long> allocated = new HashMap<>();
        long next = 1L << 32;
        long budget = Long.MAX_VALUE;
        int mallocs;

        @Override
        public long allocate(long bytes) {
            long used = allocated.values().stream().mapToLong(Long::longValue).sum();
            if (used + bytes > budget) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "cudaMalloc(" + bytes + " bytes) failed: out of memory");
            }
            long a = next;
            next += bytes + 4096;
            allocated.put(a, bytes);
            mallocs++;
            return a;
        }

        @Override
        public void free(long address) {
            if (allocated.remove(address) == null) {
                throw new AssertionError("double or foreign free of " + address);
            }
        }
    }

    @Test
    void roundsSmallRequestsTo512BytesAndLargeOnesTo2MiB() {
        assertEquals(512, DeviceAllocator.roundUp(1));
        assertEquals(512, DeviceAllocator.roundUp(512));
        assertEquals(1024, DeviceAllocator.roundUp(513));
        assertEquals(2L << 20, DeviceAllocator.roundUp((1L << 20) + 1));
        assertEquals(4L << 20, DeviceAllocator.roundUp((2L << 20) + 1));
    }

    @Test
    void reusesAFreedBlockOfTheSameSizeWithoutCallingTheDriver() {
        FakeMemory mem = new FakeMemory();
        try (DeviceAllocator a = new DeviceAllocator(mem)) {
            DeviceBuffer b1 = a.allocate(3_000_000);
            long addr = b1.address();
            b1.close();
            assertEquals(4L << 20, a.cachedBytes());
            DeviceBuffer b2 = a.allocate(2_900_000);
            assertEquals(addr, b2.address());
            assertEquals(1, mem.mallocs);
            assertEquals(0, a.cachedBytes());
            assertEquals(4L << 20, a.liveBytes());
        }
        assertTrue(mem.allocated.isEmpty(), "close frees every block");
    }

    @Test
    void doesNotHandOutAMuchLargerCachedBlock() {
        FakeMemory mem = new FakeMemory();
        try (DeviceAllocator a = new DeviceAllocator(mem)) {
            a.allocate(64L << 20).close();
            DeviceBuffer small = a.allocate(1000);
            assertEquals(2, mem.mallocs, "a 1 KB request does not take the cached 64 MiB block");
            assertEquals(64L << 20, a.cachedBytes());
            small.close();
        }
        assertTrue(mem.allocated.isEmpty());
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeMemory mem = new FakeMemory();
        mem.budget = 10L << 20;
        try (DeviceAllocator a = new DeviceAllocator(mem)) {
            a.allocate(6L << 20).close();
            DeviceBuffer b = a.allocate(8L << 20);
            assertEquals(0, a.cachedBytes());
            assertEquals(1, mem.allocated.size());
            SrException e = assertThrows(SrException.class, () -> a.allocate(4L << 20));
            assertEquals(ErrorCode.BACKEND_ERROR, e.code());
            b.close();
        }
    }

    @Test
    void closeIsIdempotentAndFreesBuffersStillInUse() {
        FakeMemory mem = new FakeMemory();
        DeviceAllocator a = new DeviceAllocator(mem);
        DeviceBuffer b = a.allocate(100);
        DeviceBuffer c = a.allocate(100);
        assertNotEquals(b.address(), c.address());
        c.close();
        c.close();
        a.close();
        a.close();
        assertTrue(mem.allocated.isEmpty());
        assertTrue(b.isClosed());
        assertThrows(IllegalStateException.class, b::address);
        assertThrows(IllegalStateException.class, () -> a.allocate(1));
    }

    @Test
    void tracksPeakAndLiveCounts() {
        FakeMemory mem = new FakeMemory();
        try (DeviceAllocator a = new DeviceAllocator(mem)) {
            DeviceBuffer x = a.allocate(512);
            DeviceBuffer y = a.allocate(1024);
            assertEquals(2, a.liveCount());
            x.close();
            y.close();
            assertEquals(0, a.liveCount());
            assertEquals(1536, a.peakBytes());
            a.trim();
            assertTrue(mem.allocated.isEmpty());
        }
    }
}
