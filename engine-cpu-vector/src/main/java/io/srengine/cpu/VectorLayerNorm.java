package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNormalization over the last axis of a token sequence, and its fused form with the residual
 * Add before it ({@code AddLayerNormalization}: writes the sum, the next block's residual, and its
 * normalisation in the same pass). Per row: the sum (when fused), then mean and variance in two
 * vector passes over the row (a second pass rather than E[x²] − E[x]², which cancels badly for rows
 * far from zero), then {@code (x − mean)·inv·scale + bias}. An item is {@link #ROWS} rows.
 */
final class VectorLayerNorm implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int ROWS = 32;

    private final FlatView a;
    private final FlatView b;
    private final FlatView sum;
    private final FlatView y;
    private final float[] scale;
    private final float[] bias;
    private final float eps;
    private final int c;
    private final int rows;

    /** @param b null for plain LayerNormalization (then {@code sum} is null too) */
    VectorLayerNorm(FlatView a, FlatView b, FlatView sum, FlatView y, float[] scale, float[] bias, float eps) {
        this.a = a;
        this.b = b;
        this.sum = sum;
        this.y = y;
        this.scale = scale;
        this.bias = bias;
        this.eps = eps;
        this.c = a.cols();
        this.rows = a.rows();
    }

    int items() {
        return Math.ceilDiv(rows, ROWS);
    }

    @Override
    public void run(int worker, int item) {
        int r1 = Math.min(rows, (item + 1) * ROWS);
        for (int r = item * ROWS; r < r1; r++) {
            row(r);
        }
    }

    private void row(int r) {
        float[] src = a.data();
        int x = a.offset() + r * c;
        if (b != null) {
            // The rounded sum is what is normalised, as Add followed by LayerNormalization would do.
            int bo = b.offset() + r * c;
            int so = sum.offset() + r * c;
            int j = 0;
            for (; j <= c - L; j += L) {
                FloatVector.fromArray(S, src, x + j).add(FloatVector.fromArray(S, b.data(), bo + j))
                        .intoArray(sum.data(), so + j);
            }
            for (; j < c; j++) {
                sum.data()[so + j] = src[x + j] + b.data()[bo + j];
            }
            src = sum.data();
            x = so;
        }
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= c - L; j += L) {
            acc = acc.add(FloatVector.fromArray(S, src, x + j));
        }
        float total = Simd.sum(acc);
        for (; j < c; j++) {
            total += src[x + j];
        }
        float mean = total / c;
        FloatVector mv = FloatVector.broadcast(S, mean);
        FloatVector sq = FloatVector.zero(S);
        for (j = 0; j <= c - L; j += L) {
            FloatVector dd = FloatVector.fromArray(S, src, x + j).sub(mv);
            sq = dd.fma(dd, sq);
        }
        float var = Simd.sum(sq);
        for (; j < c; j++) {
            float dd = src[x + j] - mean;
            var += dd * dd;
        }
        float inv = (float) (1 / Math.sqrt(var / c + eps));
        float[] out = y.data();
        int o = y.offset() + r * c;
        for (j = 0; j < c; j += L) {
            VectorMask<Float> in = S.indexInRange(j, c);
            FloatVector v = FloatVector.fromArray(S, src, x + j, in).sub(mv).mul(inv)
                    .mul(FloatVector.fromArray(S, scale, j, in));
            if (bias != null) {
                v = v.add(FloatVector.fromArray(S, bias, j, in));
            }
            v.intoArray(out, o + j, in);
        }
    }
}
