package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/** Seeded inputs and the error measures the kernel tests share. */
final class TestData {
    /** The bound for direct (non-Winograd) paths: normalised mean squared error. */
    static final double DIRECT_NMSE = 1e-7;

    private TestData() {}

    /** {@code count} values uniform in [-1, 1), the same for the same seed. */
    static float[] uniform(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[count];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** sum((a−e)²) / sum(e²); 0 when both are all zero. */
    static double nmse(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        return den == 0 ? num : num / den;
    }

    static void assertClose(float[] actual, float[] expected, double bound, String what) {
        double e = nmse(actual, expected);
        assertTrue(e <= bound, what + ": NMSE " + e + " > " + bound);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]) || !Float.isFinite(expected[i]), what + ": non-finite at " + i);
        }
    }

    /** A fresh blocked view holding {@code nchw}. */
    static BlockedView blocked(float[] nchw, int n, int c, int h, int w) {
        BlockedView v = new BlockedView(new float[BlockedView.size(n, c, h, w)], 0, Simd.padded(c) * h * w, n, c, h, w);
        Layouts.toBlocked(nchw, 0, v);
        return v;
    }

    /** A blocked view filled with NaN, so that anything a kernel forgets to write shows up. */
    static BlockedView poisoned(int n, int c, int h, int w) {
        float[] a = new float[BlockedView.size(n, c, h, w)];
        java.util.Arrays.fill(a, Float.NaN);
        return new BlockedView(a, 0, Simd.padded(c) * h * w, n, c, h, w);
    }

    static float[] nchw(BlockedView v) {
        float[] a = new float[v.batch * v.channels * v.height * v.width];
        Layouts.fromBlocked(v, a, 0);
        return a;
    }

    /** Checks that the padding lanes of every last channel block are exactly zero. */
    static void assertPaddingZero(BlockedView v) {
        int L = Simd.LANES;
        int lastBlock = v.blocks() - 1;
        int real = v.channels - lastBlock * L;
        for (int n = 0; n < v.batch; n++) {
            for (int p = 0; p < v.height * v.width; p++) {
                for (int l = real; l < L; l++) {
                    float f = v.data[v.base(n) + (lastBlock * v.height * v.width + p) * L + l];
                    assertEquals(0f, f, "padding lane " + l + " at pixel " + p);
                }
            }
        }
    }

    /** Runs every item of a task on the calling thread. */
    static void runAll(WorkerPool.Task t, int items) {
        for (int i = 0; i < items; i++) {
            t.run(0, i);
        }
    }
}
