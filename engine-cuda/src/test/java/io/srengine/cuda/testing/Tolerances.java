package io.srengine.cuda.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.srengine.Precision;
import io.srengine.Tensor;
import java.util.Arrays;

/**
 * How close the CUDA backend must come to a float32 reference, per precision. Errors are measured
 * against the output's full scale, {@code max(max(e) - min(e), max|e|)}: for an image that is its
 * 0..255 range, and a narrow-ranged output far from zero (a global max pool, say) is judged
 * against its magnitude, since that is what rounding is relative to.
 *
 * <ul>
 *   <li>FP32: normalised MSE {@code sum((a-e)^2) / sum(e^2)} at most 1e-7 (ggml's bound for f32) and
 *       every element within 1e-5 of the full scale. The kernels compute the same float32
 *       products as the reference and differ only in summation order.
 *   <li>FP16: every element within one 8-bit level (1/255) of the full scale. fp16 keeps 11
 *       significant bits, so one rounding of a stored activation moves it by at most 2^-12 of its
 *       magnitude; a level is 16 such roundings of the largest value, headroom for the chain of
 *       layers each rounding its output (products and sums themselves run in fp32).
 *   <li>BF16: every element within 8 levels (8/255) of the full scale, and the mean error within one
 *       level. bf16 keeps 8 significant bits, 2^-9 per rounding (half a level of the largest value),
 *       so a few roundings along the chain reach a few levels at the worst pixel.
 * </ul>
 */
public final class Tolerances {
    private Tolerances() {}

    /** Error statistics of {@code actual} against {@code expected}. */
    public record Stats(double nmse, double maxOverRange, double meanOverRange) {
        @Override
        public String toString() {
            return String.format("nmse %.3g, max %.3g of full scale (%.2f levels), mean %.3g", nmse, maxOverRange,
                    maxOverRange * 255, meanOverRange);
        }
    }

    public static Stats stats(Tensor actual, Tensor expected) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), "shape");
        float[] a = actual.floats();
        float[] e = expected.floats();
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE, mag = 0, se = 0, sr = 0, max = 0, sum = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(a[i]) || Float.isInfinite(a[i])) {
                fail("element " + i + " is " + a[i] + " (expected " + e[i] + ")");
            }
            lo = Math.min(lo, e[i]);
            hi = Math.max(hi, e[i]);
            mag = Math.max(mag, Math.abs(e[i]));
            double d = (double) a[i] - e[i];
            se += d * d;
            sr += (double) e[i] * e[i];
            max = Math.max(max, Math.abs(d));
            sum += Math.abs(d);
        }
        double range = Math.max(Math.max(hi - lo, mag), 1e-12);
        return new Stats(sr == 0 ? se : se / sr, max / range, sum / e.length / range);
    }

    /** Asserts the bound of {@code p}; returns the statistics for reporting. */
    public static Stats assertClose(Tensor actual, Tensor expected, Precision p, String what) {
        Stats s = stats(actual, expected);
        switch (p) {
            case FP32 -> assertTrue(s.nmse() <= 1e-7 && s.maxOverRange() <= 1e-5, what + " fp32: " + s);
            case FP16 -> assertTrue(s.maxOverRange() <= 1.0 / 255, what + " fp16: " + s);
            case BF16 -> assertTrue(s.maxOverRange() <= 8.0 / 255 && s.meanOverRange() <= 1.0 / 255, what + " bf16: " + s);
        }
        return s;
    }
}
