package io.srengine.ops;

import static io.srengine.ops.SingleNodeGraph.fails;
import static io.srengine.ops.SingleNodeGraph.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;

class CastTest {
    private static Tensor cast(Tensor x, DataType to) {
        return op("Cast").attr("to", (long) to.onnxCode()).input(x).run();
    }

    @Test
    void floatToIntegerTruncatesTowardZero() {
        Tensor x = Tensor.of(new float[] {-2.7f, 2.7f, -0.5f, 1e10f}, 4);
        assertArrayEquals(new long[] {-2, 2, 0, 10_000_000_000L}, cast(x, DataType.INT64).longs());
        assertArrayEquals(new int[] {-2, 2, 0}, cast(Tensor.of(new float[] {-2.7f, 2.7f, -0.5f}, 3), DataType.INT32).ints());
    }

    @Test
    void integerToFloatIsExactWhereItCanBe() {
        Tensor x = Tensor.ofLongs(new long[] {-3, 0, 1L << 40}, 3);
        assertArrayEquals(new float[] {-3, 0, 1L << 40}, cast(x, DataType.FLOAT32).floats());
        assertArrayEquals(new double[] {-3, 0, 1L << 40}, cast(x, DataType.FLOAT64).doubles());
        assertArrayEquals(new long[] {7, -1}, cast(Tensor.ofInts(new int[] {7, -1}, 2), DataType.INT64).longs());
    }

    @Test
    void doubleToFloat16RoundsOnce() {
        // 1 + 2^-11 + 2^-40 lies just above the midpoint of 1 and the next float16, 1 + 2^-10. Rounding
        // through float first would drop the 2^-40, land on the midpoint and round to even (1.0).
        double v = 1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -40);
        Tensor h = cast(Tensor.ofDoubles(new double[] {v, 65520.0, -0.0}, 3), DataType.FLOAT16);
        assertEquals((short) 0x3C01, h.shorts()[0]);
        assertEquals((short) 0x7C00, h.shorts()[1], "65520 rounds to infinity in float16");
        assertEquals((short) 0x8000, h.shorts()[2]);
    }

    @Test
    void floatToBfloat16RoundsToNearestEven() {
        float above = 1 + Math.scalb(1f, -8) + Math.scalb(1f, -20);
        float tie = 1 + Math.scalb(1f, -8);
        Tensor b = cast(Tensor.of(new float[] {above, tie, Float.NaN}, 3), DataType.BFLOAT16);
        assertEquals((short) 0x3F81, b.shorts()[0]);
        assertEquals((short) 0x3F80, b.shorts()[1]);
        assertTrue(Float.isNaN(Tensor.bfloat16ToFloat(b.shorts()[2])));
    }

    @Test
    void toBoolIsNonZero() {
        Tensor b = cast(Tensor.of(new float[] {0f, -0f, 0.5f, Float.NaN}, 4), DataType.BOOL);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, b.bytes());
    }

    @Test
    void typesWithoutStorageAreUnsupported() {
        SrException e = fails(() -> op("Cast").attr("to", 17L).input(Tensor.zeros(2)).run());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("Cast node 'n'") && e.getMessage().contains("type 17"), e.getMessage());
        e = fails(() -> op("Cast").attr("to", 8L).input(Tensor.zeros(2)).run());
        assertTrue(e.getMessage().contains("STRING"), e.getMessage());
        e = fails(() -> op("Cast").input(Tensor.zeros(2)).run());
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
    }
}
