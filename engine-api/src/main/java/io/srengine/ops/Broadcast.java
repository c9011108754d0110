package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Numpy-style broadcasting as ONNX defines it: shapes are aligned at their last axis, a missing
 * leading axis counts as 1, and on each axis the sizes must be equal or one of them 1.
 * Multidirectional broadcasting (Add, Max, Expand...) lets either side stretch; unidirectional
 * broadcasting (PRelu's slope) only lets the second shape stretch to the first.
 *
 * <p>The {@link Shape} methods work on symbolic dimensions and are what shape inference uses; the
 * {@code int[]} methods are for kernels of every backend.
 */
public final class Broadcast {
    private Broadcast() {}

    /**
     * The multidirectional broadcast of {@code shapes}.
     *
     * <p>On one axis: equal dimensions stay; a known 1 yields to the other side; a known size other
     * than 1 wins over a symbolic one (the symbol must then be 1 or that size, as ONNX also
     * assumes); two different symbolic dimensions give {@link Dim#unknown()}, since either could be 1.
     *
     * @param who how to name the node in the message, e.g. {@code Node.describe()}
     * @throws SrException {@code INVALID_SHAPE} when two known sizes differ and neither is 1
     */
    public static Shape shape(String who, List<Shape> shapes) {
        Shape result = shapes.getFirst();
        for (int i = 1; i < shapes.size(); i++) {
            result = shape(who, result, shapes.get(i));
        }
        return result;
    }

    /** The multidirectional broadcast of two shapes; see {@link #shape(String, List)}. */
    public static Shape shape(String who, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        Dim[] out = new Dim[rank];
        for (int i = 0; i < rank; i++) {
            Dim da = dimFromEnd(a, rank - 1 - i);
            Dim db = dimFromEnd(b, rank - 1 - i);
            out[i] = merge(da, db);
            if (out[i] == null) {
                throw new SrException(ErrorCode.INVALID_SHAPE, who + ": shapes " + a + " and " + b
                        + " do not broadcast: axis " + i + " of the result is " + da + " in one and " + db
                        + " in the other");
            }
        }
        return Shape.of(out);
    }

    /** Dimension {@code k} counted from the last axis (0 = last), 1 beyond the shape's rank. */
    private static Dim dimFromEnd(Shape s, int k) {
        return k < s.rank() ? s.dim(s.rank() - 1 - k) : Dim.of(1);
    }

    private static Dim merge(Dim a, Dim b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.isKnown() && a.value() == 1) {
            return b;
        }
        if (b.isKnown() && b.value() == 1) {
            return a;
        }
        if (a.isKnown() && b.isKnown()) {
            return null;
        }
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        return Dim.unknown();
    }

    /**
     * Checks that {@code from} broadcasts unidirectionally to {@code to}: rank at most {@code to}'s
     * and every aligned dimension 1 or equal. Symbolic dimensions that are not provably different pass.
     *
     * @throws SrException {@code INVALID_SHAPE} naming both shapes
     */
    public static void checkUnidirectional(String who, Shape from, Shape to) {
        boolean ok = from.rank() <= to.rank();
        for (int k = 0; ok && k < from.rank(); k++) {
            Dim f = dimFromEnd(from, k);
            Dim t = dimFromEnd(to, k);
            boolean differ = f.isKnown() && t.isKnown() && f.value() != t.value();
            ok = !(differ && f.value() != 1);
        }
        if (!ok) {
            throw new SrException(ErrorCode.INVALID_SHAPE, who + ": shape " + from
                    + " cannot be broadcast to " + to + " (each trailing dimension must be 1 or equal)");
        }
    }

    /**
     * The multidirectional broadcast of concrete shapes.
     *
     * @throws SrException {@code INVALID_SHAPE} naming the shapes when they do not broadcast
     */
    public static int[] shape(String who, int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int k = 0; k < s.length; k++) {
                int axis = rank - s.length + k;
                if (s[k] == out[axis] || s[k] == 1) {
                    continue;
                }
                if (out[axis] != 1) {
                    StringBuilder all = new StringBuilder();
                    for (int[] t : shapes) {
                        all.append(all.isEmpty() ? "" : " and ").append(Arrays.toString(t));
                    }
                    throw new SrException(ErrorCode.INVALID_SHAPE, who + ": shapes " + all + " do not broadcast"
                            + " (axis " + axis + " of the result is both " + out[axis] + " and " + s[k] + ")");
                }
                out[axis] = s[k];
            }
        }
        return out;
    }

    /**
     * Row-major element strides of a tensor of shape {@code in} read as if it had shape {@code out}:
     * one stride per axis of {@code out}, 0 on axes where {@code in} is broadcast (missing or 1).
     * The element of {@code in} at output coordinate {@code c} is at {@code sum(c[k] * strides[k])}.
     *
     * @throws SrException {@code INTERNAL} when {@code in} does not broadcast to {@code out}; callers
     *     have inferred {@code out} from {@code in}, so this is a bug
     */
    public static int[] strides(int[] in, int[] out) {
        if (in.length > out.length) {
            throw new SrException(ErrorCode.INTERNAL, "shape " + Arrays.toString(in) + " cannot broadcast to "
                    + Arrays.toString(out));
        }
        int[] strides = new int[out.length];
        int stride = 1;
        for (int k = in.length - 1; k >= 0; k--) {
            int axis = out.length - in.length + k;
            if (in[k] == out[axis]) {
                strides[axis] = in[k] == 1 ? 0 : stride;
            } else if (in[k] != 1) {
                throw new SrException(ErrorCode.INTERNAL, "shape " + Arrays.toString(in) + " cannot broadcast to "
                        + Arrays.toString(out));
            }
            stride *= in[k];
        }
        return strides;
    }
}
