package io.srengine.cpu;

import io.srengine.graph.Node;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused window attention: for one (window, head) per item, {@code softmax(scale·q·kᵀ + bias + mask)·v}
 * read from and written to the projections' token rows through the row tables of the {@code
 * Attention} node (see {@link io.srengine.ops.OpRegistry#INTERNAL_DOMAIN}). The window's keys are
 * packed transposed ({@code [d][m]}) and its values row-wise ({@code [m][dv]}) into per-thread
 * scratch; {@link #QR} queries at a time then compute their scores lane-wise over keys (each key
 * vector loaded once for all {@link #QR} queries), the Softmax on those score rows, and the weighted
 * sum of values lane-wise over {@code dv}. The scores of a window (QR rows of m) stay in scratch: the
 * attention matrix is never written to the activations.
 */
final class VectorAttention implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int QR = 4;

    private final FlatView q;
    private final FlatView k;
    private final FlatView v;
    private final FlatView out;
    private final int[] qRows;
    private final int[] kRows;
    private final int[] vRows;
    private final int[] outRows;
    private final float[] bias;
    private final float[] masks;
    private final int[] maskOf;
    private final int batch;
    private final int heads;
    private final int n;
    private final int m;
    private final int d;
    private final int dv;
    private final float scale;
    private final int qCol;
    private final int kCol;
    private final int vCol;
    private final int oCol;
    private final int qHead;
    private final int kHead;
    private final int vHead;
    private final int oHead;
    private final int mPad;
    private final int dvPad;
    private final float[][] scratch;

    VectorAttention(Node node, FlatView q, FlatView k, FlatView v, FlatView out, int[] qRows, int[] kRows, int[] vRows,
            int[] outRows, float[] bias, float[] masks, int[] maskOf, int threads) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.out = out;
        this.qRows = qRows;
        this.kRows = kRows;
        this.vRows = vRows;
        this.outRows = outRows;
        this.bias = bias;
        this.masks = masks;
        this.maskOf = maskOf;
        this.batch = (int) node.attrInt("batch", 0);
        this.heads = (int) node.attrInt("heads", 0);
        this.n = (int) node.attrInt("n", 0);
        this.m = (int) node.attrInt("m", 0);
        this.d = (int) node.attrInt("d", 0);
        this.dv = (int) node.attrInt("dv", 0);
        this.scale = node.attrFloat("scale", 1f);
        this.qCol = (int) node.attrInt("q_col", 0);
        this.kCol = (int) node.attrInt("k_col", 0);
        this.vCol = (int) node.attrInt("v_col", 0);
        this.oCol = (int) node.attrInt("out_col", 0);
        this.qHead = (int) node.attrInt("q_head", d);
        this.kHead = (int) node.attrInt("k_head", d);
        this.vHead = (int) node.attrInt("v_head", dv);
        this.oHead = (int) node.attrInt("out_head", dv);
        this.mPad = Simd.padded(m);
        this.dvPad = Simd.padded(dv);
        this.scratch = new float[threads][];
    }

    int items() {
        return batch * heads;
    }

    private float[] scratch(int worker) {
        int size = d * mPad + m * dvPad + QR * mPad + QR * d + QR * dvPad + QR;
        float[] s = scratch[worker];
        if (s == null || s.length < size) {
            s = new float[size];
            scratch[worker] = s;
        }
        return s;
    }

    @Override
    public void run(int worker, int item) {
        int b = item / heads;
        int h = item % heads;
        float[] s = scratch(worker);
        int kt = 0;
        int vp = kt + d * mPad;
        int sc = vp + m * dvPad;
        int qb = sc + QR * mPad;
        int ob = qb + QR * d;
        int inv = ob + QR * dvPad;
        packKeys(s, kt, b, h);
        packValues(s, vp, b, h);
        int mask = maskOf == null ? -1 : maskOf[b];
        for (int i0 = 0; i0 < n; i0 += QR) {
            int rowsHere = Math.min(QR, n - i0);
            loadQueries(s, qb, b, h, i0, rowsHere);
            scores(s, kt, sc, qb, rowsHere);
            for (int r = 0; r < rowsHere; r++) {
                s[inv + r] = softmaxRow(s, sc + r * mPad, h, i0 + r, mask);
            }
            weighted(s, vp, sc, ob, inv);
            for (int r = 0; r < rowsHere; r++) {
                int orow = outRows[b * n + i0 + r];
                if (orow >= 0) {
                    System.arraycopy(s, ob + r * dvPad, out.data(),
                            out.offset() + orow * out.cols() + oCol + h * oHead, dv);
                }
            }
        }
    }

    /** Keys transposed into {@code s[kt + e·mPad + j]}, zeros for padding keys and lanes past m. */
    private void packKeys(float[] s, int kt, int b, int h) {
        java.util.Arrays.fill(s, kt, kt + d * mPad, 0f);
        int cols = k.cols();
        for (int j = 0; j < m; j++) {
            int row = kRows[b * m + j];
            if (row < 0) {
                continue;
            }
            int src = k.offset() + row * cols + kCol + h * kHead;
            for (int e = 0; e < d; e++) {
                s[kt + e * mPad + j] = k.data()[src + e];
            }
        }
    }

    private void packValues(float[] s, int vp, int b, int h) {
        int cols = v.cols();
        for (int j = 0; j < m; j++) {
            int row = vRows[b * m + j];
            int dst = vp + j * dvPad;
            if (row < 0) {
                java.util.Arrays.fill(s, dst, dst + dvPad, 0f);
                continue;
            }
            System.arraycopy(v.data(), v.offset() + row * cols + vCol + h * vHead, s, dst, dv);
            java.util.Arrays.fill(s, dst + dv, dst + dvPad, 0f);
        }
    }

    /** The queries of rows i0.. scaled, in {@code s[qb + r·d + e]}; zeros for padding queries. */
    private void loadQueries(float[] s, int qb, int b, int h, int i0, int rowsHere) {
        int cols = q.cols();
        for (int r = 0; r < rowsHere; r++) {
            int row = qRows[b * n + i0 + r];
            int dst = qb + r * d;
            if (row < 0) {
                java.util.Arrays.fill(s, dst, dst + d, 0f);
                continue;
            }
            int src = q.offset() + row * cols + qCol + h * qHead;
            for (int e = 0; e < d; e++) {
                s[dst + e] = q.data()[src + e] * scale;
            }
        }
    }

    /**
     * Scores of up to QR queries, lane-wise over keys: each key vector is loaded once for every query,
     * and two key vectors at a time give eight independent accumulators (four chains alone leave the
     * FMA units waiting on their latency).
     */
    private void scores(float[] s, int kt, int sc, int qb, int rowsHere) {
        int j = 0;
        for (; j + 2 * L <= mPad; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            FloatVector b2 = FloatVector.zero(S);
            FloatVector b3 = FloatVector.zero(S);
            for (int e = 0, ko = kt + j; e < d; e++, ko += mPad) {
                FloatVector k0 = FloatVector.fromArray(S, s, ko);
                FloatVector k1 = FloatVector.fromArray(S, s, ko + L);
                FloatVector x = FloatVector.broadcast(S, s[qb + e]);
                a0 = x.fma(k0, a0);
                b0 = x.fma(k1, b0);
                x = FloatVector.broadcast(S, s[qb + d + e]);
                a1 = x.fma(k0, a1);
                b1 = x.fma(k1, b1);
                x = FloatVector.broadcast(S, s[qb + 2 * d + e]);
                a2 = x.fma(k0, a2);
                b2 = x.fma(k1, b2);
                x = FloatVector.broadcast(S, s[qb + 3 * d + e]);
                a3 = x.fma(k0, a3);
                b3 = x.fma(k1, b3);
            }
            // All QR rows, even past the last query: the score area holds QR rows of mPad and the output
            // area QR rows of dvPad (see scratch()), and run() copies out only the rows that are queries.
            // A branch per row here costs more than the stores.
            a0.intoArray(s, sc + j);
            b0.intoArray(s, sc + j + L);
            a1.intoArray(s, sc + mPad + j);
            b1.intoArray(s, sc + mPad + j + L);
            a2.intoArray(s, sc + 2 * mPad + j);
            b2.intoArray(s, sc + 2 * mPad + j + L);
            a3.intoArray(s, sc + 3 * mPad + j);
            b3.intoArray(s, sc + 3 * mPad + j + L);
        }
        if (j < mPad) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int e = 0; e < d; e++) {
                FloatVector kv = FloatVector.fromArray(S, s, kt + e * mPad + j);
                a0 = FloatVector.broadcast(S, s[qb + e]).fma(kv, a0);
                a1 = FloatVector.broadcast(S, s[qb + d + e]).fma(kv, a1);
                a2 = FloatVector.broadcast(S, s[qb + 2 * d + e]).fma(kv, a2);
                a3 = FloatVector.broadcast(S, s[qb + 3 * d + e]).fma(kv, a3);
            }
            a0.intoArray(s, sc + j);
            a1.intoArray(s, sc + mPad + j);
            a2.intoArray(s, sc + 2 * mPad + j);
            a3.intoArray(s, sc + 3 * mPad + j);
        }
    }

    /**
     * Adds the bias and mask of query i to a score row, then replaces it by its exponentials less
     * their maximum and returns 1 / their sum: the Softmax weights but for that factor, which
     * {@link #weighted} applies to the dv sums instead of to the m weights.
     */
    private float softmaxRow(float[] s, int row, int h, int i, int mask) {
        int biasRow = bias == null ? -1 : (h * n + i) * m;
        int maskRow = mask < 0 ? -1 : (mask * n + i) * m;
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        // Whole vectors of keys unmasked (a masked load costs several times a plain one), then the tail.
        int whole = m / L * L;
        for (int j = 0; j < whole; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, row + j);
            if (biasRow >= 0) {
                x = x.add(FloatVector.fromArray(S, bias, biasRow + j));
            }
            if (maskRow >= 0) {
                x = x.add(FloatVector.fromArray(S, masks, maskRow + j));
            }
            x.intoArray(s, row + j);
            max = max.max(x);
        }
        for (int j = whole; j < mPad; j += L) {
            VectorMask<Float> in = S.indexInRange(j, m);
            FloatVector x = FloatVector.fromArray(S, s, row + j);
            if (biasRow >= 0) {
                x = x.add(FloatVector.fromArray(S, bias, biasRow + j, in));
            }
            if (maskRow >= 0) {
                x = x.add(FloatVector.fromArray(S, masks, maskRow + j, in));
            }
            x = x.blend(Float.NEGATIVE_INFINITY, in.not());
            x.intoArray(s, row + j);
            max = max.max(x);
        }
        float mx = max.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < mPad; j += L) {
            FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, s, row + j).sub(mx));
            e.intoArray(s, row + j);
            sum = sum.add(e);
        }
        return 1f / Simd.sum(sum);
    }

    /**
     * {@code out[r] = Σ_j p[r][j]·v[j]}, lane-wise over dv, each value vector loaded once for every
     * query; two value vectors at a time for eight independent accumulators, as in scores. The rows of
     * {@code p} are unnormalised; row r's sums are scaled by {@code s[inv + r]}.
     */
    private void weighted(float[] s, int vp, int sc, int ob, int inv) {
        final float n0 = s[inv];
        final float n1 = s[inv + 1];
        final float n2 = s[inv + 2];
        final float n3 = s[inv + 3];
        int c = 0;
        for (; c + 2 * L <= dvPad; c += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            FloatVector b2 = FloatVector.zero(S);
            FloatVector b3 = FloatVector.zero(S);
            for (int j = 0, vo = vp + c; j < m; j++, vo += dvPad) {
                FloatVector v0 = FloatVector.fromArray(S, s, vo);
                FloatVector v1 = FloatVector.fromArray(S, s, vo + L);
                FloatVector x = FloatVector.broadcast(S, s[sc + j]);
                a0 = x.fma(v0, a0);
                b0 = x.fma(v1, b0);
                x = FloatVector.broadcast(S, s[sc + mPad + j]);
                a1 = x.fma(v0, a1);
                b1 = x.fma(v1, b1);
                x = FloatVector.broadcast(S, s[sc + 2 * mPad + j]);
                a2 = x.fma(v0, a2);
                b2 = x.fma(v1, b2);
                x = FloatVector.broadcast(S, s[sc + 3 * mPad + j]);
                a3 = x.fma(v0, a3);
                b3 = x.fma(v1, b3);
            }
            a0.mul(n0).intoArray(s, ob + c);
            b0.mul(n0).intoArray(s, ob + c + L);
            a1.mul(n1).intoArray(s, ob + dvPad + c);
            b1.mul(n1).intoArray(s, ob + dvPad + c + L);
            a2.mul(n2).intoArray(s, ob + 2 * dvPad + c);
            b2.mul(n2).intoArray(s, ob + 2 * dvPad + c + L);
            a3.mul(n3).intoArray(s, ob + 3 * dvPad + c);
            b3.mul(n3).intoArray(s, ob + 3 * dvPad + c + L);
        }
        if (c < dvPad) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int j = 0; j < m; j++) {
                FloatVector vv = FloatVector.fromArray(S, s, vp + j * dvPad + c);
                a0 = FloatVector.broadcast(S, s[sc + j]).fma(vv, a0);
                a1 = FloatVector.broadcast(S, s[sc + mPad + j]).fma(vv, a1);
                a2 = FloatVector.broadcast(S, s[sc + 2 * mPad + j]).fma(vv, a2);
                a3 = FloatVector.broadcast(S, s[sc + 3 * mPad + j]).fma(vv, a3);
            }
            a0.mul(n0).intoArray(s, ob + c);
            a1.mul(n1).intoArray(s, ob + dvPad + c);
            a2.mul(n2).intoArray(s, ob + 2 * dvPad + c);
            a3.mul(n3).intoArray(s, ob + 3 * dvPad + c);
        }
    }
}
