package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernels for convolutions with very few output channels (a last layer that produces RGB or
 * one luma channel, FSRCNN's 56→1 transposed convolution). Vectorising over output channels would
 * leave most lanes as padding, so these vectorise over input channels instead: each output value is
 * a dot product over taps × input channels, accumulated lane-wise and reduced once at the end. Eight
 * pixels share each weight vector load. Output padding lanes are written as zeros.
 */
final class DotTiles {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int WIDE = 8;

    private DotTiles() {}

    /** Eight output pixels. */
    static void p8(ConvPass c, float[] in, int ib, float[] out, int ob, int ky0, int ky1, int kx0, int kx1) {
        final PackedConv pw = c.weights;
        final float[] w = pw.weights;
        final int oc = pw.outChannels;
        final int nb = pw.groups[0].icBlocks;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ps = c.inPix, kw = c.kw, op = c.outPix;
        final FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < WIDE; p++) {
            zero.intoArray(out, ob + p * op);
        }
        for (int o = 0; o < oc; o++) {
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            for (int ky = ky0; ky < ky1; ky++) {
                for (int kx = kx0; kx < kx1; kx++) {
                    final int it = ib + ky * tapY + kx * tapX;
                    final int wt = ((ky * kw + kx) * nb * oc + o) * L;
                    for (int cb = 0; cb < nb; cb++) {
                        final int i = it + cb * blk;
                        final FloatVector wv = FloatVector.fromArray(S, w, wt + cb * oc * L);
                        a0 = FloatVector.fromArray(S, in, i).fma(wv, a0);
                        a1 = FloatVector.fromArray(S, in, i + ps).fma(wv, a1);
                        a2 = FloatVector.fromArray(S, in, i + 2 * ps).fma(wv, a2);
                        a3 = FloatVector.fromArray(S, in, i + 3 * ps).fma(wv, a3);
                        a4 = FloatVector.fromArray(S, in, i + 4 * ps).fma(wv, a4);
                        a5 = FloatVector.fromArray(S, in, i + 5 * ps).fma(wv, a5);
                        a6 = FloatVector.fromArray(S, in, i + 6 * ps).fma(wv, a6);
                        a7 = FloatVector.fromArray(S, in, i + 7 * ps).fma(wv, a7);
                    }
                }
            }
            final float b = pw.bias[o];
            out[ob + o] = a0.reduceLanes(VectorOperators.ADD) + b;
            out[ob + op + o] = a1.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 2 * op + o] = a2.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 3 * op + o] = a3.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 4 * op + o] = a4.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 5 * op + o] = a5.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 6 * op + o] = a6.reduceLanes(VectorOperators.ADD) + b;
            out[ob + 7 * op + o] = a7.reduceLanes(VectorOperators.ADD) + b;
        }
    }

    /** One output pixel with its own clipped tap window. */
    static void p1(ConvPass c, float[] in, int ib, float[] out, int ob, int ky0, int ky1, int kx0, int kx1) {
        final PackedConv pw = c.weights;
        final float[] w = pw.weights;
        final int oc = pw.outChannels;
        final int nb = pw.groups[0].icBlocks;
        FloatVector.zero(S).intoArray(out, ob);
        for (int o = 0; o < oc; o++) {
            FloatVector a = FloatVector.zero(S);
            for (int ky = ky0; ky < ky1; ky++) {
                for (int kx = kx0; kx < kx1; kx++) {
                    final int it = ib + ky * c.inTapY + kx * c.inTapX;
                    final int wt = ((ky * c.kw + kx) * nb * oc + o) * L;
                    for (int cb = 0; cb < nb; cb++) {
                        a = FloatVector.fromArray(S, in, it + cb * c.inBlock)
                                .fma(FloatVector.fromArray(S, w, wt + cb * oc * L), a);
                    }
                }
            }
            out[ob + o] = a.reduceLanes(VectorOperators.ADD) + pw.bias[o];
        }
    }
}
