package io.srengine.cpu;

import io.srengine.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code Y = act(X·W + b) + R} for a token sequence X (rows of K) and constant W (K × N): the Linear
 * layers of a transformer. W is packed once into panels of {@link #NR} columns ({@code [panel][k][NR]},
 * zero-padded), and a 6 × NR register tile accumulates over K with one broadcast of X and two vector
 * loads of W per step: 12 accumulators, which fit AVX2's 16 registers with room for the operands.
 * Bias, GELU and the residual are applied to the tile in registers before it is stored; the last
 * panel stores through a mask. An item is {@link #ROWS} rows, all panels.
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

    /** @param residual null, or a value of Y's shape added last */
    VectorLinear(Packed p, FlatView x, FlatView y, FlatView residual, int act) {
        this.p = p;
        this.x = x;
        this.y = y;
        this.residual = residual;
        this.act = act;
        this.rows = x.rows();
    }

    int items() {
        return Math.ceilDiv(rows, ROWS);
    }

    @Override
    public void run(int worker, int item) {
        int r0 = item * ROWS;
        int r1 = Math.min(rows, r0 + ROWS);
        for (int panel = 0; panel < p.panels(); panel++) {
            int r = r0;
            for (; r + MR <= r1; r += MR) {
                tile6(r, panel);
            }
            for (; r < r1; r++) {
                tile1(r, panel);
            }
        }
    }

    private void tile6(int r, int panel) {
        final int k = p.k();
        final float[] a = x.data();
        final float[] w = p.w();
        final int a0 = x.offset() + r * k;
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
        for (int kk = 0; kk < k; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, w, wb + kk * NR);
            FloatVector b1 = FloatVector.fromArray(S, w, wb + kk * NR + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a0 + k + kk]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a0 + 2 * k + kk]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a0 + 3 * k + kk]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[a0 + 4 * k + kk]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[a0 + 5 * k + kk]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        store(r, panel, c00, c01);
        store(r + 1, panel, c10, c11);
        store(r + 2, panel, c20, c21);
        store(r + 3, panel, c30, c31);
        store(r + 4, panel, c40, c41);
        store(r + 5, panel, c50, c51);
    }

    private void tile1(int r, int panel) {
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
        store(r, panel, c0, c1);
    }

    /** Bias, activation and residual on one row of a tile, then the store (masked past column N). */
    private void store(int r, int panel, FloatVector c0, FloatVector c1) {
        final int n = p.n();
        final int j0 = panel * NR;
        final float[] out = y.data();
        final int o = y.offset() + r * n + j0;
        FloatVector v0 = VectorMath.activate(c0.add(FloatVector.fromArray(S, p.bias(), j0)), act);
        FloatVector v1 = VectorMath.activate(c1.add(FloatVector.fromArray(S, p.bias(), j0 + L)), act);
        if (j0 + NR <= n) {
            if (residual != null) {
                int ro = residual.offset() + r * n + j0;
                v0 = v0.add(FloatVector.fromArray(S, residual.data(), ro));
                v1 = v1.add(FloatVector.fromArray(S, residual.data(), ro + L));
            }
            v0.intoArray(out, o);
            v1.intoArray(out, o + L);
            return;
        }
        VectorMask<Float> m0 = S.indexInRange(j0, n);
        VectorMask<Float> m1 = S.indexInRange(j0 + L, n);
        if (residual != null) {
            int ro = residual.offset() + r * n + j0;
            v0 = v0.add(FloatVector.fromArray(S, residual.data(), ro, m0));
            v1 = v1.add(FloatVector.fromArray(S, residual.data(), ro + L, m1));
        }
        v0.intoArray(out, o, m0);
        v1.intoArray(out, o + L, m1);
    }
}
