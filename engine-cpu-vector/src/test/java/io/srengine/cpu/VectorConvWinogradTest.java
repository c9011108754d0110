package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd F(4×4, 3×3) and F(2×2, 5×5) against the double-precision scalar convolution.
 *
 * <p>Bound: NMSE ≤ 1e-9, stricter than the 1e-7 of direct paths in absolute terms but justified
 * differently. The transforms scale values by up to 8 (Aᵀ, twice: 64 on corner outputs), 5 (Bᵀ) and
 * 1/24 (G), so each of the 36 products carries several extra fp32 roundings on values larger than the
 * direct products; the error therefore grows with the input channel count (the GEMM sums it) and is
 * about 10× the direct path's in RMS. Measured on these cases: 2e-13 at 1 channel to 3e-12 at 64; a
 * 192-channel layer (RRDBNet's widest) extrapolates to ~1e-11. 1e-9 keeps two orders of magnitude of
 * headroom for other CPUs and widths yet fails on any transform, indexing or padding error (NMSE ≥ 1e-3).
 */
class VectorConvWinogradTest {
    static final double WINOGRAD_NMSE = 1e-9;

    record Case(int n, int c, int h, int w, int oc, int padT, int padL, int padB, int padR, int r) {
        Case(int n, int c, int h, int w, int oc, int padT, int padL, int padB, int padR) {
            this(n, c, h, w, oc, padT, padL, padB, padR, 3);
        }

        int oh() {
            return h + padT + padB - (r - 1);
        }

        int ow() {
            return w + padL + padR - (r - 1);
        }
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        for (int c : new int[] {1, 3, 7, 16, 17, 33, 64}) {
            l.add(new Case(1, c, 13, 17, 17, 1, 1, 1, 1));
        }
        l.add(new Case(1, 64, 23, 29, 64, 1, 1, 1, 1));
        l.add(new Case(2, 16, 8, 8, 33, 1, 1, 1, 1));
        l.add(new Case(1, 16, 9, 10, 16, 0, 0, 0, 0));
        l.add(new Case(1, 7, 6, 7, 5, 2, 0, 1, 2));
        l.add(new Case(1, 32, 3, 3, 7, 1, 1, 1, 1));
        // F(2x2, 5x5)
        for (int c : new int[] {1, 7, 16, 33, 64}) {
            l.add(new Case(1, c, 13, 17, 17, 2, 2, 2, 2, 5));
        }
        l.add(new Case(2, 64, 11, 9, 64, 2, 2, 2, 2, 5));
        l.add(new Case(1, 16, 9, 10, 5, 0, 1, 3, 0, 5));
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScalarConvolution(Case t) {
        float[] x = TestData.uniform(31, t.n * t.c * t.h * t.w);
        float[] w = TestData.uniform(32, t.oc * t.c * t.r * t.r);
        float[] b = TestData.uniform(33, t.oc);
        float[] expected = VectorConv2d.scalar(x, t.n, t.c, t.h, t.w, w, b, t.oc, t.r, t.r, 1, 1, 1, 1, t.padT, t.padL, 1,
                t.oh(), t.ow());
        BlockedView in = TestData.blocked(x, t.n, t.c, t.h, t.w);
        BlockedView out = TestData.poisoned(t.n, t.oc, t.oh(), t.ow());
        var packed = VectorConvWinograd.Packed.pack(w, b, t.oc, t.c, t.r);
        float[][] scratch = {new float[packed.scratchSize()]};
        VectorConvWinograd k = new VectorConvWinograd(packed, t.padT, t.padL, Epilogue.of(FusedActivation.NONE, t.oc),
                in, out, scratch);
        TestData.runAll(k, k.items());
        float[] actual = TestData.nchw(out);
        double e = TestData.nmse(actual, expected);
        System.out.println("Winograd " + t + ": NMSE " + e);
        assertTrue(e <= WINOGRAD_NMSE, t + ": NMSE " + e);
        TestData.assertPaddingZero(out);
    }
}
