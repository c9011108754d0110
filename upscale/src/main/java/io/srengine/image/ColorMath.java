package io.srengine.image;

/** The 3x3 matrix algebra of RGB colour spaces defined by primaries and a white point (row-major). */
final class ColorMath {
    private static final double[] BRADFORD = {0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296};
    private static final double[] SRGB = {0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06};

    private ColorMath() {}

    /**
     * Linear RGB with the given chromaticities (white x, y, then red, green, blue x, y, as PNG's cHRM
     * orders them) to linear sRGB, the white point carried over with a Bradford adaptation.
     */
    static double[] toSrgbMatrix(double[] chrm) {
        double[] src = rgbToXyz(chrm);
        double[] adapt = bradford(xyz(chrm[0], chrm[1]), xyz(SRGB[0], SRGB[1]));
        double[] dst = invert(rgbToXyz(SRGB));
        return multiply(dst, multiply(adapt, src));
    }

    /** RGB to XYZ for primaries and white given as chromaticities; white maps to Y = 1. */
    static double[] rgbToXyz(double[] c) {
        double[] p = new double[9];
        for (int i = 0; i < 3; i++) {
            double[] v = xyz(c[2 + 2 * i], c[3 + 2 * i]);
            p[i] = v[0];
            p[3 + i] = v[1];
            p[6 + i] = v[2];
        }
        double[] w = xyz(c[0], c[1]);
        double[] s = apply(invert(p), w);
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                m[3 * r + col] = p[3 * r + col] * s[col];
            }
        }
        return m;
    }

    private static double[] xyz(double x, double y) {
        return new double[] {x / y, 1, (1 - x - y) / y};
    }

    private static double[] bradford(double[] from, double[] to) {
        double[] a = apply(BRADFORD, from);
        double[] b = apply(BRADFORD, to);
        double[] d = {b[0] / a[0], 0, 0, 0, b[1] / a[1], 0, 0, 0, b[2] / a[2]};
        return multiply(invert(BRADFORD), multiply(d, BRADFORD));
    }

    static double[] apply(double[] m, double[] v) {
        return new double[] {
            m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
            m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
            m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return c;
    }

    static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], k = m[8];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        return new double[] {
            (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det,
            (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
    }
}
