package io.srengine;

/**
 * Element types of tensors. Activations are {@link #FLOAT32} on the host; {@link #FLOAT16} and
 * {@link #BFLOAT16} are stored as their raw 16-bit patterns in a {@code short[]} and are what
 * reduced-precision backends compute in. {@link #INT64} and {@link #INT32} carry shape tensors and
 * indices (Reshape shapes, Pad amounts, Resize sizes).
 */
public enum DataType {
    /** IEEE 754 single precision, stored in a {@code float[]}; the type of activations. */
    FLOAT32(1, 4, true),
    /** IEEE 754 half precision, stored as raw bit patterns in a {@code short[]}. */
    FLOAT16(10, 2, true),
    /** bfloat16 (the upper half of a float32), stored as raw bit patterns in a {@code short[]}. */
    BFLOAT16(16, 2, true),
    /** IEEE 754 double precision, stored in a {@code double[]}. */
    FLOAT64(11, 8, true),
    /** Signed 64-bit integers in a {@code long[]}: shape tensors and indices. */
    INT64(7, 8, false),
    /** Signed 32-bit integers in an {@code int[]}. */
    INT32(6, 4, false),
    /** Signed 8-bit integers in a {@code byte[]}. */
    INT8(3, 1, false),
    /** Unsigned 8-bit integers in a {@code byte[]} (read as {@code b & 0xFF}). */
    UINT8(2, 1, false),
    /** Booleans, one per byte in a {@code byte[]}. */
    BOOL(9, 1, false);

    private final int onnxCode;
    private final int byteSize;
    private final boolean floatingPoint;

    DataType(int onnxCode, int byteSize, boolean floatingPoint) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /**
     * The {@code TensorProto.DataType} number of this type in the ONNX specification.
     *
     * @return the ONNX type code, e.g. 1 for {@link #FLOAT32}
     */
    public int onnxCode() {
        return onnxCode;
    }

    /**
     * Bytes per element.
     *
     * @return the element size in bytes (1, 2, 4 or 8)
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Whether this is a floating-point type ({@link #FLOAT32}, {@link #FLOAT16}, {@link #BFLOAT16},
     * {@link #FLOAT64}).
     *
     * @return true for the floating-point types
     */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * The type with the given ONNX code.
     *
     * @param code an ONNX {@code TensorProto.DataType} number
     * @return the type, or {@code null} if srengine has no such type
     */
    public static DataType fromOnnx(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * The ONNX spelling of a type code, for messages about types srengine lacks.
     *
     * @param code an ONNX {@code TensorProto.DataType} number
     * @return its ONNX name (e.g. {@code "FLOAT"}, {@code "STRING"}), or {@code "type N"} for an
     *     unknown number
     */
    public static String onnxName(int code) {
        return switch (code) {
            case 0 -> "UNDEFINED";
            case 1 -> "FLOAT";
            case 2 -> "UINT8";
            case 3 -> "INT8";
            case 4 -> "UINT16";
            case 5 -> "INT16";
            case 6 -> "INT32";
            case 7 -> "INT64";
            case 8 -> "STRING";
            case 9 -> "BOOL";
            case 10 -> "FLOAT16";
            case 11 -> "DOUBLE";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case 14 -> "COMPLEX64";
            case 15 -> "COMPLEX128";
            case 16 -> "BFLOAT16";
            default -> "type " + code;
        };
    }
}
