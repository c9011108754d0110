package io.srengine.cpu;

/**
 * Conversions between NCHW (what callers and the reference kernels use) and the blocked layout
 * (what the vector kernels use). Done only where a graph input enters or an output leaves, or around
 * an op that falls back to a reference kernel.
 */
final class Layouts {
    private static final int L = Simd.LANES;

    private Layouts() {}

    /** Copies {@code nchw} (n images of c×h×w) into {@code dst}, zeroing the padding lanes. */
    static void toBlocked(float[] nchw, int srcOff, BlockedView dst) {
        int c = dst.channels;
        int hw = dst.height * dst.width;
        for (int n = 0; n < dst.batch; n++) {
            int src = srcOff + n * c * hw;
            int base = dst.base(n);
            for (int cb = 0; cb < dst.blocks(); cb++) {
                int lanes = Math.min(L, c - cb * L);
                int blockBase = base + cb * hw * L;
                for (int p = 0; p < hw; p++) {
                    int o = blockBase + p * L;
                    for (int l = 0; l < lanes; l++) {
                        dst.data[o + l] = nchw[src + (cb * L + l) * hw + p];
                    }
                    for (int l = lanes; l < L; l++) {
                        dst.data[o + l] = 0f;
                    }
                }
            }
        }
    }

    /** Copies {@code src} into {@code nchw} (n images of c×h×w). */
    static void fromBlocked(BlockedView src, float[] nchw, int dstOff) {
        int c = src.channels;
        int hw = src.height * src.width;
        for (int n = 0; n < src.batch; n++) {
            int dst = dstOff + n * c * hw;
            int base = src.base(n);
            for (int ch = 0; ch < c; ch++) {
                int in = base + (ch / L) * hw * L + ch % L;
                int out = dst + ch * hw;
                for (int p = 0; p < hw; p++) {
                    nchw[out + p] = src.data[in + p * L];
                }
            }
        }
    }
}
