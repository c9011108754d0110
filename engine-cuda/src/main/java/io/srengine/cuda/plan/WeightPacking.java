package io.srengine.cuda.plan;

/** Rearranges ONNX convolution weights into the layouts the kernels read (see conv2d.cuh, conv_transpose.cuh). */
public final class WeightPacking {
    private WeightPacking() {}

    /**
     * Conv weights {@code [K][Cg][R][S]} (ONNX) to {@code [K][R][S][cPad]}: the reduction runs over
     * taps and then channels, channels contiguous; channels {@code Cg..cPad-1} are zero.
     */
    public static float[] conv(float[] w, int k, int cg, int r, int s, int cPad) {
        if (cPad < cg) {
            throw new IllegalArgumentException("padded channels " + cPad + " < " + cg);
        }
        float[] out = new float[k * r * s * cPad];
        for (int o = 0; o < k; o++) {
            for (int c = 0; c < cg; c++) {
                for (int y = 0; y < r; y++) {
                    for (int x = 0; x < s; x++) {
                        out[((o * r + y) * s + x) * cPad + c] = w[((o * cg + c) * r + y) * s + x];
                    }
                }
            }
        }
        return out;
    }

    /**
     * ConvTranspose weights {@code [C][Kg][R][S]} (ONNX, C = groups * Cg) to
     * {@code [groups][R][S][Cg][Kg]}: output channels contiguous.
     */
    public static float[] convTranspose(float[] w, int groups, int cg, int kg, int r, int s) {
        float[] out = new float[groups * r * s * cg * kg];
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < cg; c++) {
                for (int k = 0; k < kg; k++) {
                    for (int y = 0; y < r; y++) {
                        for (int x = 0; x < s; x++) {
                            float v = w[(((g * cg + c) * kg + k) * r + y) * s + x];
                            out[(((g * r + y) * s + x) * cg + c) * kg + k] = v;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** {@code n} rounded up to a multiple of 8 (16 bytes of 16-bit elements). */
    public static int ceil8(int n) {
        return (n + 7) / 8 * 8;
    }
}
