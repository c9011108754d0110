package io.srengine.cpu;

/**
 * The scalar twins of the GELU and erf that the vector kernels (VectorLinear's epilogue,
 * VectorFlatElementwise) write out inline: erf after Abramowitz and Stegun 7.1.26 (absolute error
 * below 1.5e-7, under float32's rounding of values near 1). The vector forms are written out where
 * they are used because a vector passed to a method C2 does not inline is boxed.
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

    private VectorMath() {}

    static float erf(float x) {
        float a = Math.abs(x);
        float t = 1f / (1f + P * a);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        float y = 1f - poly * (float) Math.exp(-a * a);
        return Math.copySign(y, x);
    }

    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT2));
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
}
