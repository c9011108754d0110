package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Pad (opset 11+ form: pads as input 1, optional constant_value as input 2, optional axes as input 3
 * from opset 18) in modes {@code constant}, {@code reflect}, {@code edge} and {@code wrap}.
 *
 * <p>Negative pads crop, and as in the ONNX reference the crop happens first: reflect, edge and wrap
 * then work on the cropped axis. Reflect needs at least 2 elements left and pads of at most
 * {@code length - 1}; edge and wrap need a non-empty axis; a crop larger than the axis leaves only
 * the constant. The static methods hold these rules for every backend's kernel.
 */
public final class PadOp implements OpDef {
    /** How padding values are chosen. */
    public enum Mode {
        CONSTANT,
        REFLECT,
        EDGE,
        WRAP
    }

    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1 || index == 3;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        String who = ctx.node().describe();
        Mode mode = mode(ctx.node());
        Shape in = ctx.shape(0);
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        long padsLength = OpChecks.requireVector(ctx, 1, "pads");
        if (ctx.hasInput(2)) {
            OpChecks.requireSameType(ctx, 0, 2);
            OpChecks.requireScalar(ctx, 2, "constant_value");
        }
        long[] axes = null;
        if (ctx.hasInput(3)) {
            OpChecks.requireType(ctx, 3, OpChecks.INDICES);
            axes = OpChecks.vector(ctx, ctx.requireConstant(3, "the axes"), 3, "axes");
        }
        int[] padded = OpChecks.axes(ctx, axes != null ? axes : iota(in.rank()), in.rank(), "axes");
        if (padsLength >= 0 && padsLength != 2L * padded.length) {
            throw ctx.error("pads has " + padsLength + " values; " + 2 * padded.length + " are needed (begin and end for "
                    + (axes == null ? "each of the " + in.rank() + " axes" : "each of the axes " + Arrays.toString(axes)) + ")");
        }
        Dim[] out = in.dims().toArray(new Dim[0]);
        Tensor pads = ctx.constant(1);
        if (pads == null) {
            for (int a : padded) {
                out[a] = Dim.unknown();
            }
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
        long[][] amounts = amounts(who, in.rank(), pads.toLongArray(), axes);
        for (int a = 0; a < out.length; a++) {
            if (out[a].isKnown()) {
                out[a] = Dim.of(outputSize(who, a, out[a].value(), amounts[0][a], amounts[1][a], mode));
            } else {
                out[a] = out[a].plus(amounts[0][a] + amounts[1][a]);
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }

    private static long[] iota(int n) {
        long[] a = new long[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /**
     * The node's {@code mode} attribute.
     *
     * @throws SrException {@code UNSUPPORTED_OP} for a mode ONNX does not define
     */
    public static Mode mode(Node node) {
        String m = node.attrString("mode", "constant");
        return switch (m) {
            case "constant" -> Mode.CONSTANT;
            case "reflect" -> Mode.REFLECT;
            case "edge" -> Mode.EDGE;
            case "wrap" -> Mode.WRAP;
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, node.describe() + ": unknown pad mode '" + m
                    + "' (expected constant, reflect, edge or wrap)");
        };
    }

    /**
     * Begin and end amounts per axis ({@code [0]} and {@code [1]}, each of length {@code rank}) from
     * the pads input, laid out {@code [b_0, b_1, ..., e_0, e_1, ...]} over {@code axes} (all axes
     * when null; negative axes count from the end).
     *
     * @throws SrException {@code INVALID_SHAPE} when the lengths disagree or an axis is out of range or repeated
     */
    public static long[][] amounts(String who, int rank, long[] pads, long[] axes) {
        int n = axes == null ? rank : axes.length;
        if (pads.length != 2 * n) {
            throw new SrException(ErrorCode.INVALID_SHAPE, who + ": pads " + Arrays.toString(pads) + " has "
                    + pads.length + " values; " + 2 * n + " are needed");
        }
        long[][] out = new long[2][rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < n; i++) {
            long a = axes == null ? i : axes[i];
            if (a < -rank || a >= rank || seen[(int) (a < 0 ? a + rank : a)]) {
                throw new SrException(ErrorCode.INVALID_SHAPE, who + ": axes " + Arrays.toString(axes)
                        + " are out of range or repeated for rank " + rank);
            }
            int axis = (int) (a < 0 ? a + rank : a);
            seen[axis] = true;
            out[0][axis] = pads[i];
            out[1][axis] = pads[n + i];
        }
        return out;
    }

    /**
     * The padded size of an axis of {@code size} elements, checked against the rules of {@code mode}.
     *
     * @throws SrException {@code INVALID_SHAPE} naming the axis and amounts when they do not compute
     */
    public static long outputSize(String who, int axis, long size, long begin, long end, Mode mode) {
        long out = size + begin + end;
        String what = who + ": axis " + axis + " of size " + size + " padded by (" + begin + ", " + end + ")";
        if (out < 0) {
            throw new SrException(ErrorCode.INVALID_SHAPE, what + " would have size " + out);
        }
        long left = size - Math.max(-begin, 0) - Math.max(-end, 0);
        boolean grows = begin > 0 || end > 0;
        if (!grows || mode == Mode.CONSTANT) {
            return out;
        }
        if (left < 0) {
            throw new SrException(ErrorCode.INVALID_SHAPE, what + ": " + mode + " padding cannot follow a crop"
                    + " larger than the axis");
        }
        if (mode == Mode.REFLECT && (left < 2 || begin > left - 1 || end > left - 1)) {
            throw new SrException(ErrorCode.INVALID_SHAPE, what + ": reflect padding needs at least 2 elements"
                    + " and pads of at most (elements - 1), and " + left + " elements are left after cropping");
        }
        if (left == 0) {
            throw new SrException(ErrorCode.INVALID_SHAPE, what + ": " + mode + " padding of an empty axis");
        }
        return out;
    }

    /**
     * The input index along one axis that output index {@code o} reads, or -1 where the output takes
     * the constant. The amounts must have passed {@link #outputSize}.
     */
    public static long sourceIndex(Mode mode, long o, long size, long begin, long end) {
        long cropBegin = Math.max(-begin, 0);
        long left = size - cropBegin - Math.max(-end, 0);
        long p = o - Math.max(begin, 0);
        if (p >= 0 && p < left) {
            return cropBegin + p;
        }
        return switch (mode) {
            case CONSTANT -> -1;
            case EDGE -> cropBegin + Math.min(Math.max(p, 0), left - 1);
            case REFLECT -> cropBegin + (p < 0 ? -p : 2 * (left - 1) - p);
            case WRAP -> cropBegin + Math.floorMod(p, left);
        };
    }
}
