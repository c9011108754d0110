package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved form of one ONNX Resize (opsets 10 to 19, in srengine's canonical form {@code X, roi,
 * scales, sizes}; Upsample arrives as Resize with {@code nearest_mode="simple"}): output size, scale
 * and coordinate transform per axis, and the interpolation filter as a small table per axis that
 * every backend can use as is.
 *
 * <p>Output sizes are {@code floor(in * scale)} computed in double from the float32 scales, or the
 * given {@code sizes} (adjusted by {@code keep_aspect_ratio_policy}). Interpolation is separable: an
 * output cell is the sum over the taps of every axis of the product of the per-axis weights times the
 * input cell, which is what ONNX's n-linear and n-cubic definitions amount to.
 *
 * <p>Where the ONNX text and its Python reference disagree this class follows the reference, which
 * generated the conformance data: the "resized length" in {@code align_corners},
 * {@code tf_crop_and_resize} and {@code half_pixel_symmetric} is {@code in * scale} as a double, not
 * the rounded output size. One exception: {@code pytorch_half_pixel} maps an output of length one to
 * coordinate 0 as the text and ONNX Runtime do (the reference uses -0.5, which only matters for cubic).
 */
public final class ResizeSpec {
    /** Interpolation modes. */
    public enum Mode {
        NEAREST,
        LINEAR,
        CUBIC
    }

    /** How an output coordinate maps to an input coordinate ({@code coordinate_transformation_mode}). */
    public enum Transform {
        HALF_PIXEL,
        HALF_PIXEL_SYMMETRIC,
        PYTORCH_HALF_PIXEL,
        ALIGN_CORNERS,
        ASYMMETRIC,
        TF_HALF_PIXEL_FOR_NN,
        TF_CROP_AND_RESIZE
    }

    /**
     * Rounding of nearest mode. {@link #SIMPLE} is srengine's name for what ONNX Runtime does for Upsample
     * and opset-10 Resize: floor on axes that are upsampled (or kept), ceil on axes that are downsampled.
     */
    public enum NearestMode {
        ROUND_PREFER_FLOOR,
        ROUND_PREFER_CEIL,
        FLOOR,
        CEIL,
        SIMPLE
    }

    /**
     * The interpolation along one axis: output cell {@code o} reads input cells {@code index[o * taps + t]}
     * (already clamped into the input) with weights {@code weight[o * taps + t]}; where {@code
     * extrapolate[o]} is set (tf_crop_and_resize outside the input) the output is the extrapolation value.
     * Built afresh by each {@link #filter} call, so a backend may keep or convert the arrays.
     */
    public record AxisFilter(int taps, int[] index, double[] weight, boolean[] extrapolate) {}

    private final ResizeAttributes attrs;
    private final int[] inputShape;
    private final int[] outputShape;
    private final double[] scales;
    private final double[] roiStart;
    private final double[] roiEnd;

    private ResizeSpec(ResizeAttributes attrs, int[] inputShape, int[] outputShape, double[] scales,
            double[] roiStart, double[] roiEnd) {
        this.attrs = attrs;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.scales = scales;
        this.roiStart = roiStart;
        this.roiEnd = roiEnd;
    }

    /**
     * The spec of {@code node} for a concrete input shape and the constant values of its optional
     * inputs (null or empty when absent).
     *
     * @throws io.srengine.SrException naming the node when attributes, scales or sizes are invalid
     */
    public static ResizeSpec of(Node node, int[] xShape, Tensor roi, Tensor scales, Tensor sizes) {
        int r = xShape.length;
        ResizeAttributes a = ResizeAttributes.parse(node, r, roi, scales, sizes);
        int[] out = xShape.clone();
        double[] s = new double[r];
        java.util.Arrays.fill(s, 1.0);
        if (a.scales() != null) {
            for (int i = 0; i < a.axes().length; i++) {
                int ax = a.axes()[i];
                s[ax] = a.scales()[i];
                out[ax] = Math.toIntExact((long) Math.floor(xShape[ax] * s[ax]));
            }
        } else {
            for (int ax : a.axes()) {
                if (xShape[ax] == 0) {
                    throw OpErrors.shape(node, "cannot resize axis " + ax + " of input " + OpErrors.str(xShape)
                            + " to a given size: it is empty");
                }
            }
            double common = a.policy().equals("stretch") ? Double.NaN : a.commonScale(longs(xShape));
            for (int i = 0; i < a.axes().length; i++) {
                int ax = a.axes()[i];
                if (Double.isNaN(common)) {
                    out[ax] = Math.toIntExact(a.sizes()[i]);
                    s[ax] = (double) out[ax] / xShape[ax];
                } else {
                    s[ax] = common;
                    out[ax] = Math.toIntExact((long) (common * xShape[ax] + 0.5));
                }
            }
        }
        for (int ax : a.axes()) {
            if (out[ax] <= 0) {
                throw OpErrors.shape(node, "output size " + out[ax] + " along axis " + ax + " for input "
                        + OpErrors.str(xShape) + " (scale " + s[ax] + ")");
            }
        }
        double[] rs = new double[r];
        double[] re = new double[r];
        java.util.Arrays.fill(re, 1.0);
        if (a.roi() != null) {
            int k = a.axes().length;
            for (int i = 0; i < k; i++) {
                rs[a.axes()[i]] = a.roi()[i];
                re[a.axes()[i]] = a.roi()[k + i];
            }
        }
        return new ResizeSpec(a, xShape.clone(), out, s, rs, re);
    }

    /** The output shape for input shape {@code x}, known or symbolic. */
    public static Shape outputShape(Node node, Shape x, Tensor roi, Tensor scales, Tensor sizes) {
        ResizeAttributes a = ResizeAttributes.parse(node, x.rank(), roi, scales, sizes);
        List<Dim> out = new ArrayList<>(x.dims());
        if (a.scales() != null) {
            for (int i = 0; i < a.axes().length; i++) {
                int ax = a.axes()[i];
                Dim d = x.dim(ax).scaleFloor(a.scales()[i]);
                if (d.isKnown() && d.value() <= 0) {
                    throw OpErrors.shape(node, "output size " + d + " along axis " + ax + " for input " + x
                            + " (scale " + a.scales()[i] + ")");
                }
                out.set(ax, d);
            }
            return Shape.of(out);
        }
        if (a.policy().equals("stretch")) {
            for (int i = 0; i < a.axes().length; i++) {
                out.set(a.axes()[i], Dim.of(a.sizes()[i]));
            }
            return Shape.of(out);
        }
        long[] in = new long[x.rank()];
        for (int ax : a.axes()) {
            if (!x.dim(ax).isKnown()) {
                // The common scale depends on the input size; it is fixed once the input is bound.
                for (int ax2 : a.axes()) {
                    out.set(ax2, Dim.unknown());
                }
                return Shape.of(out);
            }
            in[ax] = x.dim(ax).value();
        }
        int[] concrete = new int[x.rank()];
        for (int i = 0; i < concrete.length; i++) {
            concrete[i] = x.dim(i).isKnown() ? Math.toIntExact(x.dim(i).value()) : 1;
        }
        ResizeSpec spec = of(node, concrete, roi, scales, sizes);
        for (int ax : a.axes()) {
            out.set(ax, Dim.of(spec.outputShape[ax]));
        }
        return Shape.of(out);
    }

    private static long[] longs(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    // ---- per-axis coordinate mapping --------------------------------------------------------------

    public Mode mode() {
        return attrs.mode();
    }

    public Transform transform() {
        return attrs.transform();
    }

    public NearestMode nearestMode() {
        return attrs.nearestMode();
    }

    public double cubicCoeffA() {
        return attrs.cubicA();
    }

    public boolean excludeOutside() {
        return attrs.excludeOutside();
    }

    public boolean antialias() {
        return attrs.antialias();
    }

    /** The value of output cells that tf_crop_and_resize maps outside the input. */
    public float extrapolationValue() {
        return attrs.extrapolationValue();
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    /** The scale along {@code axis}: as given, or output size over input size when sizes were given. */
    public double scale(int axis) {
        return scales[axis];
    }

    /** The input coordinate (in input cells, may lie outside the input) that output cell {@code o} maps to. */
    public double sourceCoordinate(int axis, int o) {
        double s = scales[axis];
        int in = inputShape[axis];
        double resized = s * in;
        return switch (attrs.transform()) {
            case HALF_PIXEL -> (o + 0.5) / s - 0.5;
            case HALF_PIXEL_SYMMETRIC -> {
                double offset = in / 2.0 * (1 - outputShape[axis] / resized);
                yield offset + (o + 0.5) / s - 0.5;
            }
            case PYTORCH_HALF_PIXEL -> outputShape[axis] > 1 ? (o + 0.5) / s - 0.5 : 0;
            case ALIGN_CORNERS -> resized == 1 ? 0 : o * (in - 1) / (resized - 1);
            case ASYMMETRIC -> o / s;
            case TF_HALF_PIXEL_FOR_NN -> (o + 0.5) / s;
            case TF_CROP_AND_RESIZE -> {
                double span = (roiEnd[axis] - roiStart[axis]) * (in - 1);
                double x = resized == 1 ? span / 2 : o * span / (resized - 1);
                yield x + roiStart[axis] * (in - 1);
            }
        };
    }

    /** Whether coordinate {@code x} along {@code axis} takes the extrapolation value instead of input data. */
    public boolean extrapolates(int axis, double x) {
        return attrs.transform() == Transform.TF_CROP_AND_RESIZE && (x < 0 || x > inputShape[axis] - 1);
    }

    /** The input cell nearest mode picks for coordinate {@code x} along {@code axis}, clamped into the input. */
    public int nearestIndex(int axis, double x) {
        double f = Math.floor(x);
        double frac = x - f;
        double picked;
        if (frac == 0) {
            picked = x;
        } else {
            picked = switch (attrs.nearestMode()) {
                case ROUND_PREFER_FLOOR -> frac <= 0.5 ? f : f + 1;
                case ROUND_PREFER_CEIL -> frac < 0.5 ? f : f + 1;
                case FLOOR -> f;
                case CEIL -> f + 1;
                case SIMPLE -> scales[axis] < 1 ? f + 1 : f;
            };
        }
        return clamp(picked, inputShape[axis]);
    }

    private static int clamp(double i, int n) {
        return (int) Math.max(0, Math.min(n - 1, i));
    }

    /** The cubic convolution kernel with coefficient {@code a} at distance {@code t}. */
    public static double cubicWeight(double t, double a) {
        t = Math.abs(t);
        if (t <= 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
        }
        return 0;
    }

    /** The linear (triangle) kernel at distance {@code t}. */
    public static double linearWeight(double t) {
        return Math.max(0, 1 - Math.abs(t));
    }

    /** The interpolation table of {@code axis}. */
    public AxisFilter filter(int axis) {
        return ResizeFilters.build(this, axis);
    }

    ResizeAttributes attributes() {
        return attrs;
    }

    @Override
    public String toString() {
        return "ResizeSpec[" + attrs.mode() + " " + attrs.transform() + " in=" + OpErrors.str(inputShape) + " out="
                + OpErrors.str(outputShape) + " scales=" + java.util.Arrays.toString(scales) + "]";
    }
}
