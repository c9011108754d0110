package io.srengine.cpu;

import io.srengine.ops.Broadcast;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * MatMul of two run-time values (batched, leading axes broadcast; both at least 2-D): per batch,
 * {@link #MR} rows of A at a time against B's rows, lane-wise over B's columns (B row-major needs no
 * packing: a row of B is contiguous). Channel attention's products (head dim × tokens by tokens ×
 * head dim) and anything else TransformerFusion leaves. An item is one batch and {@link #MR} rows.
 */
final class VectorMatMul implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    static final int MR = 4;

    private final FlatView a;
    private final FlatView b;
    private final FlatView y;
    private final int m;
    private final int k;
    private final int n;
    private final int batches;
    private final int[] batchShape;
    private final int[] strideA;
    private final int[] strideB;
    private final int tiles;

    VectorMatMul(FlatView a, FlatView b, FlatView y) {
        this.a = a;
        this.b = b;
        this.y = y;
        int[] as = a.shape();
        int[] bs = b.shape();
        this.m = as[as.length - 2];
        this.k = as[as.length - 1];
        this.n = bs[bs.length - 1];
        int[] ba = Arrays.copyOf(as, as.length - 2);
        int[] bb = Arrays.copyOf(bs, bs.length - 2);
        this.batchShape = Broadcast.shape("MatMul", ba, bb);
        this.strideA = Broadcast.strides(ba, batchShape);
        this.strideB = Broadcast.strides(bb, batchShape);
        int count = 1;
        for (int d : batchShape) {
            count *= d;
        }
        this.batches = count;
        this.tiles = Math.ceilDiv(m, MR);
    }

    int items() {
        return batches * tiles;
    }

    @Override
    public void run(int worker, int item) {
        int batch = item / tiles;
        int i0 = (item % tiles) * MR;
        int rowsHere = Math.min(MR, m - i0);
        int rem = batch;
        int oa = 0;
        int ob = 0;
        for (int d = batchShape.length - 1; d >= 0; d--) {
            int c = rem % batchShape[d];
            rem /= batchShape[d];
            oa += c * strideA[d];
            ob += c * strideB[d];
        }
        int abase = a.offset() + oa * m * k + i0 * k;
        int bbase = b.offset() + ob * k * n;
        int obase = y.offset() + batch * m * n + i0 * n;
        float[] av = a.data();
        float[] bv = b.data();
        float[] out = y.data();
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = FloatVector.zero(S);
            FloatVector c2 = FloatVector.zero(S);
            FloatVector c3 = FloatVector.zero(S);
            for (int kk = 0; kk < k; kk++) {
                FloatVector bk = FloatVector.fromArray(S, bv, bbase + kk * n + j, mask);
                c0 = FloatVector.broadcast(S, av[abase + kk]).fma(bk, c0);
                if (rowsHere > 1) {
                    c1 = FloatVector.broadcast(S, av[abase + k + kk]).fma(bk, c1);
                }
                if (rowsHere > 2) {
                    c2 = FloatVector.broadcast(S, av[abase + 2 * k + kk]).fma(bk, c2);
                }
                if (rowsHere > 3) {
                    c3 = FloatVector.broadcast(S, av[abase + 3 * k + kk]).fma(bk, c3);
                }
            }
            c0.intoArray(out, obase + j, mask);
            if (rowsHere > 1) {
                c1.intoArray(out, obase + n + j, mask);
            }
            if (rowsHere > 2) {
                c2.intoArray(out, obase + 2 * n + j, mask);
            }
            if (rowsHere > 3) {
                c3.intoArray(out, obase + 3 * n + j, mask);
            }
        }
    }
}
