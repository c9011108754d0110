package io.srengine.cpu;

import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorConvTransposeTest {
    record Case(int n, int c, int h, int w, int oc, int kh, int kw, int sy, int sx, int dy, int dx, int padT, int padL,
            int padB, int padR, int outPadY, int outPadX, int groups) {
        int oh() {
            return sy * (h - 1) + outPadY + (kh - 1) * dy + 1 - padT - padB;
        }

        int ow() {
            return sx * (w - 1) + outPadX + (kw - 1) * dx + 1 - padL - padR;
        }
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        for (int c : new int[] {1, 3, 7, 16, 17, 33, 64}) {
            l.add(new Case(1, c, 7, 9, 17, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1));
        }
        // FSRCNN's last layer: 9x9, stride 2 and 3, output padding s-1, one output channel.
        l.add(new Case(1, 56, 9, 11, 1, 9, 9, 2, 2, 1, 1, 4, 4, 4, 4, 1, 1, 1));
        l.add(new Case(1, 12, 8, 7, 1, 9, 9, 3, 3, 1, 1, 4, 4, 4, 4, 2, 2, 1));
        l.add(new Case(2, 16, 5, 6, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        l.add(new Case(1, 8, 5, 7, 16, 3, 5, 3, 2, 2, 3, 0, 2, 1, 0, 0, 1, 1));
        l.add(new Case(1, 16, 6, 5, 16, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 1));
        l.add(new Case(1, 16, 6, 5, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 4));
        l.add(new Case(1, 7, 5, 5, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1));
        l.add(new Case(1, 4, 4, 5, 6, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2));
        // Negative padding: the output is larger than what the input covers.
        l.add(new Case(1, 5, 4, 4, 5, 3, 3, 2, 2, 1, 1, -1, -2, -1, -2, 0, 0, 1));
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScalarTwin(Case t) {
        float[] x = TestData.uniform(21, t.n * t.c * t.h * t.w);
        float[] w = TestData.uniform(22, t.c * (t.oc / t.groups) * t.kh * t.kw);
        float[] b = TestData.uniform(23, t.oc);
        float[] expected = VectorConvTranspose.scalar(x, t.n, t.c, t.h, t.w, w, b, t.oc, t.kh, t.kw, t.sy, t.sx, t.dy,
                t.dx, t.padT, t.padL, t.groups, t.oh(), t.ow());
        BlockedView in = TestData.blocked(x, t.n, t.c, t.h, t.w);
        BlockedView out = TestData.poisoned(t.n, t.oc, t.oh(), t.ow());
        var phases = VectorConvTranspose.Phases.build(w, b, t.c, t.oc, t.groups, t.kh, t.kw, t.h, t.w, t.oh(), t.ow(),
                t.sy, t.sx, t.dy, t.dx, t.padT, t.padL);
        VectorConvTranspose k = new VectorConvTranspose(phases, Epilogue.of(FusedActivation.NONE, t.oc), in, out);
        TestData.runAll(k, k.items());
        TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, t.toString());
        TestData.assertPaddingZero(out);
    }
}
