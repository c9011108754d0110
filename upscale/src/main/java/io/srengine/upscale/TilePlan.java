package io.srengine.upscale;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.Resampler;
import java.util.ArrayList;
import java.util.List;

/**
 * How one axis of an image is cut into tiles. Cores partition the input; each core is run inside a
 * window that adds {@code pad} pixels of real context on both sides (where the image has them), and
 * only the output of the core is kept. So every output pixel comes from the tile in which it lies
 * farthest from a cut, and when the padding exceeds the model's receptive field the tiled result is
 * the untiled one exactly. All windows of an axis have the same length (they are shifted inwards at
 * the image border rather than clipped), so that a backend sees few distinct input shapes.
 */
final class TilePlan {
    /**
     * One tile along one axis.
     *
     * @param out0 first output pixel of the core
     * @param out1 one past the last output pixel of the core
     * @param win0 first input pixel of the window (windows of fixed-size models may pass the image edge)
     * @param winLen window length in input pixels
     * @param resample weights from the model's output to the requested output size, or null when the
     *     model's own scale is the output scale
     * @param alpha weights from the input's alpha to the output's, or null when there is no alpha
     */
    record Span(int out0, int out1, int win0, int winLen, Resampler.Axis resample, Resampler.Axis alpha) {}

    private TilePlan() {}

    /**
     * @param tile core length in input pixels; 0 for one tile over the whole axis (where the model allows)
     * @param fixed the model's required input length, or 0
     */
    static List<Span> plan(int inLen, int outLen, int scale, int tile, int pad, int fixed, Resampler.Filter filter,
            Resampler.Filter alphaFilter, boolean alpha, String axis) {
        return plan(inLen, outLen, scale, tile, pad, fixed, 1, filter, alphaFilter, alpha, axis);
    }

    /**
     * @param align window starts are multiples of it and window lengths differ from {@code inLen} by a
     *     multiple of it (so the last window, which ends at the image edge, starts on the grid too);
     *     ignored for fixed-size models
     */
    static List<Span> plan(int inLen, int outLen, int scale, int tile, int pad, int fixed, int align,
            Resampler.Filter filter, Resampler.Filter alphaFilter, boolean alpha, String axis) {
        long modelLen = (long) inLen * scale;
        boolean resample = modelLen != outLen;
        if (resample && modelLen > Integer.MAX_VALUE - 8) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "the model's output would be " + modelLen + " pixels along the "
                    + axis + " axis, too large to resample");
        }
        int coreMax = tile > 0 ? Math.min(tile, inLen) : inLen;
        if (fixed > 0) {
            // How far past a core the resampling filter reaches, in input pixels, with room for rounding.
            double stretch = Math.max(1.0, (double) modelLen / outLen);
            int margin = resample ? (int) Math.ceil((filter.support() * stretch + stretch + 2) / scale) + 1 : 0;
            int room = fixed - 2 * pad - 2 * margin;
            if (room < 1) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "the model takes a fixed " + axis + " of " + fixed
                        + " pixels, which leaves no room for a tile with " + pad + " pixels of padding"
                        + (margin > 0 ? " and " + margin + " for resampling" : "") + " on each side; lower the tile padding");
            }
            coreMax = Math.min(coreMax, room);
        }
        int n = (int) ((inLen + (long) coreMax - 1) / coreMax);
        List<int[]> needs = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        int longest = 0;
        for (int k = 0; k < n; k++) {
            int c0 = (int) ((long) k * inLen / n);
            int c1 = (int) ((long) (k + 1) * inLen / n);
            int o0 = boundary(c0, inLen, outLen);
            int o1 = boundary(c1, inLen, outLen);
            if (o0 >= o1) {
                continue;
            }
            Resampler.Axis rs = null;
            int needLo = c0;
            int needHi = c1 - 1;
            if (resample) {
                rs = Resampler.axis(filter, (int) modelLen, outLen, o0, o1, true);
                needLo = rs.minSource() / scale;
                needHi = rs.maxSource() / scale;
            }
            Resampler.Axis as = alpha ? Resampler.axis(alphaFilter, inLen, outLen, o0, o1, true) : null;
            needs.add(new int[] {needLo, needHi});
            spans.add(new Span(o0, o1, 0, 0, rs, as));
            longest = Math.max(longest, needHi - needLo + 1);
        }
        int a = fixed > 0 ? 1 : Math.max(1, align);
        int window = fixed > 0 ? fixed : (int) Math.min(inLen, (long) longest + 2L * pad + a - 1);
        window = inLen - (inLen - window) / a * a;
        List<Span> out = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            int lo = needs.get(i)[0];
            int hi = needs.get(i)[1];
            int start = lo - pad - (window - (hi - lo + 1 + 2 * pad)) / 2;
            start = Math.max(0, Math.min(start, inLen - window));
            if (a > 1) {
                // the window holds the need with a - 1 to spare, so a multiple of a lies in [need end - window, need start]
                int lowest = (int) Math.max(0, Math.min(inLen, (long) hi + pad + 1) - window);
                start -= start % a;
                if (start < lowest) {
                    start += a;
                }
            }
            if (start > Math.max(0, lo - pad) || (long) start + window < Math.min(inLen, (long) hi + pad + 1)) {
                throw new SrException(ErrorCode.INTERNAL, "tile window [" + start + ", " + (start + window)
                        + ") does not cover input [" + lo + ", " + hi + "] with padding " + pad + " on the " + axis + " axis");
            }
            Span s = spans.get(i);
            out.add(new Span(s.out0(), s.out1(), start, window, s.resample(), s.alpha()));
        }
        return out;
    }

    /** The first output pixel of input pixel {@code c}: the output is cut where the input is, rounded. */
    static int boundary(int c, int inLen, int outLen) {
        return (int) (((long) c * outLen + inLen / 2) / inLen);
    }
}
