package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scalar twins of the GELU and erf that the vector kernels (VectorLinear's epilogue,
 * VectorFlatElementwise) write out inline: erf after Abramowitz and Stegun 7.1.26 (absolute error
 * below 1.5e-7, under float32's rounding of values near 1). The vector forms are written out where
 * they are used because a vector passed to a method C2 does not inline is boxed.
 *
 * <p>And exp and tanh, vector and scalar, from additions, multiplications and bit operations only
 * (Cephes' single-precision polynomials, within 2 ulp): the Vector API's own EXP and TANH are the
 * JDK's Java code until C2 compiles a loop and Intel's SVML afterwards, which differ in the last
 * bit, so a model's output changed between its first runs and later ones. These give the same bits
 * however the code runs, and the scalar twins the same bits as a lane. They are small enough for C2
 * to inline at every (hot) call.
 */
final class VectorMath {
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.9875691500e-4f;
    private static final float E1 = 1.3981999507e-3f;
    private static final float E2 = 8.3334519073e-3f;
    private static final float E3 = 4.1665795894e-2f;
    private static final float E4 = 1.6666665459e-1f;
    private static final float E5 = 5.0000001201e-1f;
    /** Below it exp is taken as 0 (the true value is under 2e-38, at the edge of float's normal range). */
    static final float EXP_LO = -86.9f;
    /** Above it exp overflows float. */
    static final float EXP_HI = 88.72283f;
    private static final float T0 = -5.70498872745e-3f;
    private static final float T1 = 2.06390887954e-2f;
    private static final float T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f;
    private static final float T4 = -3.33332819422e-1f;
    /** Below it tanh uses its odd polynomial; above it 1 - 2 / (e^2x + 1). */
    private static final float TANH_SMALL = 0.625f;
    /** Below it tanh(x) is x in float (x^3/3 is under half an ulp), -0 included. */
    private static final float TANH_TINY = 1e-4f;
    /** Where tanh's argument is clamped: from about 9.01 on, tanh is 1 in float. */
    private static final float TANH_ONE = 10f;

    private VectorMath() {}

    /** e^x lane by lane: +inf above {@link #EXP_HI}, 0 below {@link #EXP_LO}, NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO).min(EXP_HI);
        FloatVector n = c.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(E0).add(E1).mul(r).add(E2).mul(r).add(E3).mul(r).add(E4).mul(r).add(E5);
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // 2 * 2^(n-1), so that n = 128 (just below overflow) still has a normal float for its power.
        FloatVector pow = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(126).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector e = y.mul(2f).mul(pow);
        return e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI))
                .blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations, so the same bits. */
    static float exp(float x) {
        if (x > EXP_HI) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < EXP_LO) {
            return 0f;
        }
        float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float n = c * LOG2E + ROUND - ROUND;
        float r = c - n * LN2_HI - n * LN2_LO;
        float p = ((((r * E0 + E1) * r + E2) * r + E3) * r + E4) * r + E5;
        float y = p * (r * r) + r + 1f;
        float pow = Float.intBitsToFloat(((int) n + 126) << 23);
        return y * 2f * pow;
    }

    /**
     * e^x for x ≤ 0, -inf and NaN (what Softmax exponentiates once the row's maximum is subtracted):
     * the polynomial of {@link #exp(FloatVector)} in fused multiply-adds, without its overflow clamp
     * (no x here exceeds 0), about half the dependent steps. 0 below {@link #EXP_LO}. Not for x > 0.
     */
    static FloatVector expNonPositive(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector c = x.max(EXP_LO);
        FloatVector n = c.fma(FloatVector.broadcast(s, LOG2E), FloatVector.broadcast(s, ROUND)).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(s, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(s, E0), FloatVector.broadcast(s, E1));
        p = p.fma(r, FloatVector.broadcast(s, E2));
        p = p.fma(r, FloatVector.broadcast(s, E3));
        p = p.fma(r, FloatVector.broadcast(s, E4));
        p = p.fma(r, FloatVector.broadcast(s, E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // n ≥ -125 after the clamp, so 2^n is a normal float.
        FloatVector pow = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return y.mul(pow).blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /** The scalar twin of {@link #expNonPositive(FloatVector)}: the same fused steps, so the same bits. */
    static float expNonPositive(float x) {
        if (x < EXP_LO) {
            return 0f;
        }
        float c = Math.max(x, EXP_LO);
        float n = Math.fma(c, LOG2E, ROUND) - ROUND;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, E0, E1);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** tanh lane by lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs().min(TANH_ONE);
        FloatVector z = x.mul(x);
        FloatVector small = z.mul(T0).add(T1).mul(z).add(T2).mul(z).add(T3).mul(z).add(T4).mul(z).mul(x).add(x);
        FloatVector large = FloatVector.broadcast(x.species(), 1f).sub(FloatVector.broadcast(x.species(), 2f)
                .div(exp(a.add(a)).add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL))
                .blend(x, a.compare(VectorOperators.LT, TANH_TINY).or(x.test(VectorOperators.IS_NAN)));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}. */
    static float tanh(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        float a = Math.min(Math.abs(x), TANH_ONE);
        if (a < TANH_TINY) {
            return x;
        }
        if (a < TANH_SMALL) {
            float z = x * x;
            return ((((z * T0 + T1) * z + T2) * z + T3) * z + T4) * z * x + x;
        }
        float t = 1f - 2f / (exp(a + a) + 1f);
        return x < 0f ? -t : t;
    }

    static float erf(float x) {
        float a = Math.abs(x);
        float t = 1f / (1f + P * a);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        float y = 1f - poly * exp(-a * a);
        return Math.copySign(y, x);
    }

    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT2));
    }

    static float geluTanh(float x) {
        return 0.5f * x * (1f + tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
    }

    /** The activation of a Linear node: 0 none, 1 GELU, 2 tanh GELU. */
    static int activationCode(String name) {
        return switch (name) {
            case "gelu" -> 1;
            case "gelu_tanh" -> 2;
            default -> 0;
        };
    }
}
