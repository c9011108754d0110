package io.srengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void wrapsWithoutCopy() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 1, 1, 2, 3);
        assertTrue(t.floats() == data);
        assertEquals(6, t.size());
        assertEquals(3, t.dim(-1));
        assertEquals("Tensor[FLOAT32 1x1x2x3]", t.toString());
    }

    @Test
    void shapeMismatchIsRejected() {
        SrException e = assertThrows(SrException.class, () -> Tensor.of(new float[5], 1, 3, 2));
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
    }

    @Test
    void sizeThatOverflowsIntIsRejected() {
        SrException e = assertThrows(SrException.class, () -> Tensor.checkedSize(1, 3, 40000, 40000));
        assertEquals(ErrorCode.TENSOR_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("40000"), e.getMessage());
        assertThrows(SrException.class, () -> Tensor.checkedSize(new long[] {1L << 40}));
    }

    @Test
    void wrongAccessorNamesTheType() {
        Tensor t = Tensor.ofLongs(new long[] {1, 2}, 2);
        SrException e = assertThrows(SrException.class, t::floats);
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("INT64"), e.getMessage());
    }

    @Test
    void halfPrecisionRoundTrips() {
        float[] v = {0f, 1f, -2.5f, 65504f, 1e-3f, 3.14159f};
        Tensor f = Tensor.of(v, v.length);
        Tensor h = f.to(DataType.FLOAT16);
        Tensor b = f.to(DataType.BFLOAT16);
        float[] back16 = h.to(DataType.FLOAT32).floats();
        float[] backBf = b.to(DataType.FLOAT32).floats();
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], back16[i], Math.abs(v[i]) * 1e-3 + 1e-7);
            assertEquals(v[i], backBf[i], Math.abs(v[i]) * 8e-3 + 1e-7);
        }
        // bfloat16 is the top half of float32: values with a short mantissa are exact.
        assertEquals(-2.5f, Tensor.bfloat16ToFloat(Tensor.floatToBfloat16(-2.5f)));
        // Round to nearest even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7 and rounds to 1.
        assertEquals(1f, Tensor.bfloat16ToFloat(Tensor.floatToBfloat16(1f + 0x1p-8f)));
        assertTrue(Float.isNaN(Tensor.bfloat16ToFloat(Tensor.floatToBfloat16(Float.NaN))));
    }

    @Test
    void integerConversionTruncates() {
        Tensor t = Tensor.of(new float[] {1.9f, -1.9f}, 2);
        assertArrayEquals(new long[] {1, -1}, t.to(DataType.INT64).longs());
    }

    @Test
    void reshapeSharesData() {
        Tensor t = Tensor.zeros(2, 3);
        Tensor r = t.reshape(3, 2);
        r.floats()[0] = 7;
        assertEquals(7, t.floats()[0]);
        assertThrows(SrException.class, () -> t.reshape(4, 2));
    }
}
