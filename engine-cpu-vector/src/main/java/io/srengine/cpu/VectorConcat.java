package io.srengine.cpu;

/**
 * Concat along channels when the plan could not place its inputs in one shared buffer (see {@link
 * BufferPlan}): whole channel blocks are copied plane by plane when an input starts on a block
 * boundary, otherwise lane by lane.
 */
final class VectorConcat implements WorkerPool.Task {
    private static final int L = Simd.LANES;

    private final BlockedView[] inputs;
    private final int[] channelOffsets;
    private final BlockedView out;

    VectorConcat(BlockedView[] inputs, BlockedView out) {
        this.inputs = inputs;
        this.out = out;
        this.channelOffsets = new int[inputs.length];
        int c = 0;
        for (int i = 0; i < inputs.length; i++) {
            channelOffsets[i] = c;
            c += inputs[i].channels;
        }
    }

    int items() {
        return out.batch * inputs.length;
    }

    @Override
    public void run(int worker, int item) {
        int n = item / inputs.length;
        int i = item - n * inputs.length;
        BlockedView in = inputs[i];
        int off = channelOffsets[i];
        int hw = out.height * out.width;
        int src = in.base(n);
        int dst = out.base(n);
        if (off % L == 0) {
            int full = in.channels / L;
            System.arraycopy(in.data, src, out.data, dst + (off / L) * hw * L, full * hw * L);
            if (in.channels % L != 0) {
                copyLanes(in, src, full * L, in.channels, dst, off, hw);
            }
        } else {
            copyLanes(in, src, 0, in.channels, dst, off, hw);
        }
        if (i == inputs.length - 1 && out.channels % L != 0) {
            // Lanes past the last channel may hold a previous run's data; the layout promises zeros.
            int last = out.blocks() - 1;
            for (int p = 0; p < hw; p++) {
                int o = dst + (last * hw + p) * L;
                java.util.Arrays.fill(out.data, o + out.channels % L, o + L, 0f);
            }
        }
    }

    private void copyLanes(BlockedView in, int src, int from, int to, int dst, int off, int hw) {
        for (int c = from; c < to; c++) {
            int s = src + (c / L) * hw * L + c % L;
            int oc = off + c;
            int d = dst + (oc / L) * hw * L + oc % L;
            for (int p = 0; p < hw; p++) {
                out.data[d + p * L] = in.data[s + p * L];
            }
        }
    }
}
