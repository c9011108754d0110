package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.srengine.ops.FusedActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layout conversion, DepthToSpace, Resize, GlobalAveragePool and Concat against plain NCHW definitions. */
class LayoutKernelsTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void blockedRoundTrip(int c) {
        float[] x = TestData.uniform(61, 2 * c * 5 * 3);
        BlockedView v = TestData.blocked(x, 2, c, 5, 3);
        assertArrayEquals(x, TestData.nchw(v));
        TestData.assertPaddingZero(v);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33})
    void depthToSpaceBothModes(int c) {
        for (int b : new int[] {2, 3, 4}) {
            for (boolean crd : new boolean[] {false, true}) {
                int n = 2;
                int h = 3;
                int w = 5;
                int ic = c * b * b;
                float[] x = TestData.uniform(62, n * ic * h * w);
                BlockedView out = TestData.poisoned(n, c, h * b, w * b);
                VectorDepthToSpace k = new VectorDepthToSpace(b, crd, TestData.blocked(x, n, ic, h, w), out);
                TestData.runAll(k, k.items());
                float[] expected = new float[x.length];
                for (int img = 0; img < n; img++) {
                    for (int oc = 0; oc < c; oc++) {
                        for (int y = 0; y < h * b; y++) {
                            for (int xx = 0; xx < w * b; xx++) {
                                int i = y % b;
                                int j = xx % b;
                                int src = crd ? oc * b * b + i * b + j : (i * b + j) * c + oc;
                                expected[((img * c + oc) * h * b + y) * w * b + xx] =
                                        x[((img * ic + src) * h + y / b) * w + xx / b];
                            }
                        }
                    }
                }
                assertArrayEquals(expected, TestData.nchw(out), "b=" + b + " crd=" + crd + " c=" + c);
                TestData.assertPaddingZero(out);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17})
    void resizeWithTables(int c) {
        int h = 5;
        int w = 6;
        int oh = 11;
        int ow = 13;
        float[] x = TestData.uniform(63, c * h * w);
        VectorResize.AxisTable ty = table(64, oh, h, 4);
        VectorResize.AxisTable tx = table(65, ow, w, 4);
        BlockedView out = TestData.poisoned(1, c, oh, ow);
        VectorResize k = new VectorResize(ty, tx, TestData.blocked(x, 1, c, h, w), out);
        TestData.runAll(k, k.items());
        float[] expected = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double s = 0;
                    for (int a = 0; a < 4; a++) {
                        for (int b = 0; b < 4; b++) {
                            s += (double) ty.weight()[y * 4 + a] * tx.weight()[xx * 4 + b]
                                    * x[(ch * h + ty.index()[y * 4 + a]) * w + tx.index()[xx * 4 + b]];
                        }
                    }
                    expected[(ch * oh + y) * ow + xx] = (float) s;
                }
            }
        }
        TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, "cubic-like c=" + c);
        TestData.assertPaddingZero(out);

        int[] ny = new int[oh];
        int[] nx = new int[ow];
        float[] ones = new float[Math.max(oh, ow)];
        java.util.Arrays.fill(ones, 1f);
        for (int i = 0; i < oh; i++) {
            ny[i] = i * h / oh;
        }
        for (int i = 0; i < ow; i++) {
            nx[i] = i * w / ow;
        }
        BlockedView near = TestData.poisoned(1, c, oh, ow);
        VectorResize kn = new VectorResize(new VectorResize.AxisTable(1, ny, java.util.Arrays.copyOf(ones, oh)),
                new VectorResize.AxisTable(1, nx, java.util.Arrays.copyOf(ones, ow)), TestData.blocked(x, 1, c, h, w), near);
        TestData.runAll(kn, kn.items());
        float[] got = TestData.nchw(near);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    expected[(ch * oh + y) * ow + xx] = x[(ch * h + ny[y]) * w + nx[xx]];
                }
            }
        }
        assertArrayEquals(expected, got, "nearest");
    }

    private static VectorResize.AxisTable table(long seed, int out, int in, int taps) {
        float[] wts = TestData.uniform(seed, out * taps);
        int[] idx = new int[out * taps];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt(in);
        }
        return new VectorResize.AxisTable(taps, idx, wts);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 64})
    void globalAveragePool(int c) {
        int n = 2;
        int h = 7;
        int w = 9;
        float[] x = TestData.uniform(66, n * c * h * w);
        BlockedView out = TestData.poisoned(n, c, 1, 1);
        VectorGlobalAveragePool k = new VectorGlobalAveragePool(TestData.blocked(x, n, c, h, w), out,
                Epilogue.of(FusedActivation.NONE, c));
        TestData.runAll(k, k.items());
        float[] expected = new float[n * c];
        for (int i = 0; i < n * c; i++) {
            double s = 0;
            for (int p = 0; p < h * w; p++) {
                s += x[i * h * w + p];
            }
            expected[i] = (float) (s / (h * w));
        }
        TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, "c=" + c);
        TestData.assertPaddingZero(out);
    }

    @Test
    void concatAlignedAndUnaligned() {
        int[][] splits = {{16, 32}, {3, 7, 17}, {64, 32, 32, 32}, {1, 1}, {17, 16}};
        for (int[] parts : splits) {
            int n = 2;
            int h = 3;
            int w = 4;
            int total = 0;
            for (int p : parts) {
                total += p;
            }
            BlockedView[] in = new BlockedView[parts.length];
            float[][] data = new float[parts.length][];
            for (int i = 0; i < parts.length; i++) {
                data[i] = TestData.uniform(70 + i, n * parts[i] * h * w);
                in[i] = TestData.blocked(data[i], n, parts[i], h, w);
            }
            BlockedView out = TestData.poisoned(n, total, h, w);
            VectorConcat k = new VectorConcat(in, out);
            TestData.runAll(k, k.items());
            float[] expected = new float[n * total * h * w];
            for (int img = 0; img < n; img++) {
                int off = 0;
                for (int i = 0; i < parts.length; i++) {
                    System.arraycopy(data[i], img * parts[i] * h * w, expected, (img * total + off) * h * w, parts[i] * h * w);
                    off += parts[i];
                }
            }
            assertArrayEquals(expected, TestData.nchw(out), java.util.Arrays.toString(parts));
            TestData.assertPaddingZero(out);
        }
    }
}
