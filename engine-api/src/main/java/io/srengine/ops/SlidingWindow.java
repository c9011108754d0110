package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;

/**
 * The window attributes shared by Conv, ConvTranspose, AveragePool and MaxPool ({@code kernel_shape},
 * {@code strides}, {@code dilations}, {@code pads}, {@code auto_pad}, {@code ceil_mode}), parsed and
 * checked once, with the output-size arithmetic of the forward (non-transposed) ops on {@link Dim}s
 * so that it serves symbolic and concrete shapes alike.
 */
final class SlidingWindow {
    final Node node;
    final int rank;
    final long[] kernel;
    final long[] strides;
    final long[] dilations;
    /** {@code [begin_0 .. begin_n-1, end_0 .. end_n-1]} as written; meaningful only for {@link AutoPad#NOTSET}. */
    final long[] pads;
    final AutoPad autoPad;
    final boolean ceilMode;

    private SlidingWindow(Node node, int rank, long[] kernel, long[] strides, long[] dilations, long[] pads,
            AutoPad autoPad, boolean ceilMode) {
        this.node = node;
        this.rank = rank;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.pads = pads;
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
    }

    /**
     * Parses the attributes of {@code node} for {@code rank} spatial axes.
     *
     * @param weightKernel the spatial dims of the weight tensor (Conv, ConvTranspose), entries -1 where
     *     unknown; null for pools, whose {@code kernel_shape} is required
     */
    static SlidingWindow parse(Node node, int rank, long[] weightKernel) {
        long[] kernel = node.attrInts("kernel_shape", null);
        if (kernel == null) {
            if (weightKernel == null) {
                throw OpErrors.attribute(node, "required attribute 'kernel_shape' is missing");
            }
            for (long k : weightKernel) {
                if (k < 0) {
                    throw OpErrors.unsupported(node, "the kernel size must be known: give 'kernel_shape' or"
                            + " a weight tensor of known shape");
                }
            }
            kernel = weightKernel.clone();
        }
        checkLength(node, "kernel_shape", kernel, rank);
        for (int i = 0; i < rank; i++) {
            if (kernel[i] < 1) {
                throw OpErrors.attribute(node, "kernel_shape " + OpErrors.str(kernel) + " has a non-positive size");
            }
            if (weightKernel != null && weightKernel[i] >= 0 && weightKernel[i] != kernel[i]) {
                throw OpErrors.shape(node, "kernel_shape " + OpErrors.str(kernel)
                        + " does not match the weight's spatial dims " + OpErrors.str(weightKernel));
            }
        }
        long[] strides = positive(node, "strides", node.attrInts("strides", ones(rank)), rank);
        long[] dilations = positive(node, "dilations", node.attrInts("dilations", ones(rank)), rank);
        long[] pads = node.attrInts("pads", new long[2 * rank]);
        AutoPad autoPad = AutoPad.of(node);
        if (pads.length != 2 * rank) {
            throw OpErrors.shape(node, "pads " + OpErrors.str(pads) + " has length " + pads.length + " but "
                    + rank + " spatial axes need " + 2 * rank);
        }
        for (long p : pads) {
            if (p < 0 && autoPad == AutoPad.NOTSET) {
                throw OpErrors.attribute(node, "pads " + OpErrors.str(pads) + " has a negative value");
            }
        }
        long ceil = node.attrInt("ceil_mode", 0);
        if (ceil != 0 && ceil != 1) {
            throw OpErrors.attribute(node, "ceil_mode must be 0 or 1, not " + ceil);
        }
        return new SlidingWindow(node, rank, kernel, strides, dilations, pads, autoPad, ceil == 1);
    }

    private static long[] positive(Node node, String name, long[] v, int rank) {
        checkLength(node, name, v, rank);
        for (long x : v) {
            if (x < 1) {
                throw OpErrors.attribute(node, name + " " + OpErrors.str(v) + " must be positive");
            }
        }
        return v;
    }

    static void checkLength(Node node, String name, long[] v, int rank) {
        if (v.length != rank) {
            throw OpErrors.shape(node, name + " " + OpErrors.str(v) + " has length " + v.length + " but the input has "
                    + rank + " spatial axes");
        }
    }

    static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    /** The extent of the dilated window along {@code axis}. */
    long effectiveKernel(int axis) {
        return (kernel[axis] - 1) * dilations[axis] + 1;
    }

    /**
     * The output size of a forward window op along spatial {@code axis} for input size {@code in}.
     * With {@code ceil_mode} a window that would start in the end padding is dropped, as in ONNX
     * Runtime and PyTorch; where that cannot be decided symbolically the result is an unknown dim
     * that becomes concrete once the input size is bound.
     */
    Dim outputDim(int axis, Dim in) {
        long s = strides[axis];
        long dk = effectiveKernel(axis);
        if (autoPad.isSame()) {
            return checkPositive(axis, in, in.ceilDiv(s));
        }
        long pb = autoPad == AutoPad.VALID ? 0 : pads[axis];
        long pe = autoPad == AutoPad.VALID ? 0 : pads[axis + rank];
        Dim span = in.plus(pb + pe - dk);
        if (span.isKnown() && span.value() < 0) {
            throw OpErrors.shape(node, "the window along spatial axis " + axis + " spans " + dk
                    + " cells (kernel " + kernel[axis] + ", dilation " + dilations[axis]
                    + ") but the padded input has only " + in.plus(pb + pe) + " (input " + in + ", pads "
                    + pb + "+" + pe + ")");
        }
        // floor(span / s) + 1 written as floor((span + s) / s), which simplifies further: (H - 2 + 2) / 2 is H / 2.
        if (!ceilMode) {
            return checkPositive(axis, in, span.plus(s).floorDiv(s));
        }
        Dim out = span.plus(s).ceilDiv(s);
        if (out.isKnown() && in.isKnown()) {
            if ((out.value() - 1) * s >= in.value() + pb) {
                out = out.minus(1);
            }
        } else if (dk - pe < s) {
            // The last window may start in the end padding, depending on the value of the input size.
            return Dim.unknown();
        }
        return checkPositive(axis, in, out);
    }

    private Dim checkPositive(int axis, Dim in, Dim out) {
        if (out.isKnown() && out.value() <= 0) {
            throw OpErrors.shape(node, "output size " + out + " along spatial axis " + axis
                    + " is not positive (input " + in + ", kernel " + kernel[axis] + ", stride " + strides[axis]
                    + ", dilation " + dilations[axis] + ", pads " + OpErrors.str(pads) + ", auto_pad " + autoPad + ")");
        }
        return out;
    }

    /** The padding before the data along {@code axis} for a concrete input size, for forward ops. */
    long padBegin(int axis, long in) {
        return switch (autoPad) {
            case NOTSET -> pads[axis];
            case VALID -> 0;
            case SAME_UPPER, SAME_LOWER -> autoPad.begin(sameTotal(axis, in));
        };
    }

    /** The padding after the data along {@code axis} for a concrete input size, for forward ops. */
    long padEnd(int axis, long in) {
        return switch (autoPad) {
            case NOTSET -> pads[axis + rank];
            case VALID -> 0;
            case SAME_UPPER, SAME_LOWER -> sameTotal(axis, in) - autoPad.begin(sameTotal(axis, in));
        };
    }

    private long sameTotal(int axis, long in) {
        long out = Math.ceilDiv(in, strides[axis]);
        return Math.max(0, (out - 1) * strides[axis] + effectiveKernel(axis) - in);
    }
}
