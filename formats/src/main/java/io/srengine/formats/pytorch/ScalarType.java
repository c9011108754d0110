package io.srengine.formats.pytorch;

import java.util.Locale;

/**
 * Element types of checkpoint tensors, with the names PyTorch's storage classes and safetensors'
 * headers give them. The floating types convert to float32 exactly (float64 rounds to nearest, as
 * PyTorch's {@code .float()} does); the integer types are read but never used as weights.
 */
public enum ScalarType {
    /** IEEE 754 single precision ({@code FloatStorage}, safetensors {@code F32}). */
    FLOAT32(4, "FloatStorage", "F32", true),
    /** IEEE 754 half precision ({@code HalfStorage}, {@code F16}). */
    FLOAT16(2, "HalfStorage", "F16", true),
    /** bfloat16, float32's top 16 bits ({@code BFloat16Storage}, {@code BF16}). */
    BFLOAT16(2, "BFloat16Storage", "BF16", true),
    /** IEEE 754 double precision ({@code DoubleStorage}, {@code F64}). */
    FLOAT64(8, "DoubleStorage", "F64", true),
    /** Signed 64-bit integer ({@code LongStorage}, {@code I64}). */
    INT64(8, "LongStorage", "I64", false),
    /** Signed 32-bit integer ({@code IntStorage}, {@code I32}). */
    INT32(4, "IntStorage", "I32", false),
    /** Signed 16-bit integer ({@code ShortStorage}, {@code I16}). */
    INT16(2, "ShortStorage", "I16", false),
    /** Signed 8-bit integer ({@code CharStorage}, {@code I8}). */
    INT8(1, "CharStorage", "I8", false),
    /** Unsigned 8-bit integer ({@code ByteStorage}, {@code U8}). */
    UINT8(1, "ByteStorage", "U8", false),
    /** Boolean, one byte each ({@code BoolStorage}, {@code BOOL}). */
    BOOL(1, "BoolStorage", "BOOL", false);

    private final int size;
    private final String storageClass;
    private final String safetensorsName;
    private final boolean floating;

    ScalarType(int size, String storageClass, String safetensorsName, boolean floating) {
        this.size = size;
        this.storageClass = storageClass;
        this.safetensorsName = safetensorsName;
        this.floating = floating;
    }

    /**
     * Bytes per element.
     *
     * @return 1, 2, 4 or 8
     */
    public int size() {
        return size;
    }

    /**
     * Whether the values are floating point (and so can be weights).
     *
     * @return true for the four floating types
     */
    public boolean isFloating() {
        return floating;
    }

    /**
     * The lower-case name PyTorch prints, e.g. {@code float16}.
     *
     * @return the constant's name in lower case
     */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a storage class such as {@code FloatStorage}, or null for any other name. */
    static ScalarType ofStorageClass(String name) {
        for (ScalarType t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a safetensors dtype such as {@code BF16}, or null. */
    static ScalarType ofSafetensors(String name) {
        for (ScalarType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
