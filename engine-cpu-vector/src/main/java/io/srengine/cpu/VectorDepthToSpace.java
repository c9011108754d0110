package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * DepthToSpace (pixel shuffle), both channel orders: output channel c at sub-pixel (i, j) comes from
 * input channel {@code (i·b + j)·C + c} (DCR) or {@code c·b² + i·b + j} (CRD, PyTorch's PixelShuffle).
 * Each output vector gathers its lanes from the one input pixel through an index map built once per
 * (output block, i, j); when those lanes form one whole input block (DCR with C a multiple of the
 * vector width) the gather is a plain vector copy.
 */
final class VectorDepthToSpace implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    private final int blockSize;
    private final BlockedView in;
    private final BlockedView out;
    /** {@code [outBlock][i·b + j][lane]}: offset of the source element from the input pixel's start. */
    private final int[] maps;
    /** Per (outBlock, i·b + j): the source block offset when a plain copy suffices, else -1. */
    private final int[] copyFrom;
    private final VectorMask<Float> tailMask;

    VectorDepthToSpace(int blockSize, boolean crd, BlockedView in, BlockedView out) {
        this.blockSize = blockSize;
        this.in = in;
        this.out = out;
        int b2 = blockSize * blockSize;
        int c = out.channels;
        int blocks = out.blocks();
        int plane = in.plane();
        this.maps = new int[blocks * b2 * L];
        this.copyFrom = new int[blocks * b2];
        for (int ob = 0; ob < blocks; ob++) {
            for (int k = 0; k < b2; k++) {
                boolean contiguous = true;
                int first = -1;
                for (int l = 0; l < L; l++) {
                    int oc = ob * L + l;
                    int idx;
                    if (oc < c) {
                        int ic = crd ? oc * b2 + k : k * c + oc;
                        idx = (ic / L) * plane + ic % L;
                    } else {
                        idx = 0;
                        contiguous = false;
                    }
                    maps[(ob * b2 + k) * L + l] = idx;
                    if (l == 0) {
                        first = idx;
                    }
                    contiguous &= idx == first + l && first % L == 0;
                }
                copyFrom[ob * b2 + k] = contiguous ? first : -1;
            }
        }
        int tail = c % L;
        this.tailMask = S.indexInRange(0, tail == 0 ? L : tail);
    }

    int items() {
        return in.batch * out.blocks() * in.height;
    }

    @Override
    public void run(int worker, int item) {
        int blocks = out.blocks();
        int perImage = blocks * in.height;
        int n = item / perImage;
        int r = item - n * perImage;
        int ob = r / in.height;
        int y = r - ob * in.height;
        int b = blockSize;
        int b2 = b * b;
        boolean lastBlock = ob == blocks - 1;
        int inRow = in.base(n) + y * in.width * L;
        for (int i = 0; i < b; i++) {
            int outRow = out.base(n) + ((ob * out.height + y * b + i) * out.width) * L;
            for (int j = 0; j < b; j++) {
                int k = i * b + j;
                int m = (ob * b2 + k) * L;
                int copy = copyFrom[ob * b2 + k];
                for (int x = 0; x < in.width; x++) {
                    int src = inRow + x * L;
                    int dst = outRow + (x * b + j) * L;
                    FloatVector v;
                    if (copy >= 0) {
                        v = FloatVector.fromArray(S, in.data, src + copy);
                    } else if (lastBlock) {
                        v = FloatVector.fromArray(S, in.data, src, maps, m, tailMask);
                    } else {
                        v = FloatVector.fromArray(S, in.data, src, maps, m);
                    }
                    v.intoArray(out.data, dst);
                }
            }
        }
    }
}
