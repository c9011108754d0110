package io.srengine.upscale;

/**
 * The eight symmetries of a rectangle (flips and transposition) on planar {@code [c, h, w]} arrays,
 * for test-time augmentation: a model's output on a flipped input, flipped back, is another estimate
 * of the same image. Symmetry {@code t} flips left-right when bit 0 is set, top-bottom when bit 1 is,
 * and swaps the axes when bit 2 is.
 */
final class Dihedral {
    private Dihedral() {}

    /** Symmetry {@code t} of a {@code w x h} image; the result is {@code h x w} when {@code t} swaps the axes. */
    static float[] apply(float[] in, int channels, int w, int h, int t) {
        boolean swap = (t & 4) != 0;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        float[] out = new float[in.length];
        int plane = w * h;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int j = 0; j < dh; j++) {
                for (int i = 0; i < dw; i++) {
                    out[base + j * dw + i] = in[base + source(i, j, w, h, t)];
                }
            }
        }
        return out;
    }

    /** Undoes {@link #apply}: {@code in} is the symmetric image of a {@code w x h} one, which is returned. */
    static float[] invert(float[] in, int channels, int w, int h, int t) {
        boolean swap = (t & 4) != 0;
        int dw = swap ? h : w;
        float[] out = new float[in.length];
        int plane = w * h;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int j = 0; j < (swap ? w : h); j++) {
                for (int i = 0; i < dw; i++) {
                    out[base + source(i, j, w, h, t)] = in[base + j * dw + i];
                }
            }
        }
        return out;
    }

    /** Index in the {@code w x h} original of pixel (i, j) of its symmetry {@code t}. */
    private static int source(int i, int j, int w, int h, int t) {
        int u = (t & 4) != 0 ? j : i;
        int v = (t & 4) != 0 ? i : j;
        if ((t & 1) != 0) {
            u = w - 1 - u;
        }
        if ((t & 2) != 0) {
            v = h - 1 - v;
        }
        return v * w + u;
    }
}
