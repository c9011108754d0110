package io.srengine.cpu;

/**
 * ConvTranspose by sub-pixel decomposition, never by inserting zeros: output row {@code oy} of a
 * stride-s transposed convolution only ever meets the taps {@code ky} with {@code ky·d ≡ oy + pad (mod
 * s)}, so each of the {@code s_y·s_x} output phases is an ordinary stride-1 convolution of the input
 * with a smaller, flipped sub-kernel, written to every s-th output pixel. Each phase is one {@link
 * ConvPass} with packed weights built once; no tap ever multiplies a structural zero.
 */
final class VectorConvTranspose implements WorkerPool.Task {
    private static final int L = Simd.LANES;

    /** The passes of one layer: {@code [phaseY][phaseX]}, with weights packed at compile time. */
    static final class Phases {
        final int strideY;
        final int strideX;
        private final AxisPhase[] phasesY;
        private final AxisPhase[] phasesX;
        private final PackedConv[][] packed;
        /** Null until {@link #bind}. */
        final ConvPass[][] passes;

        private Phases(int strideY, int strideX, AxisPhase[] phasesY, AxisPhase[] phasesX, PackedConv[][] packed,
                ConvPass[][] passes) {
            this.strideY = strideY;
            this.strideX = strideX;
            this.phasesY = phasesY;
            this.phasesX = phasesX;
            this.packed = packed;
            this.passes = passes;
        }

        /**
         * Packs the sub-kernels of a transposed convolution; which taps each phase uses depends on the
         * stride, dilation and leading padding only, not on the image size.
         *
         * @param w ONNX weights {@code [inC][outC/groups][kh][kw]}
         * @param padT leading padding along height (may be negative)
         * @param padL leading padding along width (may be negative)
         */
        static Phases pack(float[] w, float[] bias, int inC, int outC, int groups, int kh, int kw, int strideY,
                int strideX, int dilY, int dilX, int padT, int padL) {
            AxisPhase[] py = new AxisPhase[strideY];
            AxisPhase[] px = new AxisPhase[strideX];
            for (int r = 0; r < strideY; r++) {
                py[r] = AxisPhase.of(kh, strideY, dilY, padT, r);
            }
            for (int r = 0; r < strideX; r++) {
                px[r] = AxisPhase.of(kw, strideX, dilX, padL, r);
            }
            int icg = inC / groups;
            int ocg = outC / groups;
            PackedConv[][] packed = new PackedConv[strideY][strideX];
            for (int ry = 0; ry < strideY; ry++) {
                for (int rx = 0; rx < strideX; rx++) {
                    AxisPhase ay = py[ry];
                    AxisPhase ax = px[rx];
                    float[] sub = new float[outC * icg * ay.taps * ax.taps];
                    for (int oc = 0; oc < outC; oc++) {
                        int g = oc / ocg;
                        for (int i = 0; i < icg; i++) {
                            int ic = g * icg + i;
                            for (int t = 0; t < ay.taps; t++) {
                                for (int u = 0; u < ax.taps; u++) {
                                    sub[((oc * icg + i) * ay.taps + t) * ax.taps + u] =
                                            w[((ic * ocg + oc - g * ocg) * kh + ay.kernelTap(t)) * kw + ax.kernelTap(u)];
                                }
                            }
                        }
                    }
                    packed[ry][rx] = PackedConv.prefersDot(outC, inC, groups)
                            ? PackedConv.packDot(sub, bias, outC, inC, ay.taps, ax.taps)
                            : PackedConv.pack(sub, bias, outC, inC, groups, ay.taps, ax.taps, false);
                }
            }
            return new Phases(strideY, strideX, py, px, packed, null);
        }

        /** These packed phases as passes over an input and output of the given size. */
        Phases bind(int inH, int inW, int outH, int outW) {
            ConvPass[][] passes = new ConvPass[strideY][strideX];
            for (int ry = 0; ry < strideY; ry++) {
                for (int rx = 0; rx < strideX; rx++) {
                    AxisPhase ay = phasesY[ry];
                    AxisPhase ax = phasesX[rx];
                    passes[ry][rx] = new ConvPass(packed[ry][rx], false, inH, inW, 1, 1, ay.dilation, ax.dilation,
                            ay.offset, ax.offset, ay.count(outH, ry, strideY), ax.count(outW, rx, strideX), outH, outW,
                            ry, strideY, rx, strideX);
                }
            }
            return new Phases(strideY, strideX, phasesY, phasesX, packed, passes);
        }

        /** Packs and binds in one go (tests). */
        static Phases build(float[] w, float[] bias, int inC, int outC, int groups, int kh, int kw, int inH, int inW,
                int outH, int outW, int strideY, int strideX, int dilY, int dilX, int padT, int padL) {
            return pack(w, bias, inC, outC, groups, kh, kw, strideY, strideX, dilY, dilX, padT, padL)
                    .bind(inH, inW, outH, outW);
        }

        int groupCount() {
            return packed[0][0].groups.length;
        }

        PackedConv.Group group(int gi) {
            return packed[0][0].groups[gi];
        }
    }

    /**
     * One output phase along one axis: output cells {@code r, r+s, r+2s, ...} read input cells {@code q +
     * offset + t·dilation} through original taps {@code kernelTap(t)}, t in {@code [0, taps)}.
     */
    record AxisPhase(int taps, int firstTap, int tapStep, int offset, int dilation) {
        static AxisPhase of(int k, int s, int d, int pad, int r) {
            int g = gcd(d, s);
            int residue = Math.floorMod(r + pad, s);
            int first = -1;
            for (int ky = 0; ky < Math.min(k, s); ky++) {
                if (Math.floorMod(ky * d - residue, s) == 0) {
                    first = ky;
                    break;
                }
            }
            if (first < 0 || first >= k) {
                return new AxisPhase(0, 0, 1, 0, 1);
            }
            int step = s / g;
            int taps = Math.ceilDiv(k - first, step);
            int dil = d / g;
            // Input cell of output r + q·s through tap ky is (r + q·s + pad − ky·d) / s, exact by the residue.
            int c = Math.floorDiv(r + pad - first * d, s);
            return new AxisPhase(taps, first, step, c - (taps - 1) * dil, dil);
        }

        /** Output cells of phase {@code r} in an axis of {@code outSize} cells. */
        int count(int outSize, int r, int s) {
            return Math.max(0, Math.ceilDiv(outSize - r, s));
        }

        /** The original kernel tap behind sub-kernel tap {@code t} (taps run in reverse). */
        int kernelTap(int t) {
            return firstTap + tapStep * (taps - 1 - t);
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    private final Phases phases;
    private final Epilogue epilogue;
    private final BlockedView in;
    private final BlockedView out;

    VectorConvTranspose(Phases phases, Epilogue epilogue, BlockedView in, BlockedView out) {
        this.phases = phases;
        this.epilogue = epilogue;
        this.in = in;
        this.out = out;
    }

    int items() {
        return out.batch * out.height * phases.groupCount();
    }

    @Override
    public void run(int worker, int item) {
        int groups = phases.groupCount();
        int perImage = out.height * groups;
        int n = item / perImage;
        int r = item - n * perImage;
        int oy = r / groups;
        int gi = r - oy * groups;
        int ry = oy % phases.strideY;
        int q = oy / phases.strideY;
        int outBase = out.base(n);
        for (int rx = 0; rx < phases.strideX; rx++) {
            ConvPass p = phases.passes[ry][rx];
            if (p.cols > 0) {
                p.runRow(in.data, in.base(n), out.data, outBase, q, gi);
            }
        }
        if (!epilogue.isIdentity()) {
            PackedConv.Group g = phases.group(gi);
            for (int b = 0; b < g.blocks; b++) {
                int ob = g.ocBlock + b;
                epilogue.apply(out.data, outBase, (ob * out.height + oy) * out.width * L, n, ob, out.width);
            }
        }
    }

    /** Scalar twin: the definition by scattering every input cell through every tap, in double. */
    static float[] scalar(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int oc, int kh, int kw,
            int sy, int sx, int dy, int dx, int padT, int padL, int groups, int oh, int ow) {
        double[] y = new double[n * oc * oh * ow];
        int icg = c / groups;
        int ocg = oc / groups;
        for (int b = 0; b < n; b++) {
            for (int ic = 0; ic < c; ic++) {
                int g = ic / icg;
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < w; ix++) {
                        double v = x[((b * c + ic) * h + iy) * w + ix];
                        for (int o = 0; o < ocg; o++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int oy = iy * sy + ky * dy - padT;
                                if (oy < 0 || oy >= oh) {
                                    continue;
                                }
                                for (int kx = 0; kx < kw; kx++) {
                                    int ox = ix * sx + kx * dx - padL;
                                    if (ox >= 0 && ox < ow) {
                                        y[((b * oc + g * ocg + o) * oh + oy) * ow + ox] +=
                                                v * weight[((ic * ocg + o) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] r = new float[y.length];
        for (int i = 0; i < r.length; i++) {
            double bb = bias == null ? 0 : bias[(i / (oh * ow)) % oc];
            r[i] = (float) (y[i] + bb);
        }
        return r;
    }
}
