package io.srengine.bench;

/** How far two engines' outputs are apart. */
final class Agreement {
    private Agreement() {}

    /** sum((a−b)²) / sum(b²). */
    static double nmse(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return den == 0 ? num : num / den;
    }
}
