package io.srengine.cpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns arrays to activation buffers from their lifetimes so that a run allocates nothing: a buffer
 * whose last reader has run is handed to a later buffer of at most its size (smallest fit first).
 * Lifetimes are node positions from {@link io.srengine.graph.Liveness}, inclusive at both ends: a
 * buffer read by node i is still busy while node i writes its own outputs, so it is never given to
 * them. Deterministic: requests are served in order of their first node, ties by request order.
 */
final class BufferPlan {
    /**
     * Views start this many floats into each array, with some spare at the end. G1 places an array of
     * half a region or more (most buffers of a real model) at the start of a region, so its data begins
     * 16 bytes past a 64-byte boundary (the array header); 12 floats later it is 64-byte aligned, and
     * 512-bit loads do not straddle cache lines. Smaller arrays land where they land; only speed differs.
     */
    static final int ALIGN_OFFSET = 12;
    static final int ALIGN_PAD = 16;

    private record Request(int id, int size, int first, int last) {}

    private final List<Request> requests = new ArrayList<>();
    private float[][] arrays;
    private long totalFloats;

    /**
     * Asks for {@code size} floats busy from node {@code first} to node {@code last}.
     *
     * @return the request's id, for {@link #array(int)}
     */
    int request(int size, int first, int last) {
        int id = requests.size();
        requests.add(new Request(id, size, first, Math.max(first, last)));
        return id;
    }

    /** Allocates the arrays; call once, after every request. */
    void allocate() {
        arrays = new float[requests.size()][];
        List<Request> order = new ArrayList<>(requests);
        order.sort(Comparator.comparingInt(Request::first).thenComparingInt(Request::id));
        List<Request> busy = new ArrayList<>();
        List<float[]> busyArrays = new ArrayList<>();
        List<float[]> free = new ArrayList<>();
        for (Request r : order) {
            for (int i = busy.size() - 1; i >= 0; i--) {
                if (busy.get(i).last() < r.first()) {
                    free.add(busyArrays.get(i));
                    busy.remove(i);
                    busyArrays.remove(i);
                }
            }
            float[] best = null;
            for (float[] f : free) {
                if (f.length >= r.size() + ALIGN_PAD && (best == null || f.length < best.length)) {
                    best = f;
                }
            }
            if (best == null) {
                best = new float[r.size() + ALIGN_PAD];
                totalFloats += best.length;
            } else {
                free.remove(best);
            }
            arrays[r.id()] = best;
            busy.add(r);
            busyArrays.add(best);
        }
    }

    float[] array(int id) {
        return arrays[id];
    }

    /** Floats allocated in all, after sharing. */
    long totalFloats() {
        return totalFloats;
    }

    /** Floats that would be allocated without sharing. */
    long requestedFloats() {
        long s = 0;
        for (Request r : requests) {
            s += r.size();
        }
        return s;
    }
}
