package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3×3 or 5×5, stride 1, dilation 1, group 1 convolution by Winograd F(4×4, 3×3) or F(2×2, 5×5) (both
 * on 6×6 input tiles). A work item is a run of
 * consecutive 4×4 output tiles of one image: their 6×6 input tiles are transformed into a per-thread
 * buffer {@code V[ξν][icBlock][tile][lane]}, then for each of the 36 elements {@code ξν} the products
 * with the transformed weights are a small GEMM (tiles × input channels × output channels), which is
 * exactly a 1×1 convolution over a 1×tiles image and runs on the same register-blocked micro-kernels
 * as the direct path; finally the output transform adds the bias and the epilogue runs on each tile.
 *
 * <p>Accuracy: the transforms scale values by up to 8 (Aᵀ) and 5 (Bᵀ), so the result carries more
 * rounding error than direct convolution, about 10× in RMS and growing with the input channel count:
 * measured NMSE against a double reference is ~3e-12 at 64 channels (direct: ~1e-14). The bound the
 * tests enforce, and why, is in {@code VectorConvWinogradTest}.
 */
final class VectorConvWinograd implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    private static final int E = Winograd4x4.ALPHA * Winograd4x4.ALPHA;

    /** Transformed weights: per tile element ξν, a 1×1 convolution packed for the micro-kernels. */
    static final class Packed {
        final int inC;
        final int outC;
        /** Output tile side: 4 for 3×3 kernels, 2 for 5×5. */
        final int m;
        /** Tiles per work item, a multiple of the micro-kernel width, sized so V and M stay in L2. */
        final int tiles;
        final PackedConv[] elements;
        final float[] bias;

        private Packed(int inC, int outC, int m, int tiles, PackedConv[] elements, float[] bias) {
            this.inC = inC;
            this.outC = outC;
            this.m = m;
            this.tiles = tiles;
            this.elements = elements;
            this.bias = bias;
        }

        /** Packs ONNX weights {@code [outC][inC][3][3]} and an optional bias. */
        static Packed pack(float[] w, float[] bias, int outC, int inC) {
            return pack(w, bias, outC, inC, 3);
        }

        /** Packs ONNX weights {@code [outC][inC][r][r]}, r = 3 or 5, and an optional bias. */
        static Packed pack(float[] w, float[] bias, int outC, int inC, int r) {
            int tiles = tilesFor(inC, outC);
            float[][] perElement = new float[E][outC * inC];
            for (int oc = 0; oc < outC; oc++) {
                for (int ic = 0; ic < inC; ic++) {
                    float[] u = r == 3 ? Winograd4x4.transformKernel(w, (oc * inC + ic) * 9)
                            : Winograd4x4.transformKernel5(w, (oc * inC + ic) * 25);
                    for (int e = 0; e < E; e++) {
                        perElement[e][oc * inC + ic] = u[e];
                    }
                }
            }
            PackedConv[] elements = new PackedConv[E];
            for (int e = 0; e < E; e++) {
                elements[e] = PackedConv.pack(perElement[e], null, outC, inC, 1, 1, 1, false);
            }
            float[] b = new float[Simd.padded(outC)];
            if (bias != null) {
                System.arraycopy(bias, 0, b, 0, outC);
            }
            return new Packed(inC, outC, r == 3 ? Winograd4x4.M : 2, tiles, elements, b);
        }

        /** Per-thread scratch floats this layer needs. */
        int scratchSize() {
            return E * (Simd.padded(inC) + Simd.padded(outC)) * tiles + 2 * E * L;
        }
    }

    /** Keeps V and M of one work item within about half of a 1 MB L2. */
    static int tilesFor(int inC, int outC) {
        int bytesPerTile = E * 4 * (Simd.padded(inC) + Simd.padded(outC));
        int t = (512 * 1024 / bytesPerTile) / ConvPass.WIDE * ConvPass.WIDE;
        return Math.max(ConvPass.WIDE, Math.min(t, 4 * ConvPass.WIDE));
    }

    private final Packed packed;
    private final ConvPass[] passes;
    private final Epilogue epilogue;
    private final BlockedView in;
    private final BlockedView out;
    private final int padT;
    private final int padL;
    private final int tilesX;
    private final int tilesTotal;
    private final int chunks;
    private final float[][] scratch;

    /**
     * @param scratch one array per worker thread, each at least {@link Packed#scratchSize()} floats;
     *     shared with other layers, since layers run one at a time
     */
    VectorConvWinograd(Packed packed, int padT, int padL, Epilogue epilogue, BlockedView in, BlockedView out,
            float[][] scratch) {
        this.packed = packed;
        this.epilogue = epilogue;
        this.in = in;
        this.out = out;
        this.padT = padT;
        this.padL = padL;
        this.scratch = scratch;
        int tiles = packed.tiles;
        this.passes = new ConvPass[E];
        for (int e = 0; e < E; e++) {
            passes[e] = ConvPass.conv(packed.elements[e], false, 1, tiles, 1, tiles, 1, 1, 1, 1, 0, 0);
        }
        int tilesY = Math.ceilDiv(out.height, packed.m);
        this.tilesX = Math.ceilDiv(out.width, packed.m);
        this.tilesTotal = tilesY * tilesX;
        this.chunks = Math.ceilDiv(tilesTotal, tiles);
    }

    int items() {
        return out.batch * chunks;
    }

    @Override
    public void run(int worker, int item) {
        int n = item / chunks;
        int k0 = (item - n * chunks) * packed.tiles;
        int count = Math.min(packed.tiles, tilesTotal - k0);
        int tiles = packed.tiles;
        int icBlocks = Simd.blocks(packed.inC);
        int ocBlocks = Simd.blocks(packed.outC);
        int vE = icBlocks * tiles * L;
        int mE = ocBlocks * tiles * L;
        float[] buf = scratch[worker];
        int mOff = E * vE;
        int tmpOff = mOff + E * mE;
        int patchOff = tmpOff + E * L;
        for (int t = 0; t < count; t++) {
            int k = k0 + t;
            int iy0 = (k / tilesX) * packed.m - padT;
            int ix0 = (k % tilesX) * packed.m - padL;
            for (int icb = 0; icb < icBlocks; icb++) {
                float[] src;
                int s0;
                int rowStride;
                if (iy0 >= 0 && ix0 >= 0 && iy0 + 6 <= in.height && ix0 + 6 <= in.width) {
                    src = in.data;
                    s0 = in.base(n) + ((icb * in.height + iy0) * in.width + ix0) * L;
                    rowStride = in.width * L;
                } else {
                    gatherPatch(buf, patchOff, n, icb, iy0, ix0);
                    src = buf;
                    s0 = patchOff;
                    rowStride = 6 * L;
                }
                for (int r = 0; r < 6; r++) {
                    Winograd4x4.inputLine(src, s0 + r * rowStride, L, buf, tmpOff + r * 6 * L, L);
                }
                int v0 = (icb * tiles + t) * L;
                for (int j = 0; j < 6; j++) {
                    Winograd4x4.inputLine(buf, tmpOff + j * L, 6 * L, buf, j * vE + v0, 6 * vE);
                }
            }
        }
        for (int e = 0; e < E; e++) {
            ConvPass p = passes[e];
            for (int gi = 0; gi < p.groupCount(); gi++) {
                p.runRow(buf, e * vE, buf, mOff + e * mE, 0, gi);
            }
        }
        int m = packed.m;
        for (int t = 0; t < count; t++) {
            int k = k0 + t;
            int oy0 = (k / tilesX) * m;
            int ox0 = (k % tilesX) * m;
            int h = Math.min(m, out.height - oy0);
            int w = Math.min(m, out.width - ox0);
            for (int ocb = 0; ocb < ocBlocks; ocb++) {
                int m0 = mOff + (ocb * tiles + t) * L;
                for (int j = 0; j < 6; j++) {
                    if (m == 4) {
                        Winograd4x4.outputLine(buf, m0 + j * mE, 6 * mE, buf, tmpOff + j * L, 6 * L, null, 0);
                    } else {
                        Winograd4x4.outputLine2(buf, m0 + j * mE, 6 * mE, buf, tmpOff + j * L, 6 * L, null, 0);
                    }
                }
                int base = out.base(n);
                for (int r = 0; r < h; r++) {
                    int rel = ((ocb * out.height + oy0 + r) * out.width + ox0) * L;
                    boolean full = w == m;
                    float[] dst = full ? out.data : buf;
                    int d0 = full ? base + rel : patchOff;
                    if (m == 4) {
                        Winograd4x4.outputLine(buf, tmpOff + r * 6 * L, L, dst, d0, L, packed.bias, ocb * L);
                    } else {
                        Winograd4x4.outputLine2(buf, tmpOff + r * 6 * L, L, dst, d0, L, packed.bias, ocb * L);
                    }
                    if (!full) {
                        System.arraycopy(buf, patchOff, out.data, base + rel, w * L);
                    }
                    epilogue.apply(out.data, base, rel, n, ocb, w);
                }
            }
        }
    }

    /** Copies a 6×6 input window of one channel block into the patch buffer, zero outside the image. */
    private void gatherPatch(float[] buf, int patchOff, int n, int icb, int iy0, int ix0) {
        for (int r = 0; r < 6; r++) {
            int iy = iy0 + r;
            for (int c = 0; c < 6; c++) {
                int ix = ix0 + c;
                int dst = patchOff + (r * 6 + c) * L;
                if (iy >= 0 && iy < in.height && ix >= 0 && ix < in.width) {
                    System.arraycopy(in.data, in.base(n) + ((icb * in.height + iy) * in.width + ix) * L, buf, dst, L);
                } else {
                    java.util.Arrays.fill(buf, dst, dst + L, 0f);
                }
            }
        }
    }
}
