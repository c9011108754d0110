package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked convolution micro-kernels: {@code P} output pixels of one row × {@code B} output
 * channel blocks, accumulated in {@code P·B} vector registers that start from the bias. For every
 * tap and input channel the kernel loads the {@code B} weight vectors once and broadcasts each of the
 * {@code P} input scalars once, so a step costs {@code P + B} loads for {@code P·B} FMAs (6×4: 10
 * loads for 24 FMAs, which keeps the FMA units busy rather than the load ports). 6×4 needs 24
 * accumulators + 4 weights + 1 broadcast, within AVX-512's 32 registers; narrower machines use ×2.
 *
 * <p>Addressing comes from the {@link ConvPass} (input strides per tap, per output pixel, per channel
 * block and per channel) and the {@link PackedConv.Group} (channel range), so one kernel serves 3×3,
 * 1×1, strided, dilated, grouped and transposed-phase convolutions, on blocked or planar input. The
 * tap window {@code [ky0,ky1) × [kx0,kx1)} is already clipped to the image: the kernel does no
 * bounds logic. The unrolled bodies are generated-style on purpose; C2 keeps explicit locals in
 * registers but not arrays of vectors.
 */
final class ConvTiles {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    private ConvTiles() {}

    /** 6 output pixels × 4 output-channel blocks. */
    static void p6b4(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int ps = c.inPix, op = c.outPix;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * 4 * L;
        final int obs = c.outBlock;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        final FloatVector b1 = FloatVector.fromArray(S, bias, biasOff + L);
        final FloatVector b2 = FloatVector.fromArray(S, bias, biasOff + 2 * L);
        final FloatVector b3 = FloatVector.fromArray(S, bias, biasOff + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        FloatVector a40 = b0, a41 = b1, a42 = b2, a43 = b3;
        FloatVector a50 = b0, a51 = b1, a52 = b2, a53 = b3;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * 4 * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * 4 * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                        final FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                        final FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00); a01 = x0.fma(w1, a01); a02 = x0.fma(w2, a02); a03 = x0.fma(w3, a03);
                        final FloatVector x1 = FloatVector.broadcast(S, in[i + ps]);
                        a10 = x1.fma(w0, a10); a11 = x1.fma(w1, a11); a12 = x1.fma(w2, a12); a13 = x1.fma(w3, a13);
                        final FloatVector x2 = FloatVector.broadcast(S, in[i + 2 * ps]);
                        a20 = x2.fma(w0, a20); a21 = x2.fma(w1, a21); a22 = x2.fma(w2, a22); a23 = x2.fma(w3, a23);
                        final FloatVector x3 = FloatVector.broadcast(S, in[i + 3 * ps]);
                        a30 = x3.fma(w0, a30); a31 = x3.fma(w1, a31); a32 = x3.fma(w2, a32); a33 = x3.fma(w3, a33);
                        final FloatVector x4 = FloatVector.broadcast(S, in[i + 4 * ps]);
                        a40 = x4.fma(w0, a40); a41 = x4.fma(w1, a41); a42 = x4.fma(w2, a42); a43 = x4.fma(w3, a43);
                        final FloatVector x5 = FloatVector.broadcast(S, in[i + 5 * ps]);
                        a50 = x5.fma(w0, a50); a51 = x5.fma(w1, a51); a52 = x5.fma(w2, a52); a53 = x5.fma(w3, a53);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
        a01.intoArray(out, ob + obs);
        a02.intoArray(out, ob + 2 * obs);
        a03.intoArray(out, ob + 3 * obs);
        a10.intoArray(out, ob + op);
        a11.intoArray(out, ob + op + obs);
        a12.intoArray(out, ob + op + 2 * obs);
        a13.intoArray(out, ob + op + 3 * obs);
        a20.intoArray(out, ob + 2 * op);
        a21.intoArray(out, ob + 2 * op + obs);
        a22.intoArray(out, ob + 2 * op + 2 * obs);
        a23.intoArray(out, ob + 2 * op + 3 * obs);
        a30.intoArray(out, ob + 3 * op);
        a31.intoArray(out, ob + 3 * op + obs);
        a32.intoArray(out, ob + 3 * op + 2 * obs);
        a33.intoArray(out, ob + 3 * op + 3 * obs);
        a40.intoArray(out, ob + 4 * op);
        a41.intoArray(out, ob + 4 * op + obs);
        a42.intoArray(out, ob + 4 * op + 2 * obs);
        a43.intoArray(out, ob + 4 * op + 3 * obs);
        a50.intoArray(out, ob + 5 * op);
        a51.intoArray(out, ob + 5 * op + obs);
        a52.intoArray(out, ob + 5 * op + 2 * obs);
        a53.intoArray(out, ob + 5 * op + 3 * obs);
    }

    /** 6 output pixels × 2 output-channel blocks. */
    static void p6b2(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int ps = c.inPix, op = c.outPix;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * 2 * L;
        final int obs = c.outBlock;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        final FloatVector b1 = FloatVector.fromArray(S, bias, biasOff + L);
        FloatVector a00 = b0, a01 = b1;
        FloatVector a10 = b0, a11 = b1;
        FloatVector a20 = b0, a21 = b1;
        FloatVector a30 = b0, a31 = b1;
        FloatVector a40 = b0, a41 = b1;
        FloatVector a50 = b0, a51 = b1;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * 2 * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * 2 * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00); a01 = x0.fma(w1, a01);
                        final FloatVector x1 = FloatVector.broadcast(S, in[i + ps]);
                        a10 = x1.fma(w0, a10); a11 = x1.fma(w1, a11);
                        final FloatVector x2 = FloatVector.broadcast(S, in[i + 2 * ps]);
                        a20 = x2.fma(w0, a20); a21 = x2.fma(w1, a21);
                        final FloatVector x3 = FloatVector.broadcast(S, in[i + 3 * ps]);
                        a30 = x3.fma(w0, a30); a31 = x3.fma(w1, a31);
                        final FloatVector x4 = FloatVector.broadcast(S, in[i + 4 * ps]);
                        a40 = x4.fma(w0, a40); a41 = x4.fma(w1, a41);
                        final FloatVector x5 = FloatVector.broadcast(S, in[i + 5 * ps]);
                        a50 = x5.fma(w0, a50); a51 = x5.fma(w1, a51);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
        a01.intoArray(out, ob + obs);
        a10.intoArray(out, ob + op);
        a11.intoArray(out, ob + op + obs);
        a20.intoArray(out, ob + 2 * op);
        a21.intoArray(out, ob + 2 * op + obs);
        a30.intoArray(out, ob + 3 * op);
        a31.intoArray(out, ob + 3 * op + obs);
        a40.intoArray(out, ob + 4 * op);
        a41.intoArray(out, ob + 4 * op + obs);
        a50.intoArray(out, ob + 5 * op);
        a51.intoArray(out, ob + 5 * op + obs);
    }

    /** 6 output pixels × 1 output-channel block. */
    static void p6b1(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int ps = c.inPix, op = c.outPix;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * L;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        FloatVector a00 = b0;
        FloatVector a10 = b0;
        FloatVector a20 = b0;
        FloatVector a30 = b0;
        FloatVector a40 = b0;
        FloatVector a50 = b0;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00);
                        final FloatVector x1 = FloatVector.broadcast(S, in[i + ps]);
                        a10 = x1.fma(w0, a10);
                        final FloatVector x2 = FloatVector.broadcast(S, in[i + 2 * ps]);
                        a20 = x2.fma(w0, a20);
                        final FloatVector x3 = FloatVector.broadcast(S, in[i + 3 * ps]);
                        a30 = x3.fma(w0, a30);
                        final FloatVector x4 = FloatVector.broadcast(S, in[i + 4 * ps]);
                        a40 = x4.fma(w0, a40);
                        final FloatVector x5 = FloatVector.broadcast(S, in[i + 5 * ps]);
                        a50 = x5.fma(w0, a50);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
        a10.intoArray(out, ob + op);
        a20.intoArray(out, ob + 2 * op);
        a30.intoArray(out, ob + 3 * op);
        a40.intoArray(out, ob + 4 * op);
        a50.intoArray(out, ob + 5 * op);
    }

    /** 1 output pixel × 4 output-channel blocks. */
    static void p1b4(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * 4 * L;
        final int obs = c.outBlock;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        final FloatVector b1 = FloatVector.fromArray(S, bias, biasOff + L);
        final FloatVector b2 = FloatVector.fromArray(S, bias, biasOff + 2 * L);
        final FloatVector b3 = FloatVector.fromArray(S, bias, biasOff + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * 4 * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * 4 * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                        final FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                        final FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00); a01 = x0.fma(w1, a01); a02 = x0.fma(w2, a02); a03 = x0.fma(w3, a03);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
        a01.intoArray(out, ob + obs);
        a02.intoArray(out, ob + 2 * obs);
        a03.intoArray(out, ob + 3 * obs);
    }

    /** 1 output pixel × 2 output-channel blocks. */
    static void p1b2(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * 2 * L;
        final int obs = c.outBlock;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        final FloatVector b1 = FloatVector.fromArray(S, bias, biasOff + L);
        FloatVector a00 = b0, a01 = b1;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * 2 * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * 2 * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00); a01 = x0.fma(w1, a01);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
        a01.intoArray(out, ob + obs);
    }

    /** 1 output pixel × 1 output-channel block. */
    static void p1b1(ConvPass c, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1, int kx0, int kx1) {
        final float[] w = c.weights.weights;
        final int tapY = c.inTapY, tapX = c.inTapX, blk = c.inBlock, ls = c.inLane, kw = c.kw;
        final int nb = g.icBlocks, full = g.fullLanes, last = g.lastLanes, tapW = g.slots * L;
        final FloatVector b0 = FloatVector.fromArray(S, bias, biasOff);
        FloatVector a00 = b0;
        for (int ky = ky0; ky < ky1; ky++) {
            for (int kx = kx0; kx < kx1; kx++) {
                final int it = ib + ky * tapY + kx * tapX;
                final int wt = g.offset + (ky * kw + kx) * tapW;
                for (int cb = 0; cb < nb; cb++) {
                    final int n = cb == nb - 1 ? last : full;
                    final int i0 = it + cb * blk;
                    final int wc = wt + cb * full * L;
                    for (int l = 0; l < n; l++) {
                        final int i = i0 + l * ls;
                        final int wi = wc + l * L;
                        final FloatVector w0 = FloatVector.fromArray(S, w, wi);
                        final FloatVector x0 = FloatVector.broadcast(S, in[i]);
                        a00 = x0.fma(w0, a00);
                    }
                }
            }
        }
        a00.intoArray(out, ob);
    }

}
