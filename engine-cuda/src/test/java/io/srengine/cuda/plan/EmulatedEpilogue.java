package io.srengine.cuda.plan;

/** The Epilogue struct of common.cuh and its ep_store1 semantics, for {@link KernelEmulator}. */
final class EmulatedEpilogue {
    private final KernelEmulator mem;
    private final DeviceType type;
    final long bias, slope, res, out;
    final int k, act, slopeN, psR, psDcr, outNchw, outCs, outH, outW, resCs, resDiv, resH, resW, vec8, kStore;
    final float alpha, lo, hi, scale;

    EmulatedEpilogue(KernelEmulator mem, DeviceType type, KernelEmulator.Fields p) {
        this.mem = mem;
        this.type = type;
        bias = p.ptr();
        slope = p.ptr();
        res = p.ptr();
        out = p.ptr();
        k = p.i();
        act = p.i();
        slopeN = p.i();
        psR = p.i();
        psDcr = p.i();
        outNchw = p.i();
        outCs = p.i();
        outH = p.i();
        outW = p.i();
        resCs = p.i();
        resDiv = p.i();
        resH = p.i();
        resW = p.i();
        vec8 = p.i();
        alpha = p.f();
        lo = p.f();
        hi = p.f();
        scale = p.f();
        kStore = p.i();
        p.i();
        if (kStore != k && (kStore < k || psR != 1 || outNchw != 0)) {
            throw new AssertionError("pad channels " + k + ".." + kStore + " with pixel shuffle " + psR + " / NCHW output");
        }
    }

    /** ep_zero1: pad channel kk (k <= kk < kStore) of NHWC output pixel (n, oy, ox). */
    void zero(int n, int oy, int ox, int kk) {
        mem.store(type, out, ((long) (n * outH + oy) * outW + ox) * outCs + kk, 0f);
    }

    void store(int n, int oy, int ox, int kk, float v) {
        if (bias != 0) {
            v += mem.f32(bias + 4L * kk);
        }
        v = switch (act) {
            case 0 -> v;
            case 1 -> Math.max(v, 0f);
            case 2 -> v >= 0 ? v : v * alpha;
            case 3 -> v >= 0 ? v : v * mem.f32(slope + 4L * (slopeN == 1 ? 0 : kk));
            case 4 -> io.srengine.ops.FusedActivation.sigmoid(v);
            case 5 -> (float) Math.tanh(v);
            case 6 -> Math.min(Math.max(v, lo), hi);
            case 7 -> (float) io.srengine.reference.ReferenceMath.gelu(v);
            case 8 -> (float) io.srengine.reference.ReferenceMath.geluTanh(v);
            default -> throw new AssertionError("activation code " + act);
        };
        v *= scale;
        int c = kk, y = oy, x = ox, cc = k;
        if (psR > 1) {
            int r = psR;
            cc = k / (r * r);
            int i, j;
            if (psDcr != 0) {
                c = kk % cc;
                i = kk / (cc * r);
                j = (kk / cc) % r;
            } else {
                c = kk / (r * r);
                i = (kk / r) % r;
                j = kk % r;
            }
            y = oy * r + i;
            x = ox * r + j;
        }
        if (res != 0) {
            v += mem.load(type, res, ((long) (n * resH + y / resDiv) * resW + x / resDiv) * resCs + c);
        }
        if (outNchw != 0) {
            mem.putF32(out + 4 * (((long) (n * cc + c) * outH + y) * outW + x), v);
        } else {
            mem.store(type, out, ((long) (n * outH + y) * outW + x) * outCs + c, v);
        }
    }
}
