package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * Separable image resampling with the coordinate convention, kernels and boundary handling of
 * MATLAB's {@code imresize} (which the super-resolution literature uses to make its low-resolution
 * test images, e.g. BasicSR's {@code imresize}):
 *
 * <ul>
 *   <li>output pixel {@code j} (0-based) samples the input at {@code u = (j + 0.5) / scale - 0.5},
 *       so that pixel centres line up and corners do not;
 *   <li>when shrinking with antialiasing, the kernel is stretched by {@code 1 / scale} (and its
 *       height scaled by {@code scale}), so that it averages over the pixels it replaces;
 *   <li>the weights of each output pixel are normalised to sum to 1;
 *   <li>past the border the input is mirrored with the edge pixel repeated ({@code -1 -> 0, -2 -> 1}).
 * </ul>
 *
 * <p>The vertical pass runs first, as in MATLAB and BasicSR. Values are not clamped: cubic and
 * Lanczos kernels overshoot near edges, and callers clamp when they store pixels.
 *
 * <p>Every weight is computed from full-image coordinates, so resampling a region of the output
 * from a window of the input ({@link #resample(float[], int, int, int, int, Axis, Axis)}) gives
 * exactly the pixels that resizing the whole image would: this is what lets the upscaler work
 * tile by tile.
 */
public final class Resampler {
    /** A reconstruction kernel. */
    public enum Filter {
        /**
         * The cubic convolution kernel of Keys with {@code a = -0.5} (also known as Catmull-Rom),
         * MATLAB's {@code 'bicubic'}; support 2.
         */
        BICUBIC(2) {
            @Override
            double weight(double x) {
                double ax = Math.abs(x);
                double ax2 = ax * ax;
                double ax3 = ax2 * ax;
                if (ax <= 1) {
                    return 1.5 * ax3 - 2.5 * ax2 + 1;
                }
                if (ax <= 2) {
                    return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
                }
                return 0;
            }
        },
        /** Lanczos windowed sinc with 3 lobes, {@code sinc(x) sinc(x/3)}; support 3. Sharper than bicubic. */
        LANCZOS3(3) {
            @Override
            double weight(double x) {
                if (x == 0) {
                    return 1;
                }
                if (Math.abs(x) >= 3) {
                    return 0;
                }
                double px = Math.PI * x;
                return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
            }
        };

        private final int support;

        Filter(int support) {
            this.support = support;
        }

        /**
         * Half-width of the kernel in input pixels (before stretching for antialiasing).
         *
         * @return 2 for bicubic, 3 for Lanczos-3
         */
        public int support() {
            return support;
        }

        abstract double weight(double x);
    }

    private Resampler() {}

    /**
     * The weights for output positions {@code [outStart, outEnd)} of one axis resized from {@code
     * inLength} to {@code outLength} pixels.
     *
     * @param filter the kernel
     * @param inLength input pixels along the axis
     * @param outLength output pixels along the axis
     * @param outStart first output position wanted
     * @param outEnd one past the last output position wanted
     * @param antialias whether to stretch the kernel when shrinking
     * @return the taps and weights of those positions
     * @throws SrException {@code INVALID_ARGUMENT} when a length is not positive or the range is empty
     *     or outside {@code [0, outLength)}
     */
    public static Axis axis(Filter filter, int inLength, int outLength, int outStart, int outEnd, boolean antialias) {
        if (inLength <= 0 || outLength <= 0 || outStart < 0 || outEnd > outLength || outStart >= outEnd) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "cannot resample output range [" + outStart + ", "
                    + outEnd + ") of an axis resized from " + inLength + " to " + outLength);
        }
        double scale = (double) outLength / inLength;
        boolean stretch = antialias && scale < 1;
        double kernelScale = stretch ? scale : 1;
        double width = 2.0 * filter.support() / kernelScale;
        int taps = (int) Math.ceil(width) + 2;
        int count = outEnd - outStart;
        int[] index = new int[count * taps];
        double[] weight = new double[count * taps];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int j = 0; j < count; j++) {
            double u = (outStart + j + 0.5) / scale - 0.5;
            int left = (int) Math.floor(u - width / 2);
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                double w = kernelScale * filter.weight((u - (left + t)) * kernelScale);
                weight[j * taps + t] = w;
                sum += w;
            }
            int firstUsed = -1;
            for (int t = 0; t < taps; t++) {
                int k = j * taps + t;
                weight[k] /= sum;
                if (weight[k] != 0) {
                    index[k] = mirror(left + t, inLength);
                    min = Math.min(min, index[k]);
                    max = Math.max(max, index[k]);
                    if (firstUsed < 0) {
                        firstUsed = index[k];
                    }
                }
            }
            // Taps of weight zero contribute nothing; point them at a used pixel so that they never
            // widen the window a caller has to supply.
            for (int t = 0; t < taps; t++) {
                if (weight[j * taps + t] == 0) {
                    index[j * taps + t] = firstUsed;
                }
            }
        }
        return new Axis(outStart, count, taps, index, weight, min, max);
    }

    /** MATLAB's symmetric extension: the sequence continues mirrored with the edge pixel repeated. */
    static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /**
     * Resamples the output region described by {@code ax} and {@code ay} from a window of the input
     * plane: {@code window} holds input rows {@code [winY, winY + winH)} and columns {@code [winX, winX +
     * winW)}, row-major, and must contain {@link Axis#minSource()}..{@link Axis#maxSource()} of both axes.
     *
     * @param window the input window, row-major
     * @param winX the window's first input column
     * @param winY the window's first input row
     * @param winW the window's width
     * @param winH the window's height
     * @param ax the horizontal axis, from {@link #axis}
     * @param ay the vertical axis, from {@link #axis}
     * @return {@code ax.count() * ay.count()} values, row-major
     * @throws SrException {@code INTERNAL} when the window does not hold the input the axes read
     */
    public static float[] resample(float[] window, int winX, int winY, int winW, int winH, Axis ax, Axis ay) {
        return resample(window, 0, winX, winY, winW, winH, ax, ay);
    }

    /**
     * Like {@link #resample(float[], int, int, int, int, Axis, Axis)} with the window starting at {@code offset}.
     *
     * @param window an array holding the input window, row-major, from {@code offset} on
     * @param offset the index of the window's first value in {@code window}
     * @param winX the window's first input column
     * @param winY the window's first input row
     * @param winW the window's width
     * @param winH the window's height
     * @param ax the horizontal axis, from {@link #axis}
     * @param ay the vertical axis, from {@link #axis}
     * @return {@code ax.count() * ay.count()} values, row-major
     * @throws SrException {@code INTERNAL} when the window does not hold the input the axes read
     */
    public static float[] resample(float[] window, int offset, int winX, int winY, int winW, int winH, Axis ax, Axis ay) {
        if (ax.minSource < winX || ax.maxSource >= winX + winW || ay.minSource < winY || ay.maxSource >= winY + winH) {
            throw new SrException(ErrorCode.INTERNAL, "resampling needs input columns [" + ax.minSource + ", "
                    + ax.maxSource + "] and rows [" + ay.minSource + ", " + ay.maxSource + "] but the window is "
                    + winW + "x" + winH + " at (" + winX + ", " + winY + ")");
        }
        int cols = ax.maxSource - ax.minSource + 1;
        double[] tmp = new double[ay.count * cols];
        for (int j = 0; j < ay.count; j++) {
            int base = j * ay.taps;
            for (int c = 0; c < cols; c++) {
                int col = ax.minSource + c - winX;
                double acc = 0;
                for (int t = 0; t < ay.taps; t++) {
                    acc += ay.weight[base + t] * window[offset + (ay.index[base + t] - winY) * winW + col];
                }
                tmp[j * cols + c] = acc;
            }
        }
        float[] out = new float[ax.count * ay.count];
        for (int j = 0; j < ay.count; j++) {
            int row = j * cols - ax.minSource;
            for (int i = 0; i < ax.count; i++) {
                int base = i * ax.taps;
                double acc = 0;
                for (int t = 0; t < ax.taps; t++) {
                    acc += ax.weight[base + t] * tmp[row + ax.index[base + t]];
                }
                out[j * ax.count + i] = (float) acc;
            }
        }
        return out;
    }

    /**
     * Resizes a whole {@code w x h} plane to {@code outW x outH}; the result is not clamped.
     *
     * @param plane the input, row-major
     * @param w input width
     * @param h input height
     * @param outW output width
     * @param outH output height
     * @param filter the kernel
     * @param antialias whether to stretch the kernel when shrinking
     * @return a new plane of {@code outW * outH} values
     * @throws SrException {@code IMAGE_ERROR} for an empty or unindexably large output;
     *     {@code INVALID_ARGUMENT} for an empty input
     */
    public static float[] resize(float[] plane, int w, int h, int outW, int outH, Filter filter, boolean antialias) {
        PixelFormat.checkSize(outW, outH, 1, "resized plane");
        return resample(plane, 0, 0, w, h, axis(filter, w, outW, 0, outW, antialias), axis(filter, h, outH, 0, outH, antialias));
    }

    /**
     * Resizes every plane of an image, alpha included; the result is not clamped.
     *
     * @param image the input
     * @param outW output width
     * @param outH output height
     * @param filter the kernel
     * @param antialias whether to stretch the kernel when shrinking
     * @return a new image of the input's format
     * @throws SrException {@code IMAGE_ERROR} for an empty or unindexably large output
     */
    public static PlanarImage resize(PlanarImage image, int outW, int outH, Filter filter, boolean antialias) {
        int w = image.width();
        int h = image.height();
        PixelFormat.checkSize(outW, outH, 4, "resized image");
        Axis ax = axis(filter, w, outW, 0, outW, antialias);
        Axis ay = axis(filter, h, outH, 0, outH, antialias);
        float[] alpha = image.alpha() == null ? null : resample(image.alpha(), 0, 0, w, h, ax, ay);
        return new PlanarImage(outW, outH, resample(image.red(), 0, 0, w, h, ax, ay),
                resample(image.green(), 0, 0, w, h, ax, ay), resample(image.blue(), 0, 0, w, h, ax, ay), alpha,
                image.format());
    }

    /**
     * The taps and weights of a range of output pixels along one axis. Immutable.
     */
    public static final class Axis {
        private final int outStart;
        private final int count;
        private final int taps;
        private final int[] index;
        private final double[] weight;
        private final int minSource;
        private final int maxSource;

        private Axis(int outStart, int count, int taps, int[] index, double[] weight, int minSource, int maxSource) {
            this.outStart = outStart;
            this.count = count;
            this.taps = taps;
            this.index = index;
            this.weight = weight;
            this.minSource = minSource;
            this.maxSource = maxSource;
        }

        /**
         * The first output position.
         *
         * @return {@code outStart} as given to {@link #axis}
         */
        public int outStart() {
            return outStart;
        }

        /**
         * The number of output positions.
         *
         * @return {@code outEnd - outStart}
         */
        public int count() {
            return count;
        }

        /**
         * The lowest input position any output reads.
         *
         * @return an input index, 0 or more
         */
        public int minSource() {
            return minSource;
        }

        /**
         * The highest input position any output reads.
         *
         * @return an input index, less than {@code inLength}
         */
        public int maxSource() {
            return maxSource;
        }
    }
}
