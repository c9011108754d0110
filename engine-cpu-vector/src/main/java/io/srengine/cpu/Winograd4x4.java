package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transforms of Winograd's F(4×4, 3×3) with interpolation points 0, ±1, ±2 and ∞: a 6×6 input
 * tile {@code d} and a 3×3 kernel {@code g} give the 4×4 output {@code Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A},
 * 36 multiplications instead of 144. F(2×2, 5×5) on the same points shares the input transform and
 * needs 36 instead of 100. The data transforms work on whole vectors (one channel block of
 * one tile element) and are written as sums of shared differences, which is both fewer operations
 * and smaller rounding error than the matrix products.
 */
final class Winograd4x4 {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    /** Tile side in the transformed domain. */
    static final int ALPHA = 6;
    /** Output tile side. */
    static final int M = 4;

    /** G (6×3), applied to the weights once, in double, when the model is compiled. */
    private static final double[][] G = {
        {1.0 / 4, 0, 0},
        {-1.0 / 6, -1.0 / 6, -1.0 / 6},
        {-1.0 / 6, 1.0 / 6, -1.0 / 6},
        {1.0 / 24, 1.0 / 12, 1.0 / 6},
        {1.0 / 24, -1.0 / 12, 1.0 / 6},
        {0, 0, 1},
    };

    private Winograd4x4() {}

    /**
     * G (6×5) of F(2×2, 5×5) on the same six points, so that the input transform {@link #inputLine} is
     * shared: row j is {@code a_j^k / Π_{l≠j}(a_j − a_l)} for the finite points a = 0, 1, −1, 2, −2, and
     * picks the last tap for the point at infinity.
     */
    private static final double[][] G5 = {
        {1.0 / 4, 0, 0, 0, 0},
        {-1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6},
        {-1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6},
        {1.0 / 24, 2.0 / 24, 4.0 / 24, 8.0 / 24, 16.0 / 24},
        {1.0 / 24, -2.0 / 24, 4.0 / 24, -8.0 / 24, 16.0 / 24},
        {0, 0, 0, 0, 1},
    };

    /** {@code G g Gᵀ} for one 3×3 kernel, 36 values in row-major (ξ, ν) order. */
    static float[] transformKernel(float[] g, int off) {
        return transform(G, 3, g, off);
    }

    /** {@code G g Gᵀ} for one 5×5 kernel (F(2×2, 5×5)), 36 values in row-major (ξ, ν) order. */
    static float[] transformKernel5(float[] g, int off) {
        return transform(G5, 5, g, off);
    }

    private static float[] transform(double[][] gm, int r, float[] g, int off) {
        double[][] t = new double[ALPHA][r];
        for (int i = 0; i < ALPHA; i++) {
            for (int j = 0; j < r; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += gm[i][k] * g[off + k * r + j];
                }
                t[i][j] = s;
            }
        }
        float[] u = new float[ALPHA * ALPHA];
        for (int i = 0; i < ALPHA; i++) {
            for (int j = 0; j < ALPHA; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += t[i][k] * gm[j][k];
                }
                u[i * ALPHA + j] = (float) s;
            }
        }
        return u;
    }

    /**
     * Six vectors through the Aᵀ (2×6) of F(2×2, 5×5) into two vectors {@code dst[d0 + k·ds]}, each plus
     * the bias vector at {@code bias[biasOff]} (none when {@code bias} is null).
     */
    static void outputLine2(float[] src, int s0, int ss, float[] dst, int d0, int ds, float[] bias, int biasOff) {
        FloatVector addend = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff);
        FloatVector m0 = FloatVector.fromArray(S, src, s0);
        FloatVector m1 = FloatVector.fromArray(S, src, s0 + ss);
        FloatVector m2 = FloatVector.fromArray(S, src, s0 + 2 * ss);
        FloatVector m3 = FloatVector.fromArray(S, src, s0 + 3 * ss);
        FloatVector m4 = FloatVector.fromArray(S, src, s0 + 4 * ss);
        FloatVector m5 = FloatVector.fromArray(S, src, s0 + 5 * ss);
        m0.add(m1.add(m2)).add(m3.add(m4)).add(addend).intoArray(dst, d0);
        m3.sub(m4).fma(FloatVector.broadcast(S, 2f), m1.sub(m2)).add(m5).add(addend).intoArray(dst, d0 + ds);
    }

    /**
     * Six vectors {@code src[s0 + k·ss]} through Bᵀ into {@code dst[d0 + k·ds]}: one row or column of
     * the input transform.
     */
    static void inputLine(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, src, s0);
        FloatVector x1 = FloatVector.fromArray(S, src, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, src, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, src, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, src, s0 + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, src, s0 + 5 * ss);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector minusFour = FloatVector.broadcast(S, -4f);
        FloatVector minusFive = FloatVector.broadcast(S, -5f);
        FloatVector a = x2.fma(minusFour, x4);
        FloatVector b = x1.fma(minusFour, x3);
        FloatVector c = x4.sub(x2);
        FloatVector e = x3.sub(x1).mul(2f);
        x0.fma(four, x2.fma(minusFive, x4)).intoArray(dst, d0);
        a.add(b).intoArray(dst, d0 + ds);
        a.sub(b).intoArray(dst, d0 + 2 * ds);
        c.add(e).intoArray(dst, d0 + 3 * ds);
        c.sub(e).intoArray(dst, d0 + 4 * ds);
        x1.fma(four, x3.fma(minusFive, x5)).intoArray(dst, d0 + 5 * ds);
    }

    /**
     * Six vectors {@code src[s0 + k·ss]} through Aᵀ into four vectors {@code dst[d0 + k·ds]}, each plus
     * the bias vector at {@code bias[biasOff]} (none when {@code bias} is null): one row or column of the
     * output transform. Vectors never cross a method boundary here: a call C2 does not inline would box
     * them, allocating on every tile.
     */
    static void outputLine(float[] src, int s0, int ss, float[] dst, int d0, int ds, float[] bias, int biasOff) {
        FloatVector addend = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff);
        FloatVector m0 = FloatVector.fromArray(S, src, s0);
        FloatVector m1 = FloatVector.fromArray(S, src, s0 + ss);
        FloatVector m2 = FloatVector.fromArray(S, src, s0 + 2 * ss);
        FloatVector m3 = FloatVector.fromArray(S, src, s0 + 3 * ss);
        FloatVector m4 = FloatVector.fromArray(S, src, s0 + 4 * ss);
        FloatVector m5 = FloatVector.fromArray(S, src, s0 + 5 * ss);
        FloatVector p12 = m1.add(m2);
        FloatVector d12 = m1.sub(m2);
        FloatVector p34 = m3.add(m4);
        FloatVector d34 = m3.sub(m4);
        m0.add(p12).add(p34).add(addend).intoArray(dst, d0);
        d34.fma(FloatVector.broadcast(S, 2f), d12).add(addend).intoArray(dst, d0 + ds);
        p34.fma(FloatVector.broadcast(S, 4f), p12).add(addend).intoArray(dst, d0 + 2 * ds);
        d34.fma(FloatVector.broadcast(S, 8f), d12).add(m5).add(addend).intoArray(dst, d0 + 3 * ds);
    }
}
