package io.srengine;

/**
 * Element types of tensors. Activations are {@link #FLOAT32} on the host; {@link #FLOAT16} and
 * {@link #BFLOAT16} are stored as their raw 16-bit patterns in a {@code short[]} and are what
 * reduced-precision backends compute in. {@link #INT64} and {@link #INT32} carry shape tensors and
 * indices (Reshape shapes, Pad amounts, Resize sizes).
 */
public enum DataType {
    FLOAT32(1, 4, true),
    FLOAT16(10, 2, true),
    BFLOAT16(16, 2, true),
    FLOAT64(11, 8, true),
    INT64(7, 8, false),
    INT32(6, 4, false),
    INT8(3, 1, false),
    UINT8(2, 1, false),
    BOOL(9, 1, false);

    private final int onnxCode;
    private final int byteSize;
    private final boolean floatingPoint;

    DataType(int onnxCode, int byteSize, boolean floatingPoint) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** The {@code TensorProto.DataType} number of this type in the ONNX specification. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The type with the given ONNX code, or {@code null} if srengine has no such type. */
    public static DataType fromOnnx(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }

    /** The ONNX spelling of a type code, for messages about types srengine lacks. */
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
