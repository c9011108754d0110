package io.srengine.reference;

/**
 * Special functions the JDK lacks, in double precision, for the reference kernels and as the values
 * fast kernels are tested against.
 */
public final class ReferenceMath {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

    private ReferenceMath() {}

    /**
     * The error function. Below |x| = 2.5 its Maclaurin series (the terms stay below e^6.25/√π ≈ 290,
     * so about 2·10⁻¹⁴ is lost to cancellation at worst); above, 1 − erfc(|x|) with erfc from its
     * continued fraction, evaluated by the modified Lentz method; beyond 6, ±1 (erfc(6) ≈ 2·10⁻¹⁷).
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 2.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        if (a > 6) {
            return Math.copySign(1, x);
        }
        return Math.copySign(1 - erfcContinuedFraction(a), x);
    }

    /** erfc(x) for x ≥ 2.5: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))). */
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** GELU with the exact normal CDF: x·Φ(x) = x/2·(1 + erf(x/√2)). */
    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** GELU's tanh approximation: x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x)));
    }
}
