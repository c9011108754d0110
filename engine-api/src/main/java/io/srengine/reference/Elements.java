package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;

/**
 * Element access for kernels that work on any element type: typed writes, raw copies, and row-major
 * coordinate walking. Floating-point kernels compute in double and store through {@link #setDouble};
 * integer kernels compute in long and store through {@link #setLong}, which wraps like a C cast.
 */
final class Elements {
    private Elements() {}

    /** The backing array of {@code t}, whatever its type. */
    static Object array(Tensor t) {
        return switch (t.dataType()) {
            case FLOAT32 -> t.floats();
            case FLOAT16, BFLOAT16 -> t.shorts();
            case FLOAT64 -> t.doubles();
            case INT64 -> t.longs();
            case INT32 -> t.ints();
            case INT8, UINT8, BOOL -> t.bytes();
        };
    }

    /** Copies {@code count} elements between tensors of the same type, bits unchanged. */
    static void copy(Tensor src, int from, Tensor dst, int to, int count) {
        System.arraycopy(array(src), from, array(dst), to, count);
    }

    /** Stores {@code v} rounded to nearest (even) in the floating-point tensor {@code t}. */
    static void setDouble(Tensor t, int i, double v) {
        switch (t.dataType()) {
            case FLOAT32 -> t.floats()[i] = (float) v;
            case FLOAT64 -> t.doubles()[i] = v;
            case FLOAT16 -> t.shorts()[i] = Float.floatToFloat16(roundToOdd(v));
            case BFLOAT16 -> t.shorts()[i] = Tensor.floatToBfloat16(roundToOdd(v));
            default -> throw new SrException(ErrorCode.INTERNAL, "setDouble on " + t);
        }
    }

    /** Stores {@code v} in {@code t}: narrowed with wrap-around for integers, rounded for floats. */
    static void setLong(Tensor t, int i, long v) {
        switch (t.dataType()) {
            case INT64 -> t.longs()[i] = v;
            case INT32 -> t.ints()[i] = (int) v;
            case INT8, UINT8 -> t.bytes()[i] = (byte) v;
            case BOOL -> t.bytes()[i] = (byte) (v != 0 ? 1 : 0);
            case FLOAT32 -> t.floats()[i] = (float) v;
            default -> setDouble(t, i, v);
        }
    }

    /**
     * {@code v} as a float rounded to odd: on inexact conversion the result is whichever neighbour
     * has an odd last bit. A second rounding of that float to a format with at least two fewer
     * significand bits (float16, bfloat16) then equals a single correct rounding of {@code v}.
     */
    static float roundToOdd(double v) {
        float f = (float) v;
        if (Float.isFinite(f) && (double) f != v && (Float.floatToRawIntBits(f) & 1) == 0) {
            f = (double) f < v ? Math.nextUp(f) : Math.nextDown(f);
        }
        return f;
    }

    /** Row-major strides of {@code shape}: the flat distance between neighbours along each axis. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            s[k] = stride;
            stride *= shape[k];
        }
        return s;
    }

    /** Advances {@code coord} to the next coordinate of {@code shape} in row-major order. */
    static void next(int[] coord, int[] shape) {
        for (int k = coord.length - 1; k >= 0; k--) {
            if (++coord[k] < shape[k]) {
                return;
            }
            coord[k] = 0;
        }
    }

    /** The flat offset {@code sum(coord[k] * strides[k])}. */
    static int offset(int[] coord, int[] strides) {
        int o = 0;
        for (int k = 0; k < coord.length; k++) {
            o += coord[k] * strides[k];
        }
        return o;
    }
}
