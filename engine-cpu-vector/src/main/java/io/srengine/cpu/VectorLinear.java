package io.srengine.cpu;

import io.srengine.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code Y = act(X·W + b) + R} for a token sequence X (rows of K) and constant W (K × N): the Linear
 * layers of a transformer. W is packed once into panels of {@link #NR} columns ({@code [panel][k][NR]},
 * zero-padded), and a 4 × NR register tile accumulates over K with one broadcast of X and two vector
 * loads of W per step: 8 accumulators, 11 registers in all. A 6-row tile (12 accumulators, 15 of
 * AVX2's 16 registers) looked better on paper and ran at about half the speed on AMD EPYC (Zen 3):
 * 60→180 over 16384 rows, one thread, 12 ms against 6-8 ms with 4 rows, so C2 must spill there.
 * The accumulators start from the bias and a tile of a whole panel is stored straight into Y; only
 * the last, partial panel goes through per-thread scratch and a masked copy. The activation and the
 * residual then run as one pass over the item's rows (a contiguous run of Y, still in cache), a small
 * loop per case: with every case in one per-tile epilogue, GELU cost more than the GEMM itself
 * (60→120 over 16384 rows, one thread: 8 ms without it, 21 ms with it; about 13 ms as a pass).
 * The tile methods make no calls: a vector passed to a method that C2 does not inline is boxed. An item
 * is {@link #ROWS} rows, all panels; items write disjoint rows, so the bits do not depend on which
 * thread ran which item.
 */
final class VectorLinear implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int NR = 2 * L;
    static final int MR = 4;
    static final int ROWS = 12 * MR;

    /** W in panels and the bias padded to whole panels. */
    record Packed(float[] w, float[] bias, int k, int n, int panels) {
        static Packed of(Tensor weight, Tensor bias) {
            int k = weight.dim(0);
            int n = weight.dim(1);
            int panels = Math.ceilDiv(n, NR);
            float[] src = weight.toFloatArray();
            float[] w = new float[panels * k * NR];
            for (int p = 0; p < panels; p++) {
                for (int kk = 0; kk < k; kk++) {
                    for (int j = 0; j < NR && p * NR + j < n; j++) {
                        w[(p * k + kk) * NR + j] = src[kk * n + p * NR + j];
                    }
                }
            }
            float[] b = new float[panels * NR];
            if (bias != null) {
                float[] bs = bias.toFloatArray();
                System.arraycopy(bs, 0, b, 0, n);
            }
            return new Packed(w, b, k, n, panels);
        }
    }

    private final Packed p;
    private final FlatView x;
    private final FlatView y;
    private final FlatView residual;
    private final int act;
    private final int rows;
    private final float[][] scratch;
    private final float[][] packedRows;

    /** @param residual null, or a value of Y's shape added last */
    VectorLinear(Packed p, FlatView x, FlatView y, FlatView residual, int act, int threads) {
        this.p = p;
        this.x = x;
        this.y = y;
        this.residual = residual;
        this.act = act;
        this.rows = x.rows();
        this.scratch = new float[threads][MR * NR];
        this.packedRows = new float[threads][ROWS * p.k()];
    }

    int items() {
        return Math.ceilDiv(rows, ROWS);
    }

    @Override
    public void run(int worker, int item) {
        int r0 = item * ROWS;
        int r1 = Math.min(rows, r0 + ROWS);
        float[] t = scratch[worker];
        float[] a = packedRows[worker];
        int whole = (r1 - r0) / MR * MR;
        packRows(r0, whole, a);
        final int n = p.n();
        final float[] out = y.data();
        for (int panel = 0; panel < p.panels(); panel++) {
            // Whole panels go straight to Y; the last, partial one through scratch and a masked copy.
            boolean full = (panel + 1) * NR <= n;
            int r = r0;
            for (; r + MR <= r1; r += MR) {
                int o = y.offset() + r * n + panel * NR;
                if (full) {
                    tile(a, (r - r0) * p.k(), panel, out, o, n);
                } else {
                    tile(a, (r - r0) * p.k(), panel, t, 0, NR);
                    copyPartial(t, MR, o, panel);
                }
            }
            for (; r < r1; r++) {
                int o = y.offset() + r * n + panel * NR;
                if (full) {
                    tile1(r, panel, out, o);
                } else {
                    tile1(r, panel, t, 0);
                    copyPartial(t, 1, o, panel);
                }
            }
        }
        int from = y.offset() + r0 * n;
        int to = y.offset() + r1 * n;
        int ro = residual == null ? 0 : residual.offset() + r0 * n;
        // The activation and the residual in one pass over the item's rows, a contiguous run of Y
        // that is still in cache; a loop per case keeps each small enough for C2 to compile whole.
        switch (act) {
            case 1 -> gelu(out, from, to);
            case 2 -> geluTanh(out, from, to);
            default -> { }
        }
        if (residual != null) {
            addResidual(out, from, to, residual.data(), ro);
        }
    }

    /**
     * Rows {@code r0..r0+count} of X, {@link #MR} at a time, each group stored k-major ({@code [k][MR]}):
     * the tile then reads its broadcasts from one contiguous run per step.
     */
    private void packRows(int r0, int count, float[] a) {
        final int k = p.k();
        final float[] src = x.data();
        for (int g = 0; g < count; g += MR) {
            int base = g * k;
            for (int i = 0; i < MR; i++) {
                int s0 = x.offset() + (r0 + g + i) * k;
                for (int kk = 0; kk < k; kk++) {
                    a[base + kk * MR + i] = src[s0 + kk];
                }
            }
        }
    }

    /** {@link #MR} rows of one panel, {@code b + X·W}, stored at {@code d[o + i·ld ..]} for row i. */
    private void tile(float[] a, int a0, int panel, float[] d, int o, int ld) {
        final int k = p.k();
        final float[] w = p.w();
        final int wb = panel * k * NR;
        // The sums start from the bias: one addition fewer per element, and none in a second pass.
        FloatVector c00 = FloatVector.fromArray(S, p.bias(), panel * NR);
        FloatVector c01 = FloatVector.fromArray(S, p.bias(), panel * NR + L);
        FloatVector c10 = c00;
        FloatVector c11 = c01;
        FloatVector c20 = c00;
        FloatVector c21 = c01;
        FloatVector c30 = c00;
        FloatVector c31 = c01;
        for (int kk = 0, ai = a0, wi = wb; kk < k; kk++, ai += MR, wi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, w, wi);
            FloatVector b1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        c00.intoArray(d, o);
        c01.intoArray(d, o + L);
        c10.intoArray(d, o + ld);
        c11.intoArray(d, o + ld + L);
        c20.intoArray(d, o + 2 * ld);
        c21.intoArray(d, o + 2 * ld + L);
        c30.intoArray(d, o + 3 * ld);
        c31.intoArray(d, o + 3 * ld + L);
    }

    private void tile1(int r, int panel, float[] d, int o) {
        final int k = p.k();
        final float[] a = x.data();
        final float[] w = p.w();
        final int a0 = x.offset() + r * k;
        final int wb = panel * k * NR;
        FloatVector c0 = FloatVector.fromArray(S, p.bias(), panel * NR);
        FloatVector c1 = FloatVector.fromArray(S, p.bias(), panel * NR + L);
        for (int kk = 0; kk < k; kk++) {
            FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = v.fma(FloatVector.fromArray(S, w, wb + kk * NR), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, wb + kk * NR + L), c1);
        }
        c0.intoArray(d, o);
        c1.intoArray(d, o + L);
    }

    /** {@code count} rows of a tile of the last, partial panel, to Y at {@code o} (row stride N), masked. */
    private void copyPartial(float[] t, int count, int o, int panel) {
        final int n = p.n();
        final int j0 = panel * NR;
        final float[] out = y.data();
        for (int i = 0; i < count; i++) {
            for (int h = 0; h < NR && j0 + h < n; h += L) {
                FloatVector.fromArray(S, t, i * NR + h).intoArray(out, o + i * n + h, S.indexInRange(j0 + h, n));
            }
        }
    }

    /** {@code y = x/2·(1 + erf(x/√2))} on {@code d[from..to)}, erf as in {@link VectorMath#erf}. */
    private static void gelu(float[] d, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            geluVector(FloatVector.fromArray(S, d, i)).intoArray(d, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            geluVector(FloatVector.fromArray(S, d, i, m)).intoArray(d, i, m);
        }
    }

    /**
     * In fused multiply-adds, and with {@link VectorMath#expNonPositive} (its argument, -a², is never
     * positive): about half the dependent steps of the plain form.
     */
    private static FloatVector geluVector(FloatVector v) {
        FloatVector z = v.mul(0.70710677f);
        FloatVector a = z.abs();
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector q = one.div(a.fma(FloatVector.broadcast(S, 0.3275911f), one));
        FloatVector poly = q.fma(FloatVector.broadcast(S, 1.061405429f), FloatVector.broadcast(S, -1.453152027f));
        poly = poly.fma(q, FloatVector.broadcast(S, 1.421413741f));
        poly = poly.fma(q, FloatVector.broadcast(S, -0.284496736f));
        poly = poly.fma(q, FloatVector.broadcast(S, 0.254829592f)).mul(q);
        FloatVector e = poly.neg().fma(VectorMath.expNonPositive(a.mul(a).neg()), one);
        e = e.blend(e.neg(), z.compare(VectorOperators.LT, 0f));
        return v.mul(0.5f).mul(e.add(1f));
    }

    /** {@code y = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))} on {@code d[from..to)}. */
    private static void geluTanh(float[] d, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            geluTanhVector(FloatVector.fromArray(S, d, i)).intoArray(d, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            geluTanhVector(FloatVector.fromArray(S, d, i, m)).intoArray(d, i, m);
        }
    }

    private static FloatVector geluTanhVector(FloatVector v) {
        FloatVector inner = v.mul(v).mul(0.044715f).add(1f).mul(v).mul(0.7978845608f);
        return v.mul(0.5f).mul(VectorMath.tanh(inner).add(1f));
    }

    /** {@code d[from..to) += r[ro..]}. */
    private static void addResidual(float[] d, int from, int to, float[] r, int ro) {
        int i = from;
        for (; i + L <= to; i += L, ro += L) {
            FloatVector.fromArray(S, d, i).add(FloatVector.fromArray(S, r, ro)).intoArray(d, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, d, i, m).add(FloatVector.fromArray(S, r, ro, m)).intoArray(d, i, m);
        }
    }
}
