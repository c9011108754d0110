package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void threadsStartOnlyWhenALoopNeedsThem() {
        AtomicInteger made = new AtomicInteger();
        try (WorkerPool pool = new WorkerPool(4, r -> {
            made.incrementAndGet();
            return new Thread(r);
        })) {
            assertEquals(0, made.get(), "no thread before the first loop");
            pool.run((w, i) -> {}, 1);
            assertEquals(0, made.get(), "a loop of one item runs on the caller");
            AtomicIntegerArray seen = new AtomicIntegerArray(100);
            pool.run((w, i) -> seen.incrementAndGet(i), 100);
            assertEquals(3, made.get());
            for (int i = 0; i < 100; i++) {
                assertEquals(1, seen.get(i));
            }
        }
    }

    /** The system refusing a thread (as at its process limit) stops those already started. */
    @Test
    void aRefusedThreadStopsTheOthersAndSaysSo() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        WorkerPool pool = new WorkerPool(8, r -> {
            if (made.incrementAndGet() == 4) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
            return new Thread(r);
        });
        SrException e = assertThrows(SrException.class, () -> pool.run((w, i) -> {}, 50));
        assertEquals(ErrorCode.BACKEND_ERROR, e.code());
        assertTrue(e.getMessage().contains("worker thread 4 of 8") && e.getMessage().contains("use fewer threads"), e.getMessage());
        for (int i = 0; i < 200 && pool.liveDaemons() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, pool.liveDaemons(), "the three started threads end");
        assertEquals(ErrorCode.CLOSED, assertThrows(SrException.class, () -> pool.run((w, i) -> {}, 50)).code());
        pool.close();
    }

    @Test
    void sessionOptionsRefuseAbsurdThreadCounts() {
        SrException e = assertThrows(SrException.class, () -> SessionOptions.builder().threads(100_000).build());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("between 0 (one per processor) and " + SessionOptions.MAX_THREADS), e.getMessage());
        assertThrows(SrException.class, () -> SessionOptions.builder().threads(-1).build());
        assertEquals(SessionOptions.MAX_THREADS, SessionOptions.builder().threads(SessionOptions.MAX_THREADS).build().threads());
    }
}
