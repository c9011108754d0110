package io.srengine.cuda.plan;

import io.srengine.Precision;
import io.srengine.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The element type of activations and weights on the device, chosen by the session's precision. */
public enum DeviceType {
    F32(4, "f32"),
    F16(2, "f16"),
    BF16(2, "bf16");

    private final int bytes;
    private final String suffix;

    DeviceType(int bytes, String suffix) {
        this.bytes = bytes;
        this.suffix = suffix;
    }

    public static DeviceType of(Precision p) {
        return switch (p) {
            case FP32 -> F32;
            case FP16 -> F16;
            case BF16 -> BF16;
        };
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The suffix of kernel names for this type, e.g. {@code eltwise_f16}. */
    public String suffix() {
        return suffix;
    }

    /** Whether the tensor-core convolution applies (16-bit inputs). */
    public boolean tensorCores() {
        return this != F32;
    }

    /** The 16-bit pattern of {@code v} in this type (round to nearest even); F32 has none. */
    public short bits(float v) {
        return switch (this) {
            case F16 -> Float.floatToFloat16(v);
            case BF16 -> Tensor.floatToBfloat16(v);
            case F32 -> throw new IllegalStateException("F32 has no 16-bit encoding");
        };
    }

    /** {@code v} rounded to this type and back, the value the device will see. */
    public float round(float v) {
        return switch (this) {
            case F32 -> v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BF16 -> Tensor.bfloat16ToFloat(Tensor.floatToBfloat16(v));
        };
    }

    /** Little-endian device bytes of {@code values} in this type. */
    public ByteBuffer encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (this == F32) {
            b.asFloatBuffer().put(values);
        } else {
            java.nio.ShortBuffer s = b.asShortBuffer();
            for (float v : values) {
                s.put(bits(v));
            }
        }
        return b;
    }

    /** Little-endian float32 bytes, for tables that stay in float32 whatever the precision (bias, slopes). */
    public static ByteBuffer floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    /** Little-endian int32 bytes (index tables). */
    public static ByteBuffer ints(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b;
    }
}
