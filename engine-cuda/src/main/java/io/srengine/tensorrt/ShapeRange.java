package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.Arrays;

/**
 * The input shapes a TensorRT plan accepts: one optimisation profile's minimum, optimum and maximum
 * NCHW shapes. TensorRT runs any shape between {@code min} and {@code max} on every axis and tunes
 * its kernels for {@code opt}. The channel count is the model's and the same in all three.
 *
 * @param min smallest N, C, H, W
 * @param opt the shape kernels are chosen for
 * @param max largest N, C, H, W
 */
public record ShapeRange(int[] min, int[] opt, int[] max) {
    /** Default smallest tile side: below it TensorRT's kernels gain nothing and windows are rare. */
    public static final int DEFAULT_MIN_SIDE = 16;
    /** Default optimum: the upscaler's default 256-pixel tile with 16 pixels of context on each side. */
    public static final int DEFAULT_OPT_SIDE = 288;
    /** Default largest side: a 512-pixel tile with its context. */
    public static final int DEFAULT_MAX_SIDE = 544;

    /**
     * Checks the range; the arrays are copied.
     *
     * @throws SrException {@code INVALID_ARGUMENT} when a shape does not have four dimensions of at least
     *     1, {@code min <= opt <= max} fails on some axis, or the channel counts differ
     */
    public ShapeRange {
        min = min.clone();
        opt = opt.clone();
        max = max.clone();
        check(min, "minimum");
        check(opt, "optimum");
        check(max, "maximum");
        for (int i = 0; i < 4; i++) {
            if (min[i] > opt[i] || opt[i] > max[i]) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "shape range " + Arrays.toString(min) + " <= "
                        + Arrays.toString(opt) + " <= " + Arrays.toString(max) + " does not hold on axis " + "NCHW".charAt(i)
                        + " (" + min[i] + ", " + opt[i] + ", " + max[i] + ")");
            }
        }
        if (min[1] != max[1]) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the channel count must be the same in the minimum, optimum"
                    + " and maximum shapes, not " + min[1] + ".." + max[1]);
        }
    }

    /**
     * Batch 1, {@code channels} channels, sides {@value #DEFAULT_MIN_SIDE}, {@value #DEFAULT_OPT_SIDE} and
     * {@value #DEFAULT_MAX_SIDE}.
     *
     * @param channels the model's input channels
     * @return the default range
     * @throws SrException {@code INVALID_ARGUMENT} when {@code channels} is below 1
     */
    public static ShapeRange defaults(int channels) {
        return new ShapeRange(new int[] {1, channels, DEFAULT_MIN_SIDE, DEFAULT_MIN_SIDE},
                new int[] {1, channels, DEFAULT_OPT_SIDE, DEFAULT_OPT_SIDE},
                new int[] {1, channels, DEFAULT_MAX_SIDE, DEFAULT_MAX_SIDE});
    }

    /**
     * Parses {@code "N,C,H,W"} (also with {@code x} between the numbers).
     *
     * @param text the shape
     * @param what the option, for messages (e.g. {@code "--min-shape"})
     * @return the four dimensions
     * @throws SrException {@code INVALID_ARGUMENT} unless it is four numbers of at least 1
     */
    public static int[] parse(String text, String what) {
        String[] parts = text.trim().split("\\s*[,xX]\\s*");
        if (parts.length != 4) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, what + " must be four numbers N,C,H,W, not '" + text + "'");
        }
        int[] s = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                s[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, what + " must be four numbers N,C,H,W, not '" + text + "'");
            }
        }
        check(s, what);
        return s;
    }

    private static void check(int[] s, String what) {
        if (s.length != 4) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, what + " shape must have four dimensions (N,C,H,W), not "
                    + Arrays.toString(s));
        }
        for (int d : s) {
            if (d < 1) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, what + " shape " + Arrays.toString(s)
                        + " has a dimension below 1");
            }
        }
    }

    /**
     * Whether {@code shape} lies within the range on every axis.
     *
     * @param shape an NCHW shape
     * @return false also when it does not have four dimensions
     */
    public boolean contains(int[] shape) {
        if (shape.length != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (shape[i] < min[i] || shape[i] > max[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The "1,3,16,16" spelling of one shape, as the CLI options take it.
     *
     * @param s an NCHW shape of four dimensions
     * @return the dimensions joined by commas
     */
    public static String format(int[] s) {
        return s[0] + "," + s[1] + "," + s[2] + "," + s[3];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShapeRange r && Arrays.equals(min, r.min) && Arrays.equals(opt, r.opt) && Arrays.equals(max, r.max);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(min) * 31 * 31 + Arrays.hashCode(opt) * 31 + Arrays.hashCode(max);
    }

    /**
     * The smallest shape.
     *
     * @return a copy of the smallest N, C, H, W
     */
    @Override
    public int[] min() {
        return min.clone();
    }

    /**
     * The shape kernels are tuned for.
     *
     * @return a copy of the optimum N, C, H, W
     */
    @Override
    public int[] opt() {
        return opt.clone();
    }

    /**
     * The largest shape.
     *
     * @return a copy of the largest N, C, H, W
     */
    @Override
    public int[] max() {
        return max.clone();
    }

    @Override
    public String toString() {
        return "min " + format(min) + ", opt " + format(opt) + ", max " + format(max);
    }
}
