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
    /** One buffer: NHWC with {@code cs} channels per pixel, or a float32 NCHW staging buffer. */
    public static final class Group {
        final int id;
        final int n, cs, h, w;
        final boolean nchwF32;
        /** Channels [c, cs) of the group's values are zeros written by the producer (padded RGB input). */
        boolean zeroPadded;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        long offset;
        final List<String> members = new ArrayList<>();

        Group(int id, int n, int cs, int h, int w, boolean nchwF32) {
            this.id = id;
            this.n = n;
            this.cs = cs;
            this.h = h;
            this.w = w;
            this.nchwF32 = nchwF32;
        }

        public long bytes(DeviceType type) {
            return (long) n * cs * h * w * (nchwF32 ? 4 : type.bytes());
        }

        public int channels() {
            return cs;
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

    /** A new group. */
    public Group newGroup(int n, int cs, int h, int w, boolean nchwF32) {
        Group g = new Group(groups.size(), n, cs, h, w, nchwF32);
        groups.add(g);
        return g;
    }

    /** Puts {@code value} ({@code channels} wide) into {@code g} at {@code channelOffset}. */
    public void place(String value, Group g, int channelOffset, int channels) {
        if (channelOffset < 0 || channelOffset + channels > g.cs) {
            throw new IllegalArgumentException(value + ": channels " + channelOffset + ".." + (channelOffset + channels)
                    + " do not fit a group of " + g.cs);
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
