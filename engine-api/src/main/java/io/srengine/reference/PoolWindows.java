package io.srengine.reference;

import io.srengine.ops.PoolSpec;

/**
 * For each output cell of a pool, the input offsets its window reads and how many cells an average
 * divides by. Computed once per run and shared by every (batch, channel) plane.
 */
final class PoolWindows {
    final int inSpatial;
    final int outSpatial;
    /** {@code [output cell][k]}: spatial offsets of the window cells inside the input. */
    final int[][] offsets;
    /** {@code [output cell]}: the divisor of AveragePool for that cell. */
    final int[] divisor;

    PoolWindows(PoolSpec spec) {
        int n = spec.spatialRank();
        int[] inSize = new int[n];
        int[] outSize = new int[n];
        int[] kernel = new int[n];
        for (int i = 0; i < n; i++) {
            inSize[i] = spec.inputSize(i);
            outSize[i] = spec.outputSize(i);
            kernel[i] = spec.kernel(i);
        }
        int[] inStrides = SpatialSupport.strides(inSize);
        inSpatial = SpatialSupport.product(inSize);
        outSpatial = SpatialSupport.product(outSize);
        int[][] taps = SpatialSupport.allCoordinates(kernel);
        offsets = new int[outSpatial][];
        divisor = new int[outSpatial];
        int[] o = new int[n];
        int[] buf = new int[taps.length];
        for (int p = 0; p < outSpatial; p++) {
            SpatialSupport.unravel(p, outSize, o);
            int inside = 0;
            int counted = 0;
            for (int[] tap : taps) {
                int off = 0;
                boolean in = true;
                boolean counts = true;
                for (int i = 0; i < n; i++) {
                    int pos = spec.windowStart(i, o[i]) + tap[i] * spec.dilation(i);
                    in &= pos >= 0 && pos < inSize[i];
                    counts &= spec.counts(i, pos);
                    off += pos * inStrides[i];
                }
                if (in) {
                    buf[inside++] = off;
                }
                if (counts) {
                    counted++;
                }
            }
            offsets[p] = java.util.Arrays.copyOf(buf, inside);
            divisor[p] = counted;
        }
    }
}
