package io.srengine.cpu;

import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorConvDepthwiseTest {
    record Case(int n, int c, int h, int w, int k, int s, int d, int pad) {
        int oh() {
            return (h + 2 * pad - ((k - 1) * d + 1)) / s + 1;
        }

        int ow() {
            return (w + 2 * pad - ((k - 1) * d + 1)) / s + 1;
        }
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        for (int c : new int[] {1, 3, 7, 16, 17, 33, 64}) {
            l.add(new Case(1, c, 11, 19, 3, 1, 1, 1));
        }
        l.add(new Case(2, 17, 13, 21, 5, 2, 1, 2));
        l.add(new Case(1, 33, 15, 23, 3, 1, 2, 2));
        l.add(new Case(1, 16, 4, 5, 7, 1, 1, 3));
        l.add(new Case(1, 7, 9, 9, 3, 3, 1, 0));
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScalarTwin(Case t) {
        float[] x = TestData.uniform(11, t.n * t.c * t.h * t.w);
        float[] w = TestData.uniform(12, t.c * t.k * t.k);
        float[] b = TestData.uniform(13, t.c);
        float[] expected = VectorConv2d.scalar(x, t.n, t.c, t.h, t.w, w, b, t.c, t.k, t.k, t.s, t.s, t.d, t.d, t.pad,
                t.pad, t.c, t.oh(), t.ow());
        BlockedView in = TestData.blocked(x, t.n, t.c, t.h, t.w);
        BlockedView out = TestData.poisoned(t.n, t.c, t.oh(), t.ow());
        var packed = VectorConvDepthwise.PackedDepthwise.pack(w, b, t.c, t.k, t.k);
        VectorConvDepthwise k = new VectorConvDepthwise(packed, t.s, t.s, t.d, t.d, t.pad, t.pad,
                Epilogue.of(FusedActivation.NONE, t.c), in, out);
        TestData.runAll(k, k.items());
        TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, t.toString());
        TestData.assertPaddingZero(out);
    }
}
