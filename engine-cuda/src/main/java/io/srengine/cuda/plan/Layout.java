package io.srengine.cuda.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which buffer ("group") every activation lives in and at which channel offset. Most values have a
 * group of their own; the inputs of a channel Concat share the Concat's group, each at its channel
 * offset, so that their producers write straight into the concatenated tensor (a dense block's
 * growing feature stack is one buffer). Within a group, the ranges written by different producers
 * never overlap, so a group needs no lifetime reasoning of its own: it lives from its first write
 * to its last read and the {@link BufferPlanner} packs groups.
 */
public final class Layout {
    /**
     * One buffer: NHWC with {@code c} channels stored {@code cs} elements apart (cs rounded up to a
     * multiple of 8 for the tensor cores, the rest pad channels), or a float32 NCHW staging buffer.
     */
    public static final class Group {
        final int id;
        final int n, c, cs, h, w;
        final boolean nchwF32;
        /** Pad channels [c, cs) hold zeros: the producer of the value that ends the group writes them. */
        boolean zeroPadded;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        long offset;
        final List<String> members = new ArrayList<>();

        Group(int id, int n, int c, int cs, int h, int w, boolean nchwF32) {
            if (cs < c || (nchwF32 && cs != c)) {
                throw new IllegalArgumentException("channel stride " + cs + " for " + c + " channels");
            }
            this.id = id;
            this.n = n;
            this.c = c;
            this.cs = cs;
            this.h = h;
            this.w = w;
            this.nchwF32 = nchwF32;
        }

        public long bytes(DeviceType type) {
            return (long) n * cs * h * w * (nchwF32 ? 4 : type.bytes());
        }

        /** Channels per pixel in memory, pad channels included. */
        public int stride() {
            return cs;
        }

        /** Channels the group's values use. */
        public int channels() {
            return c;
        }

        public boolean zeroPadded() {
            return zeroPadded;
        }

        public List<String> members() {
            return members;
        }

        void use(int step) {
            first = Math.min(first, step);
            last = Math.max(last, step);
        }
    }

    /** A value's group and its first channel there. */
    public record Place(Group group, int channelOffset, int channels) {}

    private final Map<String, Place> places = new LinkedHashMap<>();
    private final List<Group> groups = new ArrayList<>();

    /** A new group of {@code c} channels stored {@code cs} apart. */
    public Group newGroup(int n, int c, int cs, int h, int w, boolean nchwF32) {
        Group g = new Group(groups.size(), n, c, cs, h, w, nchwF32);
        groups.add(g);
        return g;
    }

    /** Puts {@code value} ({@code channels} wide) into {@code g} at {@code channelOffset}. */
    public void place(String value, Group g, int channelOffset, int channels) {
        if (channelOffset < 0 || channelOffset + channels > g.c) {
            throw new IllegalArgumentException(value + ": channels " + channelOffset + ".." + (channelOffset + channels)
                    + " do not fit a group of " + g.c);
        }
        Place old = places.put(value, new Place(g, channelOffset, channels));
        if (old != null) {
            old.group.members.remove(value);
        }
        g.members.add(value);
    }

    public Place of(String value) {
        return places.get(value);
    }

    /**
     * The pad channels right after {@code value}: the group's pad when the value ends the group's
     * channels and starts 16-byte aligned (a multiple of 8 channels in), else 0.
     */
    public int tail(String value) {
        Place p = places.get(value);
        Group g = p.group;
        boolean ends = !g.nchwF32 && p.channelOffset + p.channels == g.c && p.channelOffset % 8 == 0;
        return ends ? g.cs - g.c : 0;
    }

    /** {@link #tail} when those channels are known to hold zeros, else 0. */
    public int zeroTail(String value) {
        return places.get(value).group.zeroPadded ? tail(value) : 0;
    }

    public boolean isPlaced(String value) {
        return places.containsKey(value);
    }

    public List<Group> groups() {
        return groups;
    }

    /** Groups that hold at least one value. */
    public List<Group> usedGroups() {
        return groups.stream().filter(g -> !g.members.isEmpty()).toList();
    }

    /** The device view of {@code value} once group offsets are set; {@code base} is the arena address. */
    public TensorView view(String value, long base, DeviceType type) {
        Place p = places.get(value);
        if (p == null) {
            throw new IllegalStateException("value '" + value + "' has no buffer");
        }
        Group g = p.group;
        long addr = base + g.offset + (long) p.channelOffset * (g.nchwF32 ? 4 : type.bytes());
        return new TensorView(addr, g.n, p.channels, g.h, g.w, g.cs, g.nchwF32);
    }
}
