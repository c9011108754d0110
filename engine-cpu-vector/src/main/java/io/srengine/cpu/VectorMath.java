package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activations the transformer kernels apply lane-wise: GELU (exact, through erf, and its tanh
 * approximation) with their scalar twins for tails. erf follows Abramowitz and Stegun 7.1.26 (absolute
 * error below 1.5e-7, under float32's rounding of values near 1), with the JDK's vector exp.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private VectorMath() {}

    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = a.mul(P).add(1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
        FloatVector e = a.mul(a).neg().lanewise(VectorOperators.EXP);
        FloatVector y = FloatVector.broadcast(S, 1f).sub(poly.mul(e));
        return y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
    }

    static float erf(float x) {
        float a = Math.abs(x);
        float t = 1f / (1f + P * a);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        float y = 1f - poly * (float) Math.exp(-a * a);
        return Math.copySign(y, x);
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(INV_SQRT2)).add(1f));
    }

    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT2));
    }

    static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(0.044715f).add(1f).mul(x).mul(SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }

    static float geluTanh(float x) {
        return 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
    }

    /** The activation of a Linear node: 0 none, 1 GELU, 2 tanh GELU. */
    static int activationCode(String name) {
        return switch (name) {
            case "gelu" -> 1;
            case "gelu_tanh" -> 2;
            default -> 0;
        };
    }

    static FloatVector activate(FloatVector x, int code) {
        return switch (code) {
            case 1 -> gelu(x);
            case 2 -> geluTanh(x);
            default -> x;
        };
    }

    static float activate(float x, int code) {
        return switch (code) {
            case 1 -> gelu(x);
            case 2 -> geluTanh(x);
            default -> x;
        };
    }
}
