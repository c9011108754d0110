package io.srengine.formats.pytorch;

import java.util.Locale;

/**
 * Element types of checkpoint tensors, with the names PyTorch's storage classes and safetensors'
 * headers give them. The floating types convert to float32 exactly (float64 rounds to nearest, as
 * PyTorch's {@code .float()} does); the integer types are read but never used as weights.
 */
public enum ScalarType {
    FLOAT32(4, "FloatStorage", "F32", true),
    FLOAT16(2, "HalfStorage", "F16", true),
    BFLOAT16(2, "BFloat16Storage", "BF16", true),
    FLOAT64(8, "DoubleStorage", "F64", true),
    INT64(8, "LongStorage", "I64", false),
    INT32(4, "IntStorage", "I32", false),
    INT16(2, "ShortStorage", "I16", false),
    INT8(1, "CharStorage", "I8", false),
    UINT8(1, "ByteStorage", "U8", false),
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

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether the values are floating point (and so can be weights). */
    public boolean isFloating() {
        return floating;
    }

    /** The lower-case name PyTorch prints, e.g. {@code float16}. */
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
