package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * One sweep of the micro-kernels over an output grid: an ordinary convolution is one pass, a
 * stride-s transposed convolution is s² passes whose output grids interleave (see {@link
 * VectorConvTranspose}). Output grid point {@code (q, u)} reads input pixel {@code (q·strideY + offY +
 * ky·dilY, u·strideX + offX + kx·dilX)} for tap {@code (ky, kx)} and is written at output pixel
 * {@code (oy0 + q·oyStep, ox0 + u·oxStep)} of a blocked output image.
 *
 * <p>A row is split into edge columns, whose tap window the image clips (one pixel at a time), and
 * interior columns, which run six pixels per call. Rows clip the tap window once for the whole row.
 */
final class ConvPass {
    private static final int L = Simd.LANES;
    /** Pixels per wide micro-kernel call for groups of 4, 2 and 1 channel blocks. */
    static int wide(int blocks) {
        return switch (blocks) {
            case 4 -> 4;
            case 2 -> 6;
            default -> 8;
        };
    }

    /** The Winograd GEMM's tile runs are a multiple of this, so they split into wide calls. */
    static final int WIDE = 24;

    final PackedConv weights;
    final int kh;
    final int kw;
    final int inH;
    final int inW;
    final int strideY;
    final int strideX;
    final int dilY;
    final int dilX;
    final int offY;
    final int offX;
    final int rows;
    final int cols;
    final int outH;
    final int outW;
    final int oy0;
    final int oyStep;
    final int ox0;
    final int oxStep;
    /** Floats per input pixel: LANES when blocked, 1 when planar. */
    final int pixElems;
    final int inTapY;
    final int inTapX;
    final int inPix;
    final int inBlock;
    final int inLane;
    final int outPix;
    final int outBlock;
    /** Columns {@code [uLo, uHi)} see their whole tap row inside the image. */
    final int uLo;
    final int uHi;
    /**
     * Planar input only: the input offset of reduction step {@code (ky·kw + kx)·channels + c}, for the
     * flat kernels of {@link ConvTiles}; null for blocked input.
     */
    final int[] flatOffsets;

    ConvPass(PackedConv weights, boolean planar, int inH, int inW, int strideY, int strideX, int dilY, int dilX,
            int offY, int offX, int rows, int cols, int outH, int outW, int oy0, int oyStep, int ox0, int oxStep) {
        this.weights = weights;
        this.kh = weights.kh;
        this.kw = weights.kw;
        this.inH = inH;
        this.inW = inW;
        this.strideY = strideY;
        this.strideX = strideX;
        this.dilY = dilY;
        this.dilX = dilX;
        this.offY = offY;
        this.offX = offX;
        this.rows = rows;
        this.cols = cols;
        this.outH = outH;
        this.outW = outW;
        this.oy0 = oy0;
        this.oyStep = oyStep;
        this.ox0 = ox0;
        this.oxStep = oxStep;
        this.pixElems = planar ? 1 : L;
        this.inTapY = dilY * inW * pixElems;
        this.inTapX = dilX * pixElems;
        this.inPix = strideX * pixElems;
        this.inBlock = planar ? 0 : inH * inW * L;
        this.inLane = planar ? inH * inW : 1;
        this.outPix = oxStep * L;
        this.outBlock = outH * outW * L;
        int lo = Math.max(0, Math.ceilDiv(-offX, strideX));
        int hi = kw == 0 ? lo : Math.min(cols, Math.floorDiv(inW - 1 - (kw - 1) * dilX - offX, strideX) + 1);
        this.uLo = Math.min(lo, cols);
        this.uHi = Math.max(hi, uLo);
        if (planar && weights.groups.length > 0 && !weights.dot) {
            int slots = weights.groups[0].slots;
            flatOffsets = new int[kh * kw * slots];
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int c = 0; c < slots; c++) {
                        flatOffsets[(ky * kw + kx) * slots + c] = ky * inTapY + kx * inTapX + c * inLane;
                    }
                }
            }
        } else {
            flatOffsets = null;
        }
    }

    /** An ordinary convolution: output pixel (y, x) reads from (y·s − pad + k·d). */
    static ConvPass conv(PackedConv w, boolean planar, int inH, int inW, int outH, int outW, int strideY, int strideX,
            int dilY, int dilX, int padTop, int padLeft) {
        return new ConvPass(w, planar, inH, inW, strideY, strideX, dilY, dilX, -padTop, -padLeft, outH, outW, outH,
                outW, 0, 1, 0, 1);
    }

    /** Output channel-block groups: the second parallel dimension next to rows. */
    int groupCount() {
        return weights.groups.length;
    }

    /** Computes grid row {@code q} for group {@code gi}: bias plus every tap, no epilogue. */
    void runRow(float[] in, int inBase, float[] out, int outBase, int q, int gi) {
        PackedConv.Group g = weights.groups[gi];
        int iy = q * strideY + offY;
        int ky0 = Math.max(0, Math.ceilDiv(-iy, dilY));
        int ky1 = Math.min(kh, Math.floorDiv(inH - 1 - iy, dilY) + 1);
        int oy = oy0 + q * oyStep;
        int rowOut = outBase + (g.ocBlock * outH + oy) * outW * L + ox0 * L;
        int rowIn = inBase + g.firstIn * (pixElems == 1 ? inLane : inBlock) + iy * inW * pixElems;
        float[] bias = weights.bias;
        int biasOff = g.ocBlock * L;
        if (ky0 >= ky1) {
            for (int u = 0; u < cols; u++) {
                biasOnly(g, bias, biasOff, out, rowOut + u * outPix);
            }
            return;
        }
        int u = 0;
        for (; u < uLo; u++) {
            edge(g, in, rowIn, bias, biasOff, out, rowOut, u, ky0, ky1);
        }
        int b = g.blocks;
        if (weights.dot) {
            int wide = DotTiles.wide(weights.outChannels);
            for (; u + wide <= uHi && weights.outChannels <= 4; u += wide) {
                DotTiles.wide(this, in, rowIn + (u * strideX + offX) * pixElems, out, rowOut + u * outPix, ky0, ky1, 0, kw);
            }
        } else if (flatOffsets != null) {
            int k0 = ky0 * kw * g.slots;
            int k1 = ky1 * kw * g.slots;
            boolean unit = inPix == 1;
            int wide = wide(b);
            for (; u + wide <= uHi; u += wide) {
                int ib = rowIn + (u * strideX + offX) * pixElems;
                int ob = rowOut + u * outPix;
                if (b == 4) {
                    if (unit) {
                        ConvTiles.f4b4u(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                    } else {
                        ConvTiles.f4b4(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                    }
                } else if (b == 2) {
                    if (unit) {
                        ConvTiles.f6b2u(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                    } else {
                        ConvTiles.f6b2(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                    }
                } else if (unit) {
                    ConvTiles.f8b1u(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                } else {
                    ConvTiles.f8b1(this, g, in, ib, bias, biasOff, out, ob, k0, k1);
                }
            }
        } else {
            // Blocked input. When every channel block runs whole, kernels of their own (their own
            // profile for C2; see gen_conv_tiles.py).
            boolean whole = inLane == 1 && g.fullLanes == L && 2 * g.lastLanes > L;
            int shape = (b == 4 ? 0 : b == 2 ? 4 : 8) + (inPix == L ? 2 : 0) + (whole ? 1 : 0);
            int wide = wide(b);
            for (; u + wide <= uHi; u += wide) {
                wideTile(shape, g, in, rowIn + (u * strideX + offX) * pixElems, bias, biasOff, out, rowOut + u * outPix,
                        ky0, ky1);
            }
        }
        for (; u < cols; u++) {
            edge(g, in, rowIn, bias, biasOff, out, rowOut, u, ky0, ky1);
        }
    }

    /**
     * One wide micro-kernel call. {@code shape}: 0, 4 or 8 for 4, 2 or 1 channel blocks, plus 2 for
     * input pixels {@code LANES} apart (stride 1), plus 1 for whole channel blocks.
     */
    private void wideTile(int shape, PackedConv.Group g, float[] in, int ib, float[] bias, int biasOff, float[] out,
            int ob, int ky0, int ky1) {
        switch (shape) {
            case 0 -> ConvTiles.p4b4(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 1 -> ConvTiles.p4b4f(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 2 -> ConvTiles.p4b4u(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 3 -> ConvTiles.p4b4uf(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 4 -> ConvTiles.p6b2(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 5 -> ConvTiles.p6b2f(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 6 -> ConvTiles.p6b2u(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 7 -> ConvTiles.p6b2uf(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 8 -> ConvTiles.p8b1(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 9 -> ConvTiles.p8b1f(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            case 10 -> ConvTiles.p8b1u(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
            default -> ConvTiles.p8b1uf(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, 0, kw);
        }
    }

    private void edge(PackedConv.Group g, float[] in, int rowIn, float[] bias, int biasOff, float[] out, int rowOut,
            int u, int ky0, int ky1) {
        int ix = u * strideX + offX;
        int kx0 = Math.max(0, Math.ceilDiv(-ix, dilX));
        int kx1 = Math.min(kw, Math.floorDiv(inW - 1 - ix, dilX) + 1);
        int ob = rowOut + u * outPix;
        if (kx0 >= kx1) {
            biasOnly(g, bias, biasOff, out, ob);
            return;
        }
        int ib = rowIn + ix * pixElems;
        if (weights.dot) {
            DotTiles.p1(this, in, ib, out, ob, ky0, ky1, kx0, kx1);
        } else if (g.blocks == 4) {
            ConvTiles.p1b4(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, kx0, kx1);
        } else if (g.blocks == 2) {
            ConvTiles.p1b2(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, kx0, kx1);
        } else {
            ConvTiles.p1b1(this, g, in, ib, bias, biasOff, out, ob, ky0, ky1, kx0, kx1);
        }
    }

    private void biasOnly(PackedConv.Group g, float[] bias, int biasOff, float[] out, int ob) {
        for (int b = 0; b < g.blocks; b++) {
            FloatVector.fromArray(Simd.SPECIES, bias, biasOff + b * L).intoArray(out, ob + b * outBlock);
        }
    }
}
