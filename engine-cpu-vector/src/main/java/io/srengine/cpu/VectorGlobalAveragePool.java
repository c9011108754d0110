package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GlobalAveragePool (and ReduceMean over height and width with keepdims): one channel block of one
 * image per work item, summed pixel by pixel in four independent accumulators (four FMA chains in
 * flight instead of one add latency per pixel), then scaled by 1/(H·W). The summation order is fixed,
 * so the result does not depend on threads.
 */
final class VectorGlobalAveragePool implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    private final BlockedView in;
    private final BlockedView out;
    private final Epilogue epilogue;

    VectorGlobalAveragePool(BlockedView in, BlockedView out, Epilogue epilogue) {
        this.in = in;
        this.out = out;
        this.epilogue = epilogue;
    }

    int items() {
        return in.batch * in.blocks();
    }

    @Override
    public void run(int worker, int item) {
        int blocks = in.blocks();
        int n = item / blocks;
        int cb = item - n * blocks;
        int hw = in.height * in.width;
        int src = in.base(n) + cb * hw * L;
        float[] x = in.data;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int p = 0;
        for (; p + 4 <= hw; p += 4) {
            int i = src + p * L;
            a0 = a0.add(FloatVector.fromArray(S, x, i));
            a1 = a1.add(FloatVector.fromArray(S, x, i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, i + 3 * L));
        }
        for (; p < hw; p++) {
            a0 = a0.add(FloatVector.fromArray(S, x, src + p * L));
        }
        int rel = cb * L;
        a0.add(a1).add(a2.add(a3)).mul(1f / hw).intoArray(out.data, out.base(n) + rel);
        epilogue.apply(out.data, out.base(n), rel, n, cb, 1);
    }
}
