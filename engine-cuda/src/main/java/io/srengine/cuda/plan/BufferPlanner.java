package io.srengine.cuda.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packs buffers with known lifetimes into one arena: two buffers may share bytes only when their
 * lifetimes (inclusive step ranges) do not overlap. Greedy by size, largest first, each at the lowest
 * aligned offset that collides with nothing already placed (the usual approach of inference
 * engines; within a few percent of the peak live size for the chain-like graphs of SR models).
 */
public final class BufferPlanner {
    /** Offsets are multiples of this (cudaMalloc's alignment, enough for 16-byte vector access). */
    public static final long ALIGNMENT = 256;

    /** One buffer to place: its size and the first and last step that use it (inclusive). */
    public record Request(long bytes, int first, int last) {
        public Request {
            if (bytes < 0 || first > last) {
                throw new IllegalArgumentException("bad buffer request: " + bytes + " bytes, steps " + first + ".." + last);
            }
        }

        boolean overlapsInTime(Request o) {
            return first <= o.last && o.first <= last;
        }
    }

    /** Placement result: an offset per request (in request order) and the arena size. */
    public record Plan(long[] offsets, long arenaBytes) {}

    private BufferPlanner() {}

    public static Plan plan(List<Request> requests) {
        int n = requests.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -requests.get(i).bytes())
                .thenComparingInt(i -> requests.get(i).first()).thenComparingInt(i -> i));
        long[] offsets = new long[n];
        List<Integer> placed = new ArrayList<>();
        long arena = 0;
        for (int idx : order) {
            Request r = requests.get(idx);
            long size = align(r.bytes());
            // Candidate gaps: the intervals taken by time-overlapping buffers, sorted by offset.
            List<long[]> taken = new ArrayList<>();
            for (int p : placed) {
                if (requests.get(p).overlapsInTime(r)) {
                    taken.add(new long[] {offsets[p], offsets[p] + align(requests.get(p).bytes())});
                }
            }
            taken.sort(Comparator.comparingLong(t -> t[0]));
            long offset = 0;
            for (long[] t : taken) {
                if (offset + size <= t[0]) {
                    break;
                }
                offset = Math.max(offset, t[1]);
            }
            offsets[idx] = offset;
            placed.add(idx);
            arena = Math.max(arena, offset + size);
        }
        return new Plan(offsets, arena);
    }

    static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
