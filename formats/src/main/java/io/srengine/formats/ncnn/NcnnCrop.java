package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.formats.ncnn.NcnnLayers.Blob;
import io.srengine.formats.ncnn.NcnnParam.Layer;
import io.srengine.formats.ncnn.NcnnParam.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * ncnn's Crop in its three forms (Tencent/ncnn {@code src/layer/crop.cpp}):
 *
 * <ul>
 *   <li>numpy-style slices: {@code 9=starts}, {@code 10=ends}, {@code 11=axes}; an end of 0 or -233
 *       runs to the end, negative values count from the end (Real-CUGAN's skip connections);
 *   <li>crop to a reference blob: two inputs, the first cut at offsets {@code 0=w 1=h 2=c} to the
 *       width, height (and channels) of the second (waifu2x's skip connections);
 *   <li>fixed offsets: {@code 0/1/2} from the start, {@code 6/7/8} from the end, sizes {@code 3/4/5}
 *       (-233 for "the rest").
 * </ul>
 */
final class NcnnCrop {
    private static final long TO_END = Long.MAX_VALUE;

    private NcnnCrop() {}

    static void crop(NcnnLayers t, Layer l) {
        Params p = l.params();
        if (p.has(19) || p.has(20) || p.has(21)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " crops by expressions (19=, 20=, 21=), which"
                    + " srengine does not read");
        }
        int[] starts = p.getInts(9);
        int[] ends = p.getInts(10);
        if (starts != null && ends != null && starts.length > 0 && ends.length > 0) {
            numpy(t, l, starts, ends, p.getInts(11));
        } else if (l.bottoms().size() == 2) {
            reference(t, l);
        } else {
            offsets(t, l);
        }
    }

    private static void numpy(NcnnLayers t, Layer l, int[] starts, int[] ends, int[] axes) {
        Blob in = t.one(l);
        int n = axes == null || axes.length == 0 ? in.dims() : axes.length;
        if (starts.length < n || ends.length < n) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + starts.length + " starts and "
                    + ends.length + " ends for " + n + " axes");
        }
        long[] s = new long[n];
        long[] e = new long[n];
        long[] a = new long[n];
        long channels = in.channels();
        for (int i = 0; i < n; i++) {
            int axis = axes == null || axes.length == 0 ? i : axes[i];
            a[i] = NcnnLayers.graphAxis(l, axis, in.dims());
            s[i] = starts[i] == -233 ? 0 : starts[i];
            e[i] = ends[i] == -233 || ends[i] == 0 ? TO_END : ends[i];
            if (a[i] == 1 && channels >= 0) {
                long b = s[i] >= 0 ? s[i] : channels + s[i];
                long end = e[i] == TO_END ? channels : e[i] > 0 ? Math.min(channels, e[i]) : channels + e[i];
                channels = end - b;
            }
        }
        t.out(l, t.emitter().slice(l.name(), in.value(), s, e, a), in.dims(), channels);
    }

    private static void reference(NcnnLayers t, Layer l) {
        if (l.tops().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should produce one blob");
        }
        Blob in = t.in(l, 0);
        Blob ref = t.in(l, 1);
        if (in.dims() != 3 || ref.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " crops a blob of rank " + in.dims()
                    + " to one of rank " + ref.dims() + "; srengine reads this form on images");
        }
        Params p = l.params();
        long woff = p.getInt(0, 0);
        long hoff = p.getInt(1, 0);
        long coff = p.getInt(2, 0);
        GraphEmitter e = t.emitter();
        // ends = offsets + the reference's (C, H, W), computed in the graph (fixed once the input size is)
        String refShape = e.node(l.name() + "_refshape", "Shape", List.of(ref.value()), java.util.Map.of("start", 1L));
        String endsValue = e.node(l.name() + "_ends", "Add", List.of(refShape, e.longs(l.name() + "_offsets", coff, hoff, woff)));
        t.out(l, e.slice(l.name(), in.value(), new long[] {coff, hoff, woff}, endsValue, new long[] {1, 2, 3}), 3, ref.channels());
    }

    private static void offsets(NcnnLayers t, Layer l) {
        Blob in = t.one(l);
        if (in.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " crops a blob of rank " + in.dims()
                    + " by offsets; srengine reads this form on images");
        }
        Params p = l.params();
        // per graph axis 1 (c), 2 (h), 3 (w): offset from the start, offset from the end, size
        int[][] ids = {{2, 8, 5}, {1, 7, 4}, {0, 6, 3}};
        List<Long> s = new ArrayList<>();
        List<Long> e = new ArrayList<>();
        List<Long> a = new ArrayList<>();
        List<Long> sizeAxes = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        long channels = in.channels();
        for (int k = 0; k < 3; k++) {
            long off = p.getInt(ids[k][0], 0);
            long off2 = p.getInt(ids[k][1], 0);
            long size = p.getInt(ids[k][2], 0);
            if (off < 0 || off2 < 0) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has negative crop offsets");
            }
            if (size == 0 || size < -233 || (size < 0 && size != -233)) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " crops axis " + (k + 1) + " to size " + size
                        + " (ncnn writes -233 for the rest of the axis)");
            }
            if (off != 0 || off2 != 0) {
                s.add(off);
                e.add(off2 == 0 ? TO_END : -off2);
                a.add(k + 1L);
            }
            if (size != -233) {
                sizeAxes.add(k + 1L);
                sizes.add(size);
            }
            if (k == 0 && channels >= 0) {
                channels = channels - off - off2;
                if (size != -233) {
                    channels = Math.min(channels, size);
                }
            }
        }
        GraphEmitter em = t.emitter();
        String y = in.value();
        if (!a.isEmpty()) {
            y = em.slice(l.name(), y, toArray(s), toArray(e), toArray(a));
        }
        if (!sizeAxes.isEmpty()) {
            // a second slice from 0 clamps to the rest of the axis, which is ncnn's min(size, rest)
            y = em.slice(l.name() + "_size", y, new long[sizeAxes.size()], toArray(sizes), toArray(sizeAxes));
        }
        t.out(l, y, 3, channels);
    }

    private static long[] toArray(List<Long> v) {
        long[] r = new long[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i);
        }
        return r;
    }
}
