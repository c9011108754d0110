package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Ops along the last axis of a plain value, one row at a time: Softmax and LogSoftmax, and the
 * reductions ReduceMean, ReduceSum, ReduceMax, ReduceL2 (keeping or dropping the axis). An item is
 * {@link #ROWS} rows.
 */
final class VectorRowOps implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int ROWS = 32;

    enum Op { SOFTMAX, LOG_SOFTMAX, MEAN, SUM, MAX, L2 }

    private final Op op;
    private final FlatView x;
    private final FlatView y;
    private final int c;
    private final int rows;

    VectorRowOps(Op op, FlatView x, FlatView y) {
        this.op = op;
        this.x = x;
        this.y = y;
        this.c = x.cols();
        this.rows = x.rows();
    }

    int items() {
        return Math.ceilDiv(rows, ROWS);
    }

    @Override
    public void run(int worker, int item) {
        int r1 = Math.min(rows, (item + 1) * ROWS);
        for (int r = item * ROWS; r < r1; r++) {
            int in = x.offset() + r * c;
            switch (op) {
                case SOFTMAX, LOG_SOFTMAX -> softmax(in, y.offset() + r * c);
                default -> y.data()[y.offset() + r] = reduce(in);
            }
        }
    }

    private float reduce(int in) {
        float[] a = x.data();
        FloatVector acc = FloatVector.broadcast(S, op == Op.MAX ? Float.NEGATIVE_INFINITY : 0f);
        int j = 0;
        for (; j <= c - L; j += L) {
            FloatVector v = FloatVector.fromArray(S, a, in + j);
            acc = switch (op) {
                case MAX -> acc.max(v);
                case L2 -> v.fma(v, acc);
                default -> acc.add(v);
            };
        }
        float r = op == Op.MAX ? acc.reduceLanes(VectorOperators.MAX) : Simd.sum(acc);
        for (; j < c; j++) {
            float v = a[in + j];
            r = switch (op) {
                case MAX -> Float.isNaN(v) ? v : Math.max(r, v);
                case L2 -> r + v * v;
                default -> r + v;
            };
        }
        return switch (op) {
            case MEAN -> r / c;
            case L2 -> (float) Math.sqrt(r);
            default -> r;
        };
    }

    private void softmax(int in, int o) {
        float[] a = x.data();
        float[] out = y.data();
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < c; j += L) {
            VectorMask<Float> m = S.indexInRange(j, c);
            max = max.max(FloatVector.fromArray(S, a, in + j, m).blend(Float.NEGATIVE_INFINITY, m.not()));
        }
        float mx = max.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < c; j += L) {
            VectorMask<Float> m = S.indexInRange(j, c);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, a, in + j, m).sub(mx));
            e = e.blend(0f, m.not());
            if (op == Op.SOFTMAX) {
                e.intoArray(out, o + j, m);
            }
            sum = sum.add(e);
        }
        float s = Simd.sum(sum);
        if (op == Op.LOG_SOFTMAX) {
            float shift = mx + (float) Math.log(s);
            for (int j = 0; j < c; j += L) {
                VectorMask<Float> m = S.indexInRange(j, c);
                FloatVector.fromArray(S, a, in + j, m).sub(shift).intoArray(out, o + j, m);
            }
            return;
        }
        float inv = 1f / s;
        for (int j = 0; j < c; j += L) {
            VectorMask<Float> m = S.indexInRange(j, c);
            FloatVector.fromArray(S, out, o + j, m).mul(inv).intoArray(out, o + j, m);
        }
    }
}
