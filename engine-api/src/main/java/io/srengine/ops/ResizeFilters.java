package io.srengine.ops;

import io.srengine.ops.ResizeSpec.AxisFilter;
import io.srengine.ops.ResizeSpec.Mode;

/**
 * Builds the per-axis interpolation tables of {@link ResizeSpec}, following ONNX's definitions: for a
 * source coordinate {@code x}, let {@code xi = ceil(x) - 1} and {@code r = x - xi} in {@code (0, 1]};
 * the taps are input cells {@code xi + j} for {@code j} in {@code [start, 1 - start]} with weight
 * {@code kernel((j - r) * s)}, where {@code s} is 1, or {@code min(scale, 1)} with antialias (the
 * kernel stretched by the downscaling factor, its taps widened to cover it). Cells outside the input
 * read the nearest edge cell, or with {@code exclude_outside} weigh nothing; antialiased and
 * exclude_outside weights are renormalised to sum to one.
 */
final class ResizeFilters {
    private ResizeFilters() {}

    static AxisFilter build(ResizeSpec spec, int axis) {
        ResizeAttributes a = spec.attributes();
        int in = spec.inputShape()[axis];
        int out = spec.outputShape()[axis];
        boolean[] extrapolate = new boolean[out];
        if (a.mode() == Mode.NEAREST) {
            int[] index = new int[out];
            double[] weight = new double[out];
            for (int o = 0; o < out; o++) {
                double x = spec.sourceCoordinate(axis, o);
                extrapolate[o] = spec.extrapolates(axis, x);
                index[o] = spec.nearestIndex(axis, x);
                weight[o] = 1;
            }
            return new AxisFilter(1, index, weight, extrapolate);
        }
        boolean cubic = a.mode() == Mode.CUBIC;
        double support = a.antialias() ? Math.min(spec.scale(axis), 1.0) : 1.0;
        // The kernel reaches 1 (linear) or 2 (cubic) input cells at full scale, 1/support cells stretched.
        int start = (int) Math.floor((cubic ? -2 : -1) / support) + 1;
        int taps = 2 - 2 * start;
        int[] index = new int[out * taps];
        double[] weight = new double[out * taps];
        boolean normalise = a.antialias() || a.excludeOutside();
        for (int o = 0; o < out; o++) {
            double x = spec.sourceCoordinate(axis, o);
            if (spec.extrapolates(axis, x)) {
                extrapolate[o] = true;
                continue;
            }
            double xi = Math.ceil(x) - 1;
            double r = x - xi;
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                int j = start + t;
                double cell = xi + j;
                double d = (j - r) * support;
                double w = cubic ? ResizeSpec.cubicWeight(d, a.cubicA()) : ResizeSpec.linearWeight(d);
                if (a.excludeOutside() && (cell < 0 || cell >= in)) {
                    w = 0;
                }
                index[o * taps + t] = (int) Math.max(0, Math.min(in - 1, cell));
                weight[o * taps + t] = w;
                sum += w;
            }
            if (normalise) {
                for (int t = 0; t < taps; t++) {
                    weight[o * taps + t] /= sum;
                }
            }
        }
        return compact(new AxisFilter(taps, index, weight, extrapolate));
    }

    /** One tap per output when every output has a single weight of exactly one (an axis kept as is). */
    private static AxisFilter compact(AxisFilter f) {
        int out = f.extrapolate().length;
        int[] index = new int[out];
        for (int o = 0; o < out; o++) {
            if (f.extrapolate()[o]) {
                return f;
            }
            int found = -1;
            for (int t = 0; t < f.taps(); t++) {
                double w = f.weight()[o * f.taps() + t];
                if (w == 0) {
                    continue;
                }
                if (w != 1 || found >= 0) {
                    return f;
                }
                found = t;
            }
            if (found < 0) {
                return f;
            }
            index[o] = f.index()[o * f.taps() + found];
        }
        double[] ones = new double[out];
        java.util.Arrays.fill(ones, 1.0);
        return new AxisFilter(1, index, ones, f.extrapolate());
    }
}
