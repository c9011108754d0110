package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DeviceTypeTest {
    @Test
    void precisionPicksTheDeviceType() {
        assertEquals(DeviceType.F32, DeviceType.of(Precision.FP32));
        assertEquals(DeviceType.F16, DeviceType.of(Precision.FP16));
        assertEquals(DeviceType.BF16, DeviceType.of(Precision.BF16));
        assertEquals("bf16", DeviceType.BF16.suffix());
    }

    @Test
    void halfPrecisionEncodingRoundsToNearestEven() {
        assertEquals((short) 0x3c00, DeviceType.F16.bits(1f));
        assertEquals((short) 0x3555, DeviceType.F16.bits(1f / 3));
        assertEquals((short) 0x7c00, DeviceType.F16.bits(70000f), "overflow goes to infinity");
        assertEquals((short) 0x3f80, DeviceType.BF16.bits(1f));
        // 1 + 2^-8 lies halfway between two bfloat16 values; ties go to the even one (1.0).
        assertEquals((short) 0x3f80, DeviceType.BF16.bits(1f + 1f / 256));
        assertEquals((short) 0x3f82, DeviceType.BF16.bits(1f + 3f / 256));
        assertTrue(Float.isNaN(DeviceType.BF16.round(Float.NaN)));
        assertEquals(0.2f, DeviceType.F32.round(0.2f));
        assertEquals(0.199951171875f, DeviceType.F16.round(0.2f));
    }

    @Test
    void encodesLittleEndianInTheElementSize() {
        ByteBuffer f = DeviceType.F16.encode(new float[] {1f, -2f}).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, f.remaining());
        assertEquals((short) 0x3c00, f.getShort(0));
        assertEquals((short) 0xc000, f.getShort(2));
        ByteBuffer g = DeviceType.F32.encode(new float[] {1.5f});
        assertEquals(0x3fc00000, g.order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals(7, DeviceType.ints(new int[] {7}).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }
}
