package io.srengine.cuda.plan;

import io.srengine.cuda.LaunchGeometry;

/**
 * move, row_gather, layer_norm, softmax, matmul and attention kernels for {@link KernelEmulator},
 * from their headers' contracts: the parameter structs are read field by field in declared order,
 * arithmetic is fp32 in the kernels' order where that is cheap to mirror (fused multiply-adds in
 * increasing k, the attention's streaming softmax), and values are rounded to the element type
 * exactly where the kernels store them. Each launch's geometry is checked against the header's
 * launch rule, so a host-side launch that would leave work undone fails here.
 */
final class EmulatedTransformer {
    private static final int MAX_RANK = 6;

    private final KernelEmulator mem;
    private final DeviceType t;

    EmulatedTransformer(KernelEmulator mem, DeviceType type) {
        this.mem = mem;
        this.t = type;
    }

    static boolean handles(String fn) {
        for (String prefix : new String[] {"move_", "row_gather_", "layer_norm_", "softmax_", "matmul_", "attention_"}) {
            if (fn.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    void run(String fn, LaunchGeometry g, KernelEmulator.Fields p) {
        if (fn.startsWith("move_")) {
            move(g, p);
        } else if (fn.startsWith("row_gather_")) {
            rowGather(g, p);
        } else if (fn.startsWith("layer_norm_")) {
            layerNorm(g, p);
        } else if (fn.startsWith("softmax_")) {
            softmax(g, p);
        } else if (fn.startsWith("matmul_")) {
            matmul(g, p);
        } else if (fn.startsWith("attention_")) {
            attention(fn, g, p);
        } else {
            throw new AssertionError("no emulation of kernel " + fn);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** A 1-D launch of blocks of {@code block} threads that covers {@code items}. */
    private static void checkLinear(String fn, LaunchGeometry g, int block, long items) {
        check(g.block()[0] == block && g.block()[1] == 1 && g.block()[2] == 1, fn + " needs blocks of " + block + ": " + g);
        check((long) g.grid()[0] * block >= items && g.grid()[1] == 1 && g.grid()[2] == 1,
                fn + " launch " + g + " does not cover " + items + " items");
    }

    private static long offset(long i, long[] dims, long[] strides, int rank) {
        long off = 0;
        for (int d = rank - 1; d >= 0; d--) {
            off += (i % dims[d]) * strides[d];
            i /= dims[d];
        }
        return off;
    }

    private static long product(long[] dims, int rank) {
        long n = 1;
        for (int d = 0; d < rank; d++) {
            n *= dims[d];
        }
        return n;
    }

    private static long[] longs(KernelEmulator.Fields p, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = p.ptr();
        }
        return v;
    }

    /** MoveParams: in, out, count, out_dims[6], out_strides[6], in_dims[6], in_strides[6], rank_out, rank_in. */
    private void move(LaunchGeometry g, KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr(), count = p.ptr();
        long[] outDims = longs(p, MAX_RANK), outStrides = longs(p, MAX_RANK);
        long[] inDims = longs(p, MAX_RANK), inStrides = longs(p, MAX_RANK);
        int rankOut = p.i(), rankIn = p.i();
        check(rankOut >= 1 && rankOut <= MAX_RANK && rankIn >= 1 && rankIn <= MAX_RANK, "move ranks " + rankOut + ", " + rankIn);
        check(product(outDims, rankOut) == count && product(inDims, rankIn) == count,
                "move of " + count + " elements decodes them over dims whose products differ");
        checkLinear("move", g, 256, count);
        for (long i = 0; i < count; i++) {
            float v = mem.load(t, in, offset(i, inDims, inStrides, rankIn));
            mem.store(t, out, offset(i, outDims, outStrides, rankOut), v);
        }
    }

    /** RowGatherParams: in, out, rows, count, C, c_store, in_cs, out_cs, unused. */
    private void rowGather(LaunchGeometry g, KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr(), rows = p.ptr();
        int count = p.i(), c = p.i(), cStore = p.i(), inCs = p.i(), outCs = p.i();
        check(cStore >= c, "row_gather c_store " + cStore + " < C " + c);
        checkLinear("row_gather", g, 256, (long) count * cStore);
        for (int r = 0; r < count; r++) {
            int src = mem.i32(rows + 4L * r);
            for (int j = 0; j < cStore; j++) {
                float v = j < c && src >= 0 ? mem.load(t, in, (long) src * inCs + j) : 0f;
                mem.store(t, out, (long) r * outCs + j, v);
            }
        }
    }

    /** LayerNormParams: a, b, scale, bias, sum_out, out, rows, C, c_store, a_cs, b_cs, sum_cs, out_cs, eps. */
    private void layerNorm(LaunchGeometry g, KernelEmulator.Fields p) {
        long a = p.ptr(), b = p.ptr(), scale = p.ptr(), bias = p.ptr(), sumOut = p.ptr(), out = p.ptr();
        int rows = p.i(), c = p.i(), cStore = p.i(), aCs = p.i(), bCs = p.i(), sumCs = p.i(), outCs = p.i();
        float eps = p.f();
        check(cStore >= c, "layer_norm c_store " + cStore + " < C " + c);
        checkLinear("layer_norm", g, 256, (long) rows * 32);
        float[] s = new float[c];
        for (int r = 0; r < rows; r++) {
            float sum = 0;
            for (int j = 0; j < c; j++) {
                float v = mem.load(t, a, (long) r * aCs + j);
                if (b != 0) {
                    v = t.round(v + mem.load(t, b, (long) r * bCs + j));
                }
                if (sumOut != 0) {
                    mem.store(t, sumOut, (long) r * sumCs + j, v);
                }
                s[j] = v;
                sum += v;
            }
            float mean = sum / c;
            float sq = 0;
            for (int j = 0; j < c; j++) {
                float d = s[j] - mean;
                sq += d * d;
            }
            float inv = 1f / (float) Math.sqrt(sq / c + eps);
            for (int j = 0; j < c; j++) {
                float y = (s[j] - mean) * inv * mem.f32(scale + 4L * j) + (bias == 0 ? 0f : mem.f32(bias + 4L * j));
                mem.store(t, out, (long) r * outCs + j, y);
            }
            for (int j = c; j < cStore; j++) {
                mem.store(t, out, (long) r * outCs + j, 0f);
                if (sumOut != 0) {
                    mem.store(t, sumOut, (long) r * sumCs + j, 0f);
                }
            }
        }
    }

    /** RowSpec: dims[3], strides[3], step; returns {base of row r, step}. */
    private static long[] rowSpec(KernelEmulator.Fields p) {
        return longs(p, 7);
    }

    private static long rowBase(long[] spec, long r) {
        long c2 = r % spec[2];
        r /= spec[2];
        long c1 = r % spec[1];
        return (r / spec[1]) * spec[3] + c1 * spec[4] + c2 * spec[5];
    }

    /** SoftmaxParams: in, out, RowSpec in_rows, RowSpec out_rows, rows, C, log, unused. */
    private void softmax(LaunchGeometry g, KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr();
        long[] is = rowSpec(p), os = rowSpec(p);
        int rows = p.i(), c = p.i(), log = p.i();
        check((long) rows == is[0] * is[1] * is[2] && (long) rows == os[0] * os[1] * os[2],
                "softmax rows " + rows + " differ from the row specs' dims");
        checkLinear("softmax", g, 256, (long) rows * 32);
        float[] x = new float[c];
        for (int r = 0; r < rows; r++) {
            long ib = rowBase(is, r), ob = rowBase(os, r);
            float mx = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                x[j] = mem.load(t, in, ib + j * is[6]);
                mx = Math.max(mx, x[j]);
            }
            float sum = 0;
            for (int j = 0; j < c; j++) {
                sum += (float) Math.exp(x[j] - mx);
            }
            float logSum = (float) Math.log(sum);
            for (int j = 0; j < c; j++) {
                float d = x[j] - mx;
                mem.store(t, out, ob + j * os[6], log != 0 ? d - logSum : (float) Math.exp(d) / sum);
            }
        }
    }

    /** MatMulParams: a, b, c, a_strides[4], b_strides[4], c_strides[4], B0, B1, M, N, K, unused. */
    private void matmul(LaunchGeometry g, KernelEmulator.Fields p) {
        long a = p.ptr(), b = p.ptr(), c = p.ptr();
        long[] as = longs(p, 4), bs = longs(p, 4), cs = longs(p, 4);
        int b0n = p.i(), b1n = p.i(), m = p.i(), n = p.i(), k = p.i();
        check(java.util.Arrays.equals(g.block(), new int[] {16, 16, 1}), "matmul needs blocks of 16x16: " + g);
        check((long) g.grid()[0] * 16 >= n && (long) g.grid()[1] * 16 >= m && g.grid()[2] == b0n * b1n,
                "matmul launch " + g + " does not cover " + b0n + "x" + b1n + " batches of " + m + "x" + n);
        for (int b0 = 0; b0 < b0n; b0++) {
            for (int b1 = 0; b1 < b1n; b1++) {
                long ao = b0 * as[0] + b1 * as[1], bo = b0 * bs[0] + b1 * bs[1], co = b0 * cs[0] + b1 * cs[1];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float acc = 0;
                        for (int kk = 0; kk < k; kk++) {
                            acc = Math.fma(mem.load(t, a, ao + i * as[2] + kk * as[3]), mem.load(t, b, bo + kk * bs[2] + j * bs[3]), acc);
                        }
                        mem.store(t, c, co + i * cs[2] + j * cs[3], acc);
                    }
                }
            }
        }
    }

    /**
     * AttentionParams: q, k, v, q_rows, k_rows, v_rows, out_rows, bias, masks, mask_of, out, batch,
     * heads, n, m, d, dv, 4 row strides, 4 first columns, 4 head steps, scale, unused.
     */
    private void attention(String fn, LaunchGeometry g, KernelEmulator.Fields p) {
        long q = p.ptr(), k = p.ptr(), v = p.ptr();
        long qRows = p.ptr(), kRows = p.ptr(), vRows = p.ptr(), outRows = p.ptr();
        long bias = p.ptr(), masks = p.ptr(), maskOf = p.ptr(), out = p.ptr();
        int batch = p.i(), heads = p.i(), n = p.i(), m = p.i(), d = p.i(), dv = p.i();
        int qCs = p.i(), kCs = p.i(), vCs = p.i(), outCs = p.i();
        int qCol = p.i(), kCol = p.i(), vCol = p.i(), outCol = p.i();
        int qHead = p.i(), kHead = p.i(), vHead = p.i(), outHead = p.i();
        float scale = p.f();
        int dmax = Integer.parseInt(fn.substring(fn.lastIndexOf('_') + 1));
        check(Math.max(d, dv) <= dmax, fn + " holds head dimensions up to " + dmax + ", got d " + d + " dv " + dv);
        check(g.grid()[0] == batch * heads && g.grid()[1] == 1 && g.grid()[2] == 1, fn + " needs a grid of batch*heads: " + g);
        check(g.block()[0] % 32 == 0 && g.block()[0] <= 128 && g.block()[1] == 1 && g.block()[2] == 1, fn + " block " + g);
        check(g.sharedBytes() >= 4L * m * (d + dv), fn + " stages " + 4L * m * (d + dv) + " bytes of K and V: " + g);
        float[] sk = new float[m * d], sv = new float[m * dv], qv = new float[d], acc = new float[dv];
        for (int b = 0; b < batch; b++) {
            int mask = maskOf == 0 ? -1 : mem.i32(maskOf + 4L * b);
            for (int h = 0; h < heads; h++) {
                for (int j = 0; j < m; j++) {
                    int kr = mem.i32(kRows + 4L * (b * m + j)), vr = mem.i32(vRows + 4L * (b * m + j));
                    for (int e = 0; e < d; e++) {
                        sk[j * d + e] = kr >= 0 ? mem.load(t, k, (long) kr * kCs + kCol + h * kHead + e) : 0f;
                    }
                    for (int e = 0; e < dv; e++) {
                        sv[j * dv + e] = vr >= 0 ? mem.load(t, v, (long) vr * vCs + vCol + h * vHead + e) : 0f;
                    }
                }
                for (int i = 0; i < n; i++) {
                    int orow = mem.i32(outRows + 4L * (b * n + i));
                    if (orow < 0) {
                        continue;
                    }
                    int qrow = mem.i32(qRows + 4L * (b * n + i));
                    for (int e = 0; e < d; e++) {
                        qv[e] = qrow >= 0 ? mem.load(t, q, (long) qrow * qCs + qCol + h * qHead + e) : 0f;
                    }
                    java.util.Arrays.fill(acc, 0f);
                    float mx = Float.NEGATIVE_INFINITY, l = 0;
                    for (int j = 0; j < m; j++) {
                        float dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot = Math.fma(qv[e], sk[j * d + e], dot);
                        }
                        float s = scale * dot;
                        if (bias != 0) {
                            s += mem.f32(bias + 4L * (((long) h * n + i) * m + j));
                        }
                        if (mask >= 0) {
                            s += mem.f32(masks + 4L * (((long) mask * n + i) * m + j));
                        }
                        // fmaxf ignores a NaN operand, Math.max does not.
                        float nm = Float.isNaN(s) ? mx : Math.max(mx, s);
                        if (nm > mx) {
                            float cr = (float) Math.exp(mx - nm);
                            l *= cr;
                            for (int e = 0; e < dv; e++) {
                                acc[e] *= cr;
                            }
                            mx = nm;
                        }
                        float w = mx == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(s - mx);
                        l += w;
                        for (int e = 0; e < dv; e++) {
                            acc[e] = Math.fma(w, sv[j * dv + e], acc[e]);
                        }
                    }
                    for (int e = 0; e < dv; e++) {
                        mem.store(t, out, (long) orow * outCs + outCol + h * outHead + e, acc[e] / l);
                    }
                }
            }
        }
    }
}
