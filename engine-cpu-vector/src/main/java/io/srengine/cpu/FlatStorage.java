package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the plain (row-major) copies of values live in a plan: each is a region of a shared buffer
 * ({@link BufferPlan}), held from the node that writes it to its last reader. A reshape of a plain
 * value is a view of the same region with another shape, so its lifetime extends the region's.
 */
final class FlatStorage {
    /** One value stored plain: its own region, or a view of another value's. */
    static final class Entry {
        final String value;
        final int[] shape;
        final Entry viewOf;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        int request = -1;
        FlatView view;

        Entry(String value, int[] shape, Entry viewOf) {
            this.value = value;
            this.shape = shape;
            this.viewOf = viewOf;
        }

        Entry root() {
            Entry e = this;
            while (e.viewOf != null) {
                e = e.viewOf;
            }
            return e;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    boolean has(String v) {
        return entries.containsKey(v);
    }

    /** Registers {@code v} as stored plain in a region of its own, busy over [first, last]. */
    Entry region(String v, int[] shape, int first, int last) {
        Entry e = entries.computeIfAbsent(v, k -> new Entry(k, shape, null));
        e.root().first = Math.min(e.root().first, first);
        e.root().last = Math.max(e.root().last, last);
        return e;
    }

    /** Registers {@code v} as a view of {@code of}'s region; {@code of}'s lifetime grows to {@code last}. */
    Entry view(String v, int[] shape, String of, int last) {
        Entry src = entries.get(of);
        if (src == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + of + "' is not stored plain");
        }
        Entry e = entries.computeIfAbsent(v, k -> new Entry(k, shape, src));
        src.root().last = Math.max(src.root().last, last);
        return e;
    }

    /** Asks for the regions; call once after every {@link #region} and {@link #view}. */
    void request(BufferPlan plan) {
        for (Entry e : entries.values()) {
            if (e.viewOf == null) {
                int first = e.first == Integer.MAX_VALUE ? -1 : e.first;
                int last = e.last == Integer.MIN_VALUE ? first : e.last;
                e.request = plan.request(Tensor.checkedSize(e.shape), first, last);
            }
        }
    }

    /** The view of {@code v} (after {@link BufferPlan#allocate()}). */
    FlatView get(String v, BufferPlan plan) {
        Entry e = entries.get(v);
        if (e == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + v + "' has no plain storage");
        }
        if (e.view == null) {
            e.view = new FlatView(plan.array(e.root().request), BufferPlan.ALIGN_OFFSET, e.shape);
        }
        return e.view;
    }
}
