package io.srengine.cpu;

import io.srengine.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code Y = act(X·W + b) + R} for a token sequence X (rows of K) and constant W (K × N): the Linear
 * layers of a transformer. W is packed once into panels of {@link #NR} columns ({@code [panel][k][NR]},
 * zero-padded), and a 6 × NR register tile accumulates over K with one broadcast of X and two vector
 * loads of W per step: 12 accumulators, which fit AVX2's 16 registers with room for the operands.
 * The raw tile goes to per-thread scratch and a separate pass applies bias, GELU and the residual
 * while copying it out (masked in the last panel): keeping that code out of the tile method lets C2
 * compile the tile whole, with no vector crossing a call (a vector passed to a method that is not
 * inlined is boxed, at a cost of most of the throughput). An item is {@link #ROWS} rows, all panels.
 */
final class VectorLinear implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int NR = 2 * L;
    static final int MR = 6;
    static final int ROWS = 8 * MR;

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
        for (int panel = 0; panel < p.panels(); panel++) {
            int r = r0;
            for (; r + MR <= r1; r += MR) {
                tile6(a, (r - r0) * p.k(), panel, t);
                finish(t, r, MR, panel);
            }
            for (; r < r1; r++) {
                tile1(r, panel, t);
                finish(t, r, 1, panel);
            }
        }
    }

    /**
     * Rows {@code r0..r0+count} of X, {@link #MR} at a time, each group stored k-major ({@code [k][MR]}):
     * the tile then reads its six broadcasts from one contiguous run per step.
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

    private void tile6(float[] a, int a0, int panel, float[] t) {
        final int k = p.k();
        final float[] w = p.w();
        final int wb = panel * k * NR;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
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
            v = FloatVector.broadcast(S, a[ai + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ai + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
    }

    private void tile1(int r, int panel, float[] t) {
        final int k = p.k();
        final float[] a = x.data();
        final float[] w = p.w();
        final int a0 = x.offset() + r * k;
        final int wb = panel * k * NR;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = v.fma(FloatVector.fromArray(S, w, wb + kk * NR), c0);
            c1 = v.fma(FloatVector.fromArray(S, w, wb + kk * NR + L), c1);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, L);
    }

    /** Bias, activation and residual on {@code count} rows of a raw tile, stored (masked past column N). */
    private void finish(float[] t, int r, int count, int panel) {
        final int n = p.n();
        final int j0 = panel * NR;
        final float[] out = y.data();
        final float[] bias = p.bias();
        final boolean full = j0 + NR <= n;
        for (int i = 0; i < count; i++) {
            final int o = y.offset() + (r + i) * n + j0;
            final int ro = residual == null ? 0 : residual.offset() + (r + i) * n + j0;
            for (int h = 0; h < NR; h += L) {
                VectorMask<Float> m = full ? S.maskAll(true) : S.indexInRange(j0 + h, n);
                FloatVector v = FloatVector.fromArray(S, t, i * NR + h).add(FloatVector.fromArray(S, bias, j0 + h));
                if (act == 1) {
                    // x/2·(1 + erf(x/√2)), erf as in VectorMath, written out so nothing here is a call.
                    FloatVector z = v.mul(0.70710677f);
                    FloatVector a = z.abs();
                    FloatVector q = FloatVector.broadcast(S, 1f).div(a.mul(0.3275911f).add(1f));
                    FloatVector poly = q.mul(1.061405429f).add(-1.453152027f).mul(q).add(1.421413741f).mul(q)
                            .add(-0.284496736f).mul(q).add(0.254829592f).mul(q);
                    FloatVector e = FloatVector.broadcast(S, 1f).sub(poly.mul(VectorMath.exp(a.mul(a).neg())));
                    e = e.blend(e.neg(), z.compare(VectorOperators.LT, 0f));
                    v = v.mul(0.5f).mul(e.add(1f));
                } else if (act == 2) {
                    FloatVector inner = v.mul(v).mul(0.044715f).add(1f).mul(v).mul(0.7978845608f);
                    v = v.mul(0.5f).mul(VectorMath.tanh(inner).add(1f));
                }
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(S, residual.data(), ro + h, m));
                }
                v.intoArray(out, o + h, m);
            }
        }
    }
}
