package io.srengine.cpu;

import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorConv2dTest {
    record Case(int n, int c, int h, int w, int oc, int kh, int kw, int sy, int sx, int dy, int dx, int padT, int padL,
            int padB, int padR, int groups) {
        int oh() {
            return (h + padT + padB - ((kh - 1) * dy + 1)) / sy + 1;
        }

        int ow() {
            return (w + padL + padR - ((kw - 1) * dx + 1)) / sx + 1;
        }

        @Override
        public String toString() {
            return n + "x" + c + "x" + h + "x" + w + " -> " + oc + " k" + kh + "x" + kw + " s" + sy + "," + sx + " d" + dy
                    + "," + dx + " p" + padT + "," + padL + "," + padB + "," + padR + " g" + groups;
        }
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        int[] channels = {1, 3, 7, 16, 17, 33, 64};
        for (int c : channels) {
            for (int oc : new int[] {1, 7, 17, 64}) {
                l.add(new Case(1, c, 9, 13, oc, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
            }
            l.add(new Case(1, c, 7, 11, 33, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1));
        }
        l.add(new Case(2, 16, 15, 17, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        l.add(new Case(1, 3, 19, 21, 64, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1));
        l.add(new Case(1, 1, 19, 21, 56, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1));
        l.add(new Case(1, 3, 20, 23, 64, 9, 9, 1, 1, 1, 1, 4, 4, 4, 4, 1));
        l.add(new Case(1, 17, 15, 16, 33, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1));
        l.add(new Case(1, 7, 17, 19, 16, 3, 5, 2, 3, 1, 1, 0, 2, 1, 0, 1));
        l.add(new Case(1, 16, 15, 17, 17, 3, 3, 1, 1, 2, 3, 2, 3, 2, 3, 1));
        l.add(new Case(1, 33, 13, 14, 7, 2, 4, 1, 2, 3, 1, 0, 0, 3, 2, 1));
        l.add(new Case(1, 64, 9, 11, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4));
        l.add(new Case(1, 34, 9, 11, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 17));
        l.add(new Case(1, 6, 9, 8, 9, 3, 3, 2, 1, 1, 1, 1, 1, 0, 1, 3));
        l.add(new Case(1, 16, 5, 4, 16, 7, 7, 1, 1, 1, 1, 3, 3, 3, 3, 1));
        l.add(new Case(1, 8, 3, 3, 8, 3, 3, 1, 1, 1, 1, 5, 5, 5, 5, 1));
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScalarTwin(Case t) {
        float[] x = TestData.uniform(1, t.n * t.c * t.h * t.w);
        int icg = t.c / t.groups;
        float[] w = TestData.uniform(2, t.oc * icg * t.kh * t.kw);
        float[] bias = TestData.uniform(3, t.oc);
        float[] expected = VectorConv2d.scalar(x, t.n, t.c, t.h, t.w, w, bias, t.oc, t.kh, t.kw, t.sy, t.sx, t.dy, t.dx,
                t.padT, t.padL, t.groups, t.oh(), t.ow());
        BlockedView in = TestData.blocked(x, t.n, t.c, t.h, t.w);
        BlockedView out = TestData.poisoned(t.n, t.oc, t.oh(), t.ow());
        PackedConv pw = PackedConv.pack(w, bias, t.oc, t.c, t.groups, t.kh, t.kw, false);
        ConvPass pass = ConvPass.conv(pw, false, t.h, t.w, t.oh(), t.ow(), t.sy, t.sx, t.dy, t.dx, t.padT, t.padL);
        VectorConv2d k = new VectorConv2d(pass, Epilogue.of(FusedActivation.NONE, t.oc), in.data, 0, in.batchStride, out);
        TestData.runAll(k, k.items());
        TestData.assertClose(TestData.nchw(out), expected, TestData.DIRECT_NMSE, t.toString());
        TestData.assertPaddingZero(out);

        if (t.groups == 1 && t.oc <= Simd.LANES) {
            // The few-output-channel kernel is only chosen for tiny outC, but must be right for any.
            BlockedView out3 = TestData.poisoned(t.n, t.oc, t.oh(), t.ow());
            PackedConv pd = PackedConv.packDot(w, bias, t.oc, t.c, t.kh, t.kw);
            ConvPass dot = ConvPass.conv(pd, false, t.h, t.w, t.oh(), t.ow(), t.sy, t.sx, t.dy, t.dx, t.padT, t.padL);
            VectorConv2d kd = new VectorConv2d(dot, Epilogue.of(FusedActivation.NONE, t.oc), in.data, 0, in.batchStride, out3);
            TestData.runAll(kd, kd.items());
            TestData.assertClose(TestData.nchw(out3), expected, TestData.DIRECT_NMSE, "dot " + t);
            TestData.assertPaddingZero(out3);
        }
        if (t.groups == 1) {
            BlockedView out2 = TestData.poisoned(t.n, t.oc, t.oh(), t.ow());
            PackedConv pp = PackedConv.pack(w, bias, t.oc, t.c, 1, t.kh, t.kw, true);
            ConvPass planar = ConvPass.conv(pp, true, t.h, t.w, t.oh(), t.ow(), t.sy, t.sx, t.dy, t.dx, t.padT, t.padL);
            VectorConv2d kp = new VectorConv2d(planar, Epilogue.of(FusedActivation.NONE, t.oc), x, 0, t.c * t.h * t.w, out2);
            TestData.runAll(kp, kp.items());
            TestData.assertClose(TestData.nchw(out2), expected, TestData.DIRECT_NMSE, "planar " + t);
        }
    }
}
