package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that run one parallel loop at a time: the calling thread plus
 * {@code threads - 1} daemons. Items are handed out one by one from a shared counter, so a fast thread
 * takes more of them; results never depend on which thread ran an item, because every item writes
 * its own part of the output with a fixed order of arithmetic. Dispatch allocates nothing.
 *
 * <p>Lifetime: the daemons are started by the first loop that has work for them (a session that is
 * created and closed without running, or whose loops are all single items, starts none) and live
 * until {@link #close()} (idempotent). Should the system refuse a thread, those already started are
 * stopped and the loop fails with a message that says to use fewer threads. Not for use by several
 * callers at once; {@link #run} is synchronized to keep a misuse from corrupting a loop.
 */
final class WorkerPool implements AutoCloseable {
    /** The body of a parallel loop. */
    @FunctionalInterface
    interface Task {
        /**
         * Runs item {@code item}.
         *
         * @param worker 0 for the calling thread, 1..threads-1 for the daemons: an index into per-thread
         *     scratch buffers
         */
        void run(int worker, int item);
    }

    /** Busy-wait rounds before parking: wake-up latency matters for the many short loops of a model. */
    private static final int SPINS = 1 << 12;

    private final int threads;
    private final Thread[] daemons;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int items;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Thread caller;
    private final ThreadFactory factory;
    private boolean started;

    WorkerPool(int threads) {
        this(threads, Thread::new);
    }

    /** With the threads made by {@code factory} (tests use one that fails). */
    WorkerPool(int threads, ThreadFactory factory) {
        if (threads < 1) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a worker pool needs at least one thread, got " + threads);
        }
        this.threads = threads;
        this.daemons = new Thread[threads - 1];
        this.factory = factory;
    }

    /** Starts the daemons; on failure stops those started and throws. */
    private void start() {
        started = true;
        int i = 0;
        try {
            for (; i < daemons.length; i++) {
                int id = i + 1;
                Thread t = factory.newThread(() -> loop(id));
                t.setName("srengine-cpu-" + id);
                t.setDaemon(true);
                daemons[i] = t;
                t.start();
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            daemons[i] = null;
            closed = true;
            for (Thread t : daemons) {
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
            throw new SrException(ErrorCode.BACKEND_ERROR, "the system refused worker thread " + (i + 1) + " of "
                    + threads + " (" + e.getMessage() + "); the " + i + " started were stopped; use fewer threads", e);
        }
    }

    /** Daemons running now (for tests). */
    int liveDaemons() {
        int n = 0;
        for (Thread t : daemons) {
            if (t != null && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /** Threads that run items, the caller included. */
    int threads() {
        return threads;
    }

    /** Runs {@code task} for items 0..count-1 across the pool and returns when all are done. */
    synchronized void run(Task body, int count) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the CPU backend's worker pool is closed");
        }
        if (count <= 0) {
            return;
        }
        if (threads == 1 || count == 1) {
            for (int i = 0; i < count; i++) {
                body.run(0, i);
            }
            return;
        }
        if (!started) {
            start();
        }
        task = body;
        items = count;
        failure = null;
        next.set(0);
        pending.set(daemons.length);
        caller = Thread.currentThread();
        generation = generation + 1;
        for (Thread t : daemons) {
            LockSupport.unpark(t);
        }
        work(0);
        int spins = 0;
        while (pending.get() != 0) {
            if (spins++ < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new SrException(ErrorCode.INTERNAL, "a CPU kernel failed: " + f, f);
        }
    }

    private void work(int worker) {
        Task body = task;
        int count = items;
        try {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                body.run(worker, i);
            }
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
            next.set(count);
        }
    }

    private void loop(int id) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            work(id);
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the daemons; idempotent. A loop in progress finishes first (run is synchronized). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread t : daemons) {
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
