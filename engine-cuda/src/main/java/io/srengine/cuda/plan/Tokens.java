package io.srengine.cuda.plan;

import java.util.Arrays;

/**
 * How values of rank other than 4 live in the NHWC buffers, and the stride algebra that lets
 * Reshape and Transpose chains run without copies.
 *
 * <p>A rank-4 value is an NCHW image stored NHWC: each pixel holds its channels contiguously, and
 * pixels are {@code cs} elements apart ({@code cs} is the buffer's channel stride, the channel count
 * rounded up to a multiple of 8 in 16-bit precisions). Any other rank is a token sequence: rows of
 * its last dimension, stored like pixels of that many channels. So {@code (B, L, C)} is kept as the
 * NCHW shape {@code (B, C, 1, L)} and a transformer's {@code (B, H·W, C)} tokens have exactly the
 * bytes of the {@code (B, C, H, W)} image they were flattened from.
 *
 * <p>Because the distance between pixels is only known once buffers are laid out, strides are
 * kept symbolic, as {@code p·cs + q}: a movement node whose result is a strided view of its source
 * for every {@code cs} needs no kernel, and one whose view equals the result's own layout is an
 * alias.
 */
final class Tokens {
    private Tokens() {}

    /**
     * A device constant's cache key for a table the graph's specialisation computed: such tables
     * (row orders, shift masks) get the same names for every input size but differ in content, and
     * device constants are shared across a model's plans by key.
     */
    static String key(String name, int[] v) {
        return name + "#" + v.length + "#" + Arrays.hashCode(v);
    }

    static String key(String name, float[] v) {
        return name + "#" + v.length + "#" + Arrays.hashCode(v);
    }

    /** The NCHW shape a value of logical shape {@code s} is stored as. */
    static int[] nchw(int[] s) {
        return switch (s.length) {
            case 4 -> s.clone();
            case 0 -> new int[] {1, 1, 1, 1};
            case 1 -> new int[] {1, s[0], 1, 1};
            case 3 -> new int[] {s[0], s[2], 1, s[1]};
            default -> {
                long rows = 1;
                for (int i = 0; i < s.length - 1; i++) {
                    rows *= s[i];
                }
                yield new int[] {1, s[s.length - 1], 1, Math.toIntExact(rows)};
            }
        };
    }

    /** A stride of {@code p·cs + q} elements. */
    record Stride(long p, long q) {
        static final Stride ZERO = new Stride(0, 0);

        Stride times(long k) {
            return new Stride(p * k, q * k);
        }

        Stride plus(Stride o) {
            return new Stride(p + o.p, q + o.q);
        }

        long at(int cs) {
            return p * cs + q;
        }
    }

    /** The strides of each logical axis of a value of shape {@code s} in its own buffer. */
    static Stride[] natural(int[] s) {
        Stride[] st = new Stride[s.length];
        if (s.length == 4) {
            st[0] = new Stride((long) s[2] * s[3], 0);
            st[1] = new Stride(0, 1);
            st[2] = new Stride(s[3], 0);
            st[3] = new Stride(1, 0);
            return st;
        }
        if (s.length == 0) {
            return st;
        }
        st[s.length - 1] = new Stride(0, 1);
        long rows = 1;
        for (int i = s.length - 2; i >= 0; i--) {
            st[i] = new Stride(rows, 0);
            rows *= s[i];
        }
        return st;
    }

    /** Evaluates symbolic strides for a buffer of channel stride {@code cs}. */
    static long[] at(Stride[] s, int cs) {
        long[] r = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i].at(cs);
        }
        return r;
    }

    /** A value seen as a strided view of {@code source}'s buffer, starting {@code offset} elements in. */
    record View(String source, int[] dims, Stride[] strides, Stride offset) {
        View(String source, int[] dims, Stride[] strides) {
            this(source, dims, strides, Stride.ZERO);
        }

        /** The view after Slice along {@code axis} from {@code start} by {@code step}, {@code count} elements. */
        View slice(int axis, long start, long step, int count) {
            int[] d = dims.clone();
            Stride[] s = strides.clone();
            d[axis] = count;
            s[axis] = strides[axis].times(step);
            return new View(source, d, s, offset.plus(strides[axis].times(start)));
        }

        /** The view after Gather of one index along {@code axis}; the axis is dropped unless {@code keep}. */
        View select(int axis, long index, boolean keep) {
            View v = slice(axis, index, 1, 1);
            if (keep) {
                return v;
            }
            int[] d = new int[dims.length - 1];
            Stride[] s = new Stride[dims.length - 1];
            for (int i = 0, k = 0; i < dims.length; i++) {
                if (i != axis) {
                    d[k] = dims[i];
                    s[k++] = strides[i];
                }
            }
            return new View(source, d, s, v.offset);
        }

        /** The view broadcast to {@code to} (Expand): new and size-1 axes read with stride 0. */
        View expand(int[] to) {
            Stride[] s = new Stride[to.length];
            int off = to.length - dims.length;
            for (int i = 0; i < to.length; i++) {
                int j = i - off;
                s[i] = j < 0 || (dims[j] == 1 && to[i] != 1) ? Stride.ZERO : strides[j];
            }
            return new View(source, to.clone(), s, offset);
        }
        /** The view after Transpose by {@code perm}. */
        View transpose(long[] perm) {
            int[] d = new int[dims.length];
            Stride[] s = new Stride[dims.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = dims[(int) perm[i]];
                s[i] = strides[(int) perm[i]];
            }
            return new View(source, d, s, offset);
        }

        /**
         * The view after a reshape to {@code to} (same element count), or null when the result is
         * not a strided view of the source (axes merged that are not contiguous in it).
         */
        View reshape(int[] to) {
            int[] od = squeezeDims(dims);
            Stride[] os = squeezeStrides(dims, strides);
            int[] nd = squeezeDims(to);
            Stride[] ns = new Stride[nd.length];
            int oi = 0;
            int ni = 0;
            while (oi < od.length && ni < nd.length) {
                // One group: old axes oi..oj-1 and new axes ni..nj-1 with equal products.
                long np = nd[ni];
                long op = od[oi];
                int oj = oi + 1;
                int nj = ni + 1;
                while (np != op) {
                    if (np < op) {
                        if (nj >= nd.length) {
                            return null;
                        }
                        np *= nd[nj++];
                    } else {
                        if (oj >= od.length) {
                            return null;
                        }
                        op *= od[oj++];
                    }
                }
                for (int k = oi; k < oj - 1; k++) {
                    if (!os[k].equals(os[k + 1].times(od[k + 1]))) {
                        return null;
                    }
                }
                ns[nj - 1] = os[oj - 1];
                for (int k = nj - 1; k > ni; k--) {
                    ns[k - 1] = ns[k].times(nd[k]);
                }
                oi = oj;
                ni = nj;
            }
            if (oi != od.length || ni != nd.length) {
                return null;
            }
            Stride[] full = new Stride[to.length];
            int k = 0;
            for (int i = 0; i < to.length; i++) {
                full[i] = to[i] == 1 ? Stride.ZERO : ns[k++];
            }
            return new View(source, to.clone(), full, offset);
        }

        /** Whether the view addresses its elements exactly as a value of its shape is laid out. */
        boolean isNatural() {
            if (!offset.equals(Stride.ZERO)) {
                return false;
            }
            Stride[] n = natural(dims);
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] != 1 && !n[i].equals(strides[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return source + Arrays.toString(dims) + Arrays.toString(strides) + "+" + offset;
        }
    }

    private static int[] squeezeDims(int[] d) {
        return Arrays.stream(d).filter(x -> x != 1).toArray();
    }

    private static Stride[] squeezeStrides(int[] d, Stride[] s) {
        Stride[] r = new Stride[(int) Arrays.stream(d).filter(x -> x != 1).count()];
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 1) {
                r[k++] = s[i];
            }
        }
        return r;
    }
}
