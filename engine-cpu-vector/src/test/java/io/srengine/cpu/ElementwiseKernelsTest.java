package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.srengine.ops.FusedActivation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Binary ops with their broadcasts, stand-alone activations and epilogue chains against scalar twins. */
class ElementwiseKernelsTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void binaryOpsWithEveryBroadcast(int c) {
        int n = 2;
        int h = 5;
        int w = 7;
        float[] a = TestData.uniform(41, n * c * h * w);
        float[] b = TestData.uniform(42, n * c * h * w);
        float[] b1 = TestData.uniform(43, c * h * w);
        float[] pc = TestData.uniform(44, n * c);
        float[] k = TestData.uniform(45, c);
        BlockedView va = TestData.blocked(a, n, c, h, w);
        for (VectorBinary.Op op : VectorBinary.Op.values()) {
            check(op, va, a, VectorBinary.Operand.full(TestData.blocked(b, n, c, h, w)), (i, ch, img) -> b[i], n, c, h, w);
            check(op, va, a, VectorBinary.Operand.full(TestData.blocked(b1, 1, c, h, w)),
                    (i, ch, img) -> b1[i - img * c * h * w], n, c, h, w);
            check(op, va, a, VectorBinary.Operand.perChannel(TestData.blocked(pc, n, c, 1, 1)),
                    (i, ch, img) -> pc[img * c + ch], n, c, h, w);
            check(op, va, a, VectorBinary.Operand.constant(k, c), (i, ch, img) -> k[ch], n, c, h, w);
            check(op, va, a, VectorBinary.Operand.constant(new float[] {0.25f}, c), (i, ch, img) -> 0.25f, n, c, h, w);
        }
    }

    interface Second {
        float at(int index, int channel, int image);
    }

    private static void check(VectorBinary.Op op, BlockedView va, float[] a, VectorBinary.Operand b, Second second, int n,
            int c, int h, int w) {
        BlockedView out = TestData.poisoned(n, c, h, w);
        VectorBinary k = new VectorBinary(op, VectorBinary.Operand.full(va), b, out, Epilogue.of(FusedActivation.NONE, c));
        TestData.runAll(k, k.items());
        float[] expected = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            int ch = (i / (h * w)) % c;
            int img = i / (c * h * w);
            expected[i] = VectorBinary.scalar(op, a[i], second.at(i, ch, img));
        }
        assertArrayEquals(expected, TestData.nchw(out), op + " with " + c + " channels");
        TestData.assertPaddingZero(out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void activationsAndEpilogueChains(int c) {
        int n = 1;
        int h = 3;
        int w = 9;
        float[] x = TestData.uniform(51, n * c * h * w);
        for (int i = 0; i < x.length; i += 7) {
            x[i] *= 40; // reach the saturated ends of Sigmoid and Tanh
        }
        float[] residual = TestData.uniform(52, x.length);
        float[] perChannel = TestData.uniform(53, c);
        BlockedView res = TestData.blocked(residual, n, c, h, w);
        FusedActivation[] acts = {
            FusedActivation.NONE,
            new FusedActivation(FusedActivation.Kind.RELU, 0, 0, 0, null),
            new FusedActivation(FusedActivation.Kind.LEAKY_RELU, 0.2f, 0, 0, null),
            new FusedActivation(FusedActivation.Kind.PRELU, 0, 0, 0, perChannel),
            new FusedActivation(FusedActivation.Kind.PRELU, 0, 0, 0, new float[] {0.3f}),
            new FusedActivation(FusedActivation.Kind.SIGMOID, 0, 0, 0, null),
            new FusedActivation(FusedActivation.Kind.TANH, 0, 0, 0, null),
            new FusedActivation(FusedActivation.Kind.CLIP, 0, 0.1f, 0.5f, null),
        };
        for (FusedActivation act : acts) {
            Epilogue e = Epilogue.of(act, c).thenScale(0.2f).thenAdd(res).thenAddChannels(perChannel)
                    .thenMulChannels(new float[] {1.5f})
                    .thenActivation(new FusedActivation(FusedActivation.Kind.CLIP, 0, -0.5f, 0.75f, null));
            BlockedView out = TestData.poisoned(n, c, h, w);
            VectorUnary k = new VectorUnary(TestData.blocked(x, n, c, h, w), out, e);
            TestData.runAll(k, k.items());
            float[] expected = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                int ch = (i / (h * w)) % c;
                int at = i;
                expected[i] = e.applyScalar(x[i], ch, slot -> residual[at]);
            }
            TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, act.kind() + " c=" + c);
            TestData.assertPaddingZero(out);

            BlockedView plain = TestData.poisoned(n, c, h, w);
            VectorUnary k2 = new VectorUnary(TestData.blocked(x, n, c, h, w), plain, Epilogue.of(act, c));
            TestData.runAll(k2, k2.items());
            float[] got = TestData.nchw(plain);
            for (int i = 0; i < x.length; i++) {
                float want = act.apply(x[i], (i / (h * w)) % c);
                assertEquals(want, got[i], 2e-6f * Math.max(1, Math.abs(want)), act.kind() + " of " + x[i]);
            }
            TestData.assertPaddingZero(plain);
        }
    }
}
