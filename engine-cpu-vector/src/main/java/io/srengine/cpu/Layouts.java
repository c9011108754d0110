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

    private static final jdk.incubator.vector.VectorSpecies<Float> S = Simd.SPECIES;
    /** Lane i reads pixel i of one channel: a stride of LANES floats. */
    private static final int[] PIXEL_STRIDE = new int[L];

    static {
        for (int i = 0; i < L; i++) {
            PIXEL_STRIDE[i] = i * L;
        }
    }

    /**
     * Copies pixels {@code [p0, p1)} of channel block {@code cb} of image {@code n} into the NCHW array
     * {@code nchw}, a few hundred pixels at a time for every channel of the block, so that each cache
     * line of the blocked image is read from memory once however few of its lanes are real channels
     * (a 3-channel output image uses 3 of 16).
     */
    static void blockFromBlocked(BlockedView src, int n, int cb, int p0, int p1, float[] nchw, int nchwOffset) {
        int hw = src.height * src.width;
        int lanes = Math.min(L, src.channels - cb * L);
        int in = src.base(n) + cb * hw * L;
        int out = nchwOffset + (n * src.channels + cb * L) * hw;
        final int tile = 256;
        for (int q0 = p0; q0 < p1; q0 += tile) {
            int q1 = Math.min(p1, q0 + tile);
            for (int l = 0; l < lanes; l++) {
                int i = in + l;
                int o = out + l * hw;
                int p = q0;
                for (; p + L <= q1; p += L) {
                    jdk.incubator.vector.FloatVector.fromArray(S, src.data, i + p * L, PIXEL_STRIDE, 0).intoArray(nchw, o + p);
                }
                for (; p < q1; p++) {
                    nchw[o + p] = src.data[i + p * L];
                }
            }
        }
    }

    /** Copies channel block {@code cb} of image {@code n} of the NCHW array {@code nchw} into {@code dst}. */
    static void blockToBlocked(float[] nchw, int nchwOffset, BlockedView dst, int n, int cb) {
        int c = dst.channels;
        int hw = dst.height * dst.width;
        int lanes = Math.min(L, c - cb * L);
        int src = nchwOffset + n * c * hw;
        int o = dst.base(n) + cb * hw * L;
        for (int p = 0; p < hw; p++) {
            int d = o + p * L;
            for (int l = 0; l < lanes; l++) {
                dst.data[d + l] = nchw[src + (cb * L + l) * hw + p];
            }
            for (int l = lanes; l < L; l++) {
                dst.data[d + l] = 0f;
            }
        }
    }
}
