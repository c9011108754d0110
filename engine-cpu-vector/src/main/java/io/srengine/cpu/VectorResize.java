package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Resize of height and width (nearest, linear or cubic: whatever filter table the op's coordinate
 * rules produce) on the blocked layout, where one vector holds a channel block of one pixel, so every
 * tap is one vector FMA. Output pixel (oy, ox) is {@code Σ wy[oy,ty]·wx[ox,tx]·in[iy[oy,ty], ix[ox,tx]]};
 * a one-tap filter with weight 1 (nearest) is a plain copy. Tables are built once per shape.
 */
final class VectorResize implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    /** One axis: output cell o reads input cells {@code index[o·taps + t]} with {@code weight[o·taps + t]}. */
    record AxisTable(int taps, int[] index, float[] weight) {
        int size() {
            return index.length / taps;
        }

        boolean isCopy() {
            if (taps != 1) {
                return false;
            }
            for (float w : weight) {
                if (w != 1f) {
                    return false;
                }
            }
            return true;
        }
    }

    private final AxisTable ty;
    private final AxisTable tx;
    private final BlockedView in;
    private final BlockedView out;
    private final boolean copy;

    VectorResize(AxisTable ty, AxisTable tx, BlockedView in, BlockedView out) {
        this.ty = ty;
        this.tx = tx;
        this.in = in;
        this.out = out;
        this.copy = ty.isCopy() && tx.isCopy();
    }

    int items() {
        return out.batch * out.blocks() * out.height;
    }

    @Override
    public void run(int worker, int item) {
        int perImage = out.blocks() * out.height;
        int n = item / perImage;
        int r = item - n * perImage;
        int cb = r / out.height;
        int oy = r - cb * out.height;
        int plane = in.base(n) + cb * in.height * in.width * L;
        int dst = out.base(n) + r * out.width * L;
        float[] x = in.data;
        float[] y = out.data;
        if (copy) {
            int row = plane + ty.index[oy] * in.width * L;
            for (int ox = 0; ox < out.width; ox++) {
                System.arraycopy(x, row + tx.index[ox] * L, y, dst + ox * L, L);
            }
            return;
        }
        int kt = ty.taps;
        int kx = tx.taps;
        for (int ox = 0; ox < out.width; ox++) {
            FloatVector acc = FloatVector.zero(S);
            for (int a = 0; a < kt; a++) {
                int row = plane + ty.index[oy * kt + a] * in.width * L;
                FloatVector h = FloatVector.zero(S);
                for (int b = 0; b < kx; b++) {
                    h = FloatVector.fromArray(S, x, row + tx.index[ox * kx + b] * L).fma(FloatVector.broadcast(S, tx.weight[ox * kx + b]), h);
                }
                acc = h.fma(FloatVector.broadcast(S, ty.weight[oy * kt + a]), acc);
            }
            acc.intoArray(y, dst + ox * L);
        }
    }
}
