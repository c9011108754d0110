package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.ops.ResizeSpec.Mode;
import io.srengine.ops.ResizeSpec.NearestMode;
import io.srengine.ops.ResizeSpec.Transform;

/**
 * The attributes and constant inputs of a Resize node, parsed and checked against the input rank.
 *
 * @param axes the resized axes, non-negative, in the order scales/sizes/roi list them
 * @param scales one per axis of {@code axes}, or null when sizes are given
 * @param sizes one per axis of {@code axes}, or null when scales are given
 * @param roi {@code [starts..., ends...]} over {@code axes}, or null unless tf_crop_and_resize
 * @param policy keep_aspect_ratio_policy: stretch, not_larger or not_smaller
 */
record ResizeAttributes(Mode mode, Transform transform, NearestMode nearestMode, double cubicA,
        boolean excludeOutside, float extrapolationValue, boolean antialias, int[] axes, double[] scales,
        long[] sizes, double[] roi, String policy) {

    static ResizeAttributes parse(Node node, int rank, Tensor roiT, Tensor scalesT, Tensor sizesT) {
        Mode mode = switch (node.attrString("mode", "nearest")) {
            case "nearest" -> Mode.NEAREST;
            case "linear" -> Mode.LINEAR;
            case "cubic" -> Mode.CUBIC;
            default -> throw OpErrors.attribute(node, "mode '" + node.attrString("mode", "")
                    + "' is not one of nearest, linear, cubic");
        };
        String ctm = node.attrString("coordinate_transformation_mode", "half_pixel");
        Transform transform = switch (ctm) {
            case "half_pixel" -> Transform.HALF_PIXEL;
            case "half_pixel_symmetric" -> Transform.HALF_PIXEL_SYMMETRIC;
            case "pytorch_half_pixel" -> Transform.PYTORCH_HALF_PIXEL;
            case "align_corners" -> Transform.ALIGN_CORNERS;
            case "asymmetric" -> Transform.ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> Transform.TF_HALF_PIXEL_FOR_NN;
            case "tf_crop_and_resize" -> Transform.TF_CROP_AND_RESIZE;
            default -> throw OpErrors.attribute(node, "coordinate_transformation_mode '" + ctm + "' is not one of"
                    + " half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric,"
                    + " tf_half_pixel_for_nn, tf_crop_and_resize");
        };
        String nm = node.attrString("nearest_mode", "round_prefer_floor");
        NearestMode nearest = switch (nm) {
            case "round_prefer_floor" -> NearestMode.ROUND_PREFER_FLOOR;
            case "round_prefer_ceil" -> NearestMode.ROUND_PREFER_CEIL;
            case "floor" -> NearestMode.FLOOR;
            case "ceil" -> NearestMode.CEIL;
            case "simple" -> NearestMode.SIMPLE;
            default -> throw OpErrors.attribute(node, "nearest_mode '" + nm + "' is not one of round_prefer_floor,"
                    + " round_prefer_ceil, floor, ceil");
        };
        boolean exclude = flag(node, "exclude_outside");
        boolean antialias = flag(node, "antialias");
        String policy = node.attrString("keep_aspect_ratio_policy", "stretch");
        if (!policy.equals("stretch") && !policy.equals("not_larger") && !policy.equals("not_smaller")) {
            throw OpErrors.attribute(node, "keep_aspect_ratio_policy '" + policy
                    + "' is not one of stretch, not_larger, not_smaller");
        }
        int[] axes = axes(node, rank);
        int k = axes.length;

        boolean hasScales = scalesT != null && scalesT.size() > 0;
        boolean hasSizes = sizesT != null && sizesT.size() > 0;
        if (hasScales == hasSizes) {
            throw OpErrors.shape(node, hasScales ? "both scales and sizes are given; exactly one must be"
                    : "neither scales nor sizes is given; exactly one must be");
        }
        double[] scales = null;
        long[] sizes = null;
        if (hasScales) {
            if (scalesT.size() != k) {
                throw OpErrors.shape(node, "scales has " + scalesT.size() + " values but " + k + " axes are resized");
            }
            scales = new double[k];
            for (int i = 0; i < k; i++) {
                scales[i] = scalesT.getDouble(i);
                if (!(scales[i] > 0) || Double.isInfinite(scales[i])) {
                    throw OpErrors.shape(node, "scale " + scales[i] + " for axis " + axes[i] + " is not a positive number");
                }
            }
        } else {
            if (sizesT.size() != k) {
                throw OpErrors.shape(node, "sizes has " + sizesT.size() + " values but " + k + " axes are resized");
            }
            sizes = sizesT.toLongArray();
            for (int i = 0; i < k; i++) {
                if (sizes[i] <= 0) {
                    throw OpErrors.shape(node, "size " + sizes[i] + " for axis " + axes[i] + " is not positive");
                }
            }
        }
        double[] roi = null;
        if (transform == Transform.TF_CROP_AND_RESIZE) {
            if (roiT == null || roiT.size() == 0) {
                throw OpErrors.shape(node, "tf_crop_and_resize needs the roi input");
            }
            if (roiT.size() != 2 * k) {
                throw OpErrors.shape(node, "roi has " + roiT.size() + " values but " + k + " resized axes need " + 2 * k);
            }
            roi = new double[2 * k];
            for (int i = 0; i < roi.length; i++) {
                roi[i] = roiT.getDouble(i);
            }
        }
        return new ResizeAttributes(mode, transform, nearest, node.attrFloat("cubic_coeff_a", -0.75f), exclude,
                node.attrFloat("extrapolation_value", 0f), antialias, axes, scales, sizes, roi, policy);
    }

    private static boolean flag(Node node, String name) {
        long v = node.attrInt(name, 0);
        if (v != 0 && v != 1) {
            throw OpErrors.attribute(node, name + " must be 0 or 1, not " + v);
        }
        return v == 1;
    }

    private static int[] axes(Node node, int rank) {
        long[] given = node.attrInts("axes", null);
        if (given == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] axes = new int[given.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < given.length; i++) {
            long a = given[i] < 0 ? given[i] + rank : given[i];
            if (a < 0 || a >= rank) {
                throw OpErrors.shape(node, "axes " + OpErrors.str(given) + " has " + given[i] + ", out of range for rank "
                        + rank);
            }
            if (seen[(int) a]) {
                throw OpErrors.shape(node, "axes " + OpErrors.str(given) + " names axis " + a + " twice");
            }
            seen[(int) a] = true;
            axes[i] = (int) a;
        }
        return axes;
    }

    /** The one scale keep_aspect_ratio_policy applies to every resized axis, for input dims {@code in}. */
    double commonScale(long[] in) {
        double common = policy.equals("not_larger") ? Double.POSITIVE_INFINITY : 0;
        for (int i = 0; i < axes.length; i++) {
            double s = (double) sizes[i] / in[axes[i]];
            common = policy.equals("not_larger") ? Math.min(common, s) : Math.max(common, s);
        }
        return common;
    }
}
