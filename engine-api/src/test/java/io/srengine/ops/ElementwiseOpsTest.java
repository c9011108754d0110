package io.srengine.ops;

import static io.srengine.ops.SingleNodeGraph.fails;
import static io.srengine.ops.SingleNodeGraph.op;
import static io.srengine.ops.TensorAssert.assertClose;
import static io.srengine.ops.TensorAssert.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the elementwise ops. */
class ElementwiseOpsTest {
    private static Tensor f(float... v) {
        return Tensor.of(v, v.length);
    }

    private static Tensor longs(long... v) {
        return Tensor.ofLongs(v, v.length);
    }

    @Test
    void activations() {
        Tensor x = f(-2f, -0.5f, 0f, 1.5f, Float.NaN);
        assertTensorEquals(f(0f, 0f, 0f, 1.5f, Float.NaN), op("Relu").input(x).run());
        assertTensorEquals(f(-0.2f, -0.05f, 0f, 1.5f, Float.NaN), op("LeakyRelu").attr("alpha", 0.1f).input(x).run());
        assertTensorEquals(f(-0.02f, -0.005f, 0f, 1.5f, Float.NaN), op("LeakyRelu").input(x).run());
        assertClose(f(0.11920292f, 0.37754067f, 0.5f, 0.81757448f, Float.NaN), op("Sigmoid").input(x).run(), 0, 1e-6, "");
        assertClose(f(-0.96402758f, -0.46211716f, 0f, 0.90514825f, Float.NaN), op("Tanh").input(x).run(), 0, 1e-6, "");
        assertTensorEquals(longs(0, 0, 7), op("Relu").input(longs(-3, 0, 7)).run());
    }

    @Test
    void sigmoidSaturatesWithoutOverflow() {
        Tensor y = op("Sigmoid").input(f(-1000f, -100f, 100f, 1000f)).run();
        assertArrayEquals(new float[] {0f, (float) Math.exp(-100), 1f, 1f}, y.floats());
    }

    @Test
    void preluTakesAScalarOrPerChannelSlope() {
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4, -5, 6, -7, 8}, 1, 2, 2, 2);
        Tensor perChannel = op("PRelu").input(x).constant(Tensor.of(new float[] {0.5f, 2f}, 2, 1, 1)).run();
        assertArrayEquals(new float[] {-0.5f, 2, -1.5f, 4, -10, 6, -14, 8}, perChannel.floats());
        Tensor shared = op("PRelu").input(x).constant(Tensor.of(new float[] {0.1f}, 1)).run();
        assertArrayEquals(new float[] {-0.1f, 2, -0.3f, 4, -0.5f, 6, -0.7f, 8}, shared.floats());
        // A [C] slope aligns with the last axis (W), not with the channels, so it does not fit here.
        SrException e = fails(() -> op("PRelu").input(x).constant(Tensor.of(new float[] {1, 2, 3}, 3)).run());
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
        assertTrue(e.getMessage().contains("PRelu node 'n'") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void clipBoundsAreOptionalAndMaxWinsWhenTheyCross() {
        Tensor x = f(-3f, 0.5f, 3f, Float.NaN);
        assertTensorEquals(f(-1f, 0.5f, 1f, Float.NaN), op("Clip").input(x).constant(Tensor.scalar(-1)).constant(Tensor.scalar(1)).run());
        assertTensorEquals(f(-3f, 0.5f, 1f, Float.NaN), op("Clip").input(x).absent().constant(Tensor.scalar(1)).run());
        assertTensorEquals(f(0f, 0.5f, 3f, Float.NaN), op("Clip").input(x).constant(Tensor.scalar(0)).run());
        assertTensorEquals(x, op("Clip").input(x).run());
        assertTensorEquals(f(-2f, -2f, -2f, Float.NaN), op("Clip").input(x).constant(Tensor.scalar(2)).constant(Tensor.scalar(-2)).run());
        assertTensorEquals(longs(0, 5, 9), op("Clip").input(longs(-4, 5, 12)).constant(Tensor.ofLongs(new long[] {0})).constant(Tensor.ofLongs(new long[] {9})).run());
        SrException e = fails(() -> op("Clip").input(x).constant(f(0f, 1f)).run());
        assertTrue(e.getMessage().contains("min") && e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void arithmeticBroadcastsBothWays() {
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 1, 3);
        assertTensorEquals(Tensor.of(new float[] {11, 21, 31, 12, 22, 32}, 2, 3), op("Add").input(col).input(row).run());
        assertTensorEquals(Tensor.of(new float[] {-9, -19, -29, -8, -18, -28}, 2, 3), op("Sub").input(col).input(row).run());
        assertTensorEquals(Tensor.of(new float[] {10, 20, 30, 20, 40, 60}, 2, 3), op("Mul").input(col).input(row).run());
        assertTensorEquals(Tensor.of(new float[] {0.1f, 0.05f, 1 / 30f, 0.2f, 0.1f, 2 / 30f}, 2, 3), op("Div").input(col).input(row).run());
        assertTensorEquals(f(Float.POSITIVE_INFINITY, Float.NaN), op("Div").input(f(1, 0)).input(f(0, 0)).run());
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        Tensor q = op("Div").input(longs(7, -7, 7, -7, 0)).input(longs(2, 2, -2, -2, 5)).run();
        assertArrayEquals(new long[] {3, -3, -3, 3, 0}, q.longs());
        Tensor q32 = op("Div").input(Tensor.ofInts(new int[] {-9}, 1)).input(Tensor.ofInts(new int[] {4}, 1)).run();
        assertArrayEquals(new int[] {-2}, q32.ints());
        SrException e = fails(() -> op("Div").input(longs(1, 2)).input(longs(1, 0)).run());
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("Div node 'n'") && e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void integerArithmeticWrapsAtTheTypeWidth() {
        Tensor sum = op("Add").input(Tensor.ofInts(new int[] {Integer.MAX_VALUE}, 1)).input(Tensor.ofInts(new int[] {1}, 1)).run();
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, sum.ints());
        Tensor u8 = op("Sub").input(Tensor.ofBytes(DataType.UINT8, new byte[] {3, (byte) 200}, 2))
                .input(Tensor.ofBytes(DataType.UINT8, new byte[] {5, 100}, 2)).run();
        assertEquals(254, u8.getLong(0));
        assertEquals(100, u8.getLong(1));
        Tensor prod = op("Mul").input(longs(3_000_000_000L)).input(longs(4)).run();
        assertArrayEquals(new long[] {12_000_000_000L}, prod.longs());
    }

    @Test
    void powKeepsTheBaseType() {
        assertTensorEquals(f(8f, 0.25f, 3f), op("Pow").input(f(2f, 4f, 9f)).input(f(3f, -1f, 0.5f)).run());
        assertTensorEquals(longs(8, 1, 0, -1, 1L << 62), op("Pow").input(longs(2, 5, 2, -1, 2)).input(longs(3, 0, -1, 3, 62)).run());
        Tensor intBaseFloatExponent = op("Pow").input(Tensor.ofInts(new int[] {2, 9}, 2)).input(f(0.5f, 0.5f)).run();
        assertArrayEquals(new int[] {1, 3}, intBaseFloatExponent.ints());
        Tensor floatBaseIntExponent = op("Pow").input(f(1.5f)).input(longs(2)).run();
        assertArrayEquals(new float[] {2.25f}, floatBaseIntExponent.floats());
    }

    @Test
    void variadicOpsBroadcastAllInputs() {
        Tensor a = Tensor.of(new float[] {1, 5}, 2, 1);
        Tensor b = f(3f, 2f, Float.NaN);
        Tensor c = Tensor.scalar(4f);
        assertTensorEquals(Tensor.of(new float[] {4, 4, Float.NaN, 5, 5, Float.NaN}, 2, 3), op("Max").input(a).input(b).input(c).run());
        assertTensorEquals(Tensor.of(new float[] {1, 1, Float.NaN, 3, 2, Float.NaN}, 2, 3), op("Min").input(a).input(b).input(c).run());
        assertTensorEquals(Tensor.of(new float[] {8, 7, Float.NaN, 12, 11, Float.NaN}, 2, 3), op("Sum").input(a).input(b).input(c).run());
        assertClose(Tensor.of(new float[] {2, 5 / 3f, Float.NaN, 10 / 3f, 3, Float.NaN}, 2, 3),
                op("Mean").input(a).input(b).input(Tensor.scalar(2f)).run(), 0, 1e-7, "Mean");
        assertTensorEquals(a, op("Max").input(a).run());
        Tensor u8 = op("Max").input(Tensor.ofBytes(DataType.UINT8, new byte[] {(byte) 200, 1}, 2))
                .input(Tensor.ofBytes(DataType.UINT8, new byte[] {100, 2}, 2)).run();
        assertEquals(200, u8.getLong(0));
    }

    @Test
    void unaryMath() {
        Tensor x = f(-2.5f, -0.5f, 0.5f, 4f);
        assertTensorEquals(f(-3f, -1f, 0f, 4f), op("Floor").input(x).run());
        assertTensorEquals(f(-2f, -0f, 1f, 4f), op("Ceil").input(x).run());
        assertTensorEquals(f(2.5f, 0.5f, 0.5f, 4f), op("Abs").input(x).run());
        assertTensorEquals(f(2.5f, 0.5f, -0.5f, -4f), op("Neg").input(x).run());
        assertTensorEquals(f(-0.4f, -2f, 2f, 0.25f), op("Reciprocal").input(x).run());
        assertTensorEquals(f(2f, 0f), op("Sqrt").input(f(4f, 0f)).run());
        assertTrue(Float.isNaN(op("Sqrt").input(f(-1f)).run().floats()[0]));
        assertTensorEquals(f(1f, (float) Math.E), op("Exp").input(f(0f, 1f)).run());
        assertTensorEquals(longs(3, 0, 5), op("Abs").input(longs(-3, 0, 5)).run());
        assertTensorEquals(longs(3, 0, -5), op("Neg").input(longs(-3, 0, 5)).run());
    }

    @Test
    void identityCopies() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = op("Identity").input(x).run();
        assertTensorEquals(x, y);
        y.floats()[0] = 9;
        assertEquals(1f, x.floats()[0], "the output must not share the input's array");
    }

    @Test
    void typesAreChecked() {
        SrException e = fails(() -> op("Add").input(f(1f)).input(longs(1)).run());
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("Add node 'n'") && e.getMessage().contains("INT64")
                && e.getMessage().contains("FLOAT32"), e.getMessage());
        e = fails(() -> op("Sigmoid").input(longs(1)).run());
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
        e = fails(() -> op("Neg").input(Tensor.ofBytes(DataType.UINT8, new byte[] {1}, 1)).run());
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
        e = fails(() -> op("Add").input(Tensor.ofBytes(DataType.BOOL, new byte[] {1}, 1))
                .input(Tensor.ofBytes(DataType.BOOL, new byte[] {1}, 1)).run());
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
        e = fails(() -> op("Add").input(Tensor.zeros(2, 3)).input(Tensor.zeros(2)).run());
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
        e = fails(() -> op("Sum").input(Tensor.zeros(2)).input(Tensor.ofDoubles(new double[] {1, 2}, 2)).run());
        assertEquals(ErrorCode.TYPE_MISMATCH, e.code());
    }
}
