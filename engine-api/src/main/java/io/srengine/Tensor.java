package io.srengine;

import java.util.Arrays;

/**
 * A dense, row-major tensor on the Java heap. Images are NCHW ({@code [batch, channels, height,
 * width]}, batch at least 1, any height and width); intermediate values inside a graph may have any
 * rank from 0 (a scalar) upwards.
 *
 * <p>The element type decides the backing array: {@code float[]} for {@link DataType#FLOAT32},
 * {@code short[]} holding the raw bits for {@link DataType#FLOAT16} and {@link DataType#BFLOAT16},
 * {@code double[]} for {@link DataType#FLOAT64}, {@code long[]} for {@link DataType#INT64},
 * {@code int[]} for {@link DataType#INT32}, {@code byte[]} for the 8-bit types and {@link
 * DataType#BOOL}. The factory methods wrap the array they are given without copying it, and the
 * accessors return the backing array itself, so a tensor is exactly as mutable as its array. A
 * tensor is not thread-safe if anyone writes to its array.
 */
public final class Tensor {
    /** The largest element count a Java array can hold on common VMs. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final DataType dataType;
    private final int[] shape;
    private final Object data;

    private Tensor(DataType dataType, int[] shape, Object data) {
        this.dataType = dataType;
        this.shape = shape;
        this.data = data;
    }

    // ---- factories -------------------------------------------------------------------------

    /** Wraps {@code data} (not copied) as a float32 tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(DataType.FLOAT32, data, length(data), shape);
    }

    /** Wraps {@code data} (not copied) as an int64 tensor of the given shape. */
    public static Tensor ofLongs(long[] data, int... shape) {
        return wrap(DataType.INT64, data, length(data), shape);
    }

    /** Wraps {@code data} (not copied) as an int32 tensor of the given shape. */
    public static Tensor ofInts(int[] data, int... shape) {
        return wrap(DataType.INT32, data, length(data), shape);
    }

    /** Wraps {@code data} (not copied) as a float64 tensor of the given shape. */
    public static Tensor ofDoubles(double[] data, int... shape) {
        return wrap(DataType.FLOAT64, data, length(data), shape);
    }

    /** Wraps raw 16-bit patterns (not copied) as a {@code FLOAT16} or {@code BFLOAT16} tensor. */
    public static Tensor ofShorts(DataType type, short[] bits, int... shape) {
        SrException.requireArgument(type, "type");
        if (type != DataType.FLOAT16 && type != DataType.BFLOAT16) {
            throw new SrException(ErrorCode.TYPE_MISMATCH, "short[] storage is for FLOAT16 and BFLOAT16, not " + type);
        }
        return wrap(type, bits, length(bits), shape);
    }

    /** Wraps bytes (not copied) as an {@code INT8}, {@code UINT8} or {@code BOOL} tensor. */
    public static Tensor ofBytes(DataType type, byte[] bytes, int... shape) {
        SrException.requireArgument(type, "type");
        if (type.byteSize() != 1) {
            throw new SrException(ErrorCode.TYPE_MISMATCH, "byte[] storage is for 8-bit types, not " + type);
        }
        return wrap(type, bytes, length(bytes), shape);
    }

    /** A float32 scalar (rank 0). */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** A zero-filled float32 tensor. */
    public static Tensor zeros(int... shape) {
        return allocate(DataType.FLOAT32, shape);
    }

    /** A zero-filled tensor of any type. */
    public static Tensor allocate(DataType type, int... shape) {
        SrException.requireArgument(type, "type");
        int n = checkedSize(shape);
        Object data = switch (type) {
            case FLOAT32 -> new float[n];
            case FLOAT16, BFLOAT16 -> new short[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case INT8, UINT8, BOOL -> new byte[n];
        };
        return new Tensor(type, shape.clone(), data);
    }

    /** The length of an array given to a factory, which must not be null. */
    private static int length(Object array) {
        return java.lang.reflect.Array.getLength(SrException.requireArgument(array, "data"));
    }

    private static Tensor wrap(DataType type, Object data, int length, int[] shape) {
        int n = checkedSize(shape);
        if (n != length) {
            throw new SrException(ErrorCode.INVALID_SHAPE,
                    "shape " + Arrays.toString(shape) + " needs " + n + " elements but the array has " + length);
        }
        return new Tensor(type, shape.clone(), data);
    }

    /**
     * The element count of {@code shape}, checked: every dimension non-negative and the product
     * within {@link #MAX_ELEMENTS}.
     *
     * @throws SrException {@link ErrorCode#INVALID_SHAPE} for a negative dimension, {@link
     *     ErrorCode#TENSOR_TOO_LARGE} when the product is too large to index with an {@code int}
     */
    public static int checkedSize(int... shape) {
        SrException.requireArgument(shape, "shape");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new SrException(ErrorCode.INVALID_SHAPE, "negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new SrException(ErrorCode.TENSOR_TOO_LARGE, "shape " + Arrays.toString(shape)
                        + " has more than " + MAX_ELEMENTS + " elements, too many to index with an int");
            }
        }
        return (int) n;
    }

    /** Like {@link #checkedSize(int...)} for shapes held as longs. */
    public static int checkedSize(long... shape) {
        SrException.requireArgument(shape, "shape");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new SrException(ErrorCode.INVALID_SHAPE, "negative dimension in shape " + Arrays.toString(shape));
            }
            if (d > MAX_ELEMENTS || (n *= d) > MAX_ELEMENTS) {
                throw new SrException(ErrorCode.TENSOR_TOO_LARGE, "shape " + Arrays.toString(shape)
                        + " has more than " + MAX_ELEMENTS + " elements, too many to index with an int");
            }
        }
        return (int) n;
    }

    // ---- shape -------------------------------------------------------------------------------

    public DataType dataType() {
        return dataType;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** Number of elements. */
    public int size() {
        return checkedSize(shape);
    }

    /** A tensor sharing this one's data with a different shape of the same element count. */
    public Tensor reshape(int... newShape) {
        if (checkedSize(newShape) != size()) {
            throw new SrException(ErrorCode.INVALID_SHAPE, "cannot reshape " + Arrays.toString(shape)
                    + " to " + Arrays.toString(newShape));
        }
        return new Tensor(dataType, newShape.clone(), data);
    }

    // ---- data ----------------------------------------------------------------------------------

    /** The backing array of a float32 tensor. */
    public float[] floats() {
        return (float[]) expect(DataType.FLOAT32);
    }

    /** The backing array of an int64 tensor. */
    public long[] longs() {
        return (long[]) expect(DataType.INT64);
    }

    /** The backing array of an int32 tensor. */
    public int[] ints() {
        return (int[]) expect(DataType.INT32);
    }

    /** The backing array of a float64 tensor. */
    public double[] doubles() {
        return (double[]) expect(DataType.FLOAT64);
    }

    /** The backing bits of a float16 or bfloat16 tensor. */
    public short[] shorts() {
        if (dataType != DataType.FLOAT16 && dataType != DataType.BFLOAT16) {
            throw typeError("FLOAT16 or BFLOAT16");
        }
        return (short[]) data;
    }

    /** The backing array of an 8-bit or bool tensor. */
    public byte[] bytes() {
        if (dataType.byteSize() != 1) {
            throw typeError("an 8-bit type");
        }
        return (byte[]) data;
    }

    private Object expect(DataType type) {
        if (dataType != type) {
            throw typeError(type.name());
        }
        return data;
    }

    private SrException typeError(String wanted) {
        return new SrException(ErrorCode.TYPE_MISMATCH, "tensor " + this + " is not " + wanted);
    }

    /** Element {@code i} (row-major flat index) converted to double, whatever the type. */
    public double getDouble(int i) {
        return switch (dataType) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT16 -> Float.float16ToFloat(((short[]) data)[i]);
            case BFLOAT16 -> bfloat16ToFloat(((short[]) data)[i]);
            case FLOAT64 -> ((double[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
        };
    }

    /** Element {@code i} as a long; floating-point values are truncated toward zero. */
    public long getLong(int i) {
        return switch (dataType) {
            case INT64 -> ((long[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            default -> (long) getDouble(i);
        };
    }

    /** All elements as longs (shape tensors, axes, pads). */
    public long[] toLongArray() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** All elements as floats. */
    public float[] toFloatArray() {
        if (dataType == DataType.FLOAT32) {
            return ((float[]) data).clone();
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** A deep copy. */
    public Tensor copy() {
        Object copy = switch (dataType) {
            case FLOAT32 -> ((float[]) data).clone();
            case FLOAT16, BFLOAT16 -> ((short[]) data).clone();
            case FLOAT64 -> ((double[]) data).clone();
            case INT64 -> ((long[]) data).clone();
            case INT32 -> ((int[]) data).clone();
            case INT8, UINT8, BOOL -> ((byte[]) data).clone();
        };
        return new Tensor(dataType, shape.clone(), copy);
    }

    /**
     * This tensor converted to {@code type} (this tensor itself when it already is). Floating-point
     * conversions round to nearest even; conversions to integers truncate toward zero.
     */
    public Tensor to(DataType type) {
        SrException.requireArgument(type, "type");
        if (type == dataType) {
            return this;
        }
        int n = size();
        Tensor out = allocate(type, shape);
        switch (type) {
            case FLOAT32 -> {
                float[] o = out.floats();
                for (int i = 0; i < n; i++) {
                    o[i] = (float) getDouble(i);
                }
            }
            case FLOAT16 -> {
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    o[i] = Float.floatToFloat16((float) getDouble(i));
                }
            }
            case BFLOAT16 -> {
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    o[i] = floatToBfloat16((float) getDouble(i));
                }
            }
            case FLOAT64 -> {
                double[] o = out.doubles();
                for (int i = 0; i < n; i++) {
                    o[i] = getDouble(i);
                }
            }
            case INT64 -> {
                long[] o = out.longs();
                for (int i = 0; i < n; i++) {
                    o[i] = getLong(i);
                }
            }
            case INT32 -> {
                int[] o = out.ints();
                for (int i = 0; i < n; i++) {
                    o[i] = (int) getLong(i);
                }
            }
            case INT8, UINT8 -> {
                byte[] o = out.bytes();
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) getLong(i);
                }
            }
            case BOOL -> {
                byte[] o = out.bytes();
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) (getDouble(i) != 0 ? 1 : 0);
                }
            }
        }
        return out;
    }

    /** The float nearest to a bfloat16 bit pattern (exact: bfloat16 is the top half of a float). */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds a float to bfloat16, nearest even; NaN stays NaN. */
    public static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor[").append(dataType).append(' ');
        if (shape.length == 0) {
            sb.append("scalar");
        }
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
