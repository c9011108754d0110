package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Slice (opset 10+ form: starts, ends and the optional axes and steps as inputs 1 to 4).
 *
 * <p>Per sliced axis of size d: a negative start or end has d added; then for a positive step start
 * and end are clamped to {@code [0, d]}, for a negative step start to {@code [0, d-1]} and end to
 * {@code [-1, d-1]}; the slice has {@code max(0, ceil((end - start) / step))} elements. A step of 0
 * is an error. On a symbolic axis only the whole axis (forwards or backwards) is known in size.
 */
public final class SliceOp implements OpDef {
    private static final String[] NAMES = {"starts", "ends", "axes", "steps"};

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index >= 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        Tensor[] params = new Tensor[4];
        boolean allConstant = true;
        for (int i = 1; i <= 4; i++) {
            if (i <= 2 || ctx.hasInput(i)) {
                OpChecks.requireType(ctx, i, OpChecks.INDICES);
                OpChecks.requireVector(ctx, i, NAMES[i - 1]);
                params[i - 1] = ctx.constant(i);
                allConstant &= params[i - 1] != null;
            }
        }
        Dim[] out = in.dims().toArray(new Dim[0]);
        if (!allConstant) {
            if (ctx.hasInput(3) && params[2] != null) {
                for (int a : OpChecks.axes(ctx, params[2].toLongArray(), in.rank(), "axes")) {
                    out[a] = Dim.unknown();
                }
            } else {
                Arrays.setAll(out, k -> Dim.unknown());
            }
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
        long[][] p = new long[4][];
        for (int i = 0; i < 4; i++) {
            p[i] = params[i] == null ? null : params[i].toLongArray();
        }
        int[] axes = checkParameters(ctx.node().describe(), in.rank(), p[0], p[1], p[2], p[3]);
        for (int k = 0; k < axes.length; k++) {
            int a = axes[k];
            long step = p[3] == null ? 1 : p[3][k];
            if (out[a].isKnown()) {
                out[a] = Dim.of(axisRange(out[a].value(), p[0][k], p[1][k], step)[1]);
            } else if (!coversAxis(p[0][k], p[1][k], step)) {
                out[a] = Dim.unknown();
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }

    /** True when the slice takes a whole axis of any size, forwards or backwards. */
    private static boolean coversAxis(long start, long end, long step) {
        long far = Tensor.MAX_ELEMENTS;
        if (step == 1) {
            return (start == 0 || start <= -far) && end >= far;
        }
        return step == -1 && (start == -1 || start >= far) && end < -far;
    }

    /**
     * Checks the parameters and returns the sliced axes made non-negative.
     *
     * @param axes null for the default {@code 0, 1, ..., starts.length - 1}
     * @param steps null for all ones
     * @throws SrException {@code INVALID_SHAPE} naming {@code who} when lengths differ, an axis is out
     *     of range or repeated, or a step is 0
     */
    public static int[] checkParameters(String who, int rank, long[] starts, long[] ends, long[] axes, long[] steps) {
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw new SrException(ErrorCode.INVALID_SHAPE, who + ": starts " + Arrays.toString(starts) + ", ends "
                    + Arrays.toString(ends) + ", axes " + Arrays.toString(axes) + " and steps " + Arrays.toString(steps)
                    + " must have the same length");
        }
        int[] out = new int[n];
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < n; k++) {
            long a = axes == null ? k : axes[k];
            if (a < -rank || a >= rank || seen[(int) (a < 0 ? a + rank : a)]) {
                throw new SrException(ErrorCode.INVALID_SHAPE, who + ": axes " + (axes == null ? "0.." + (n - 1)
                        : Arrays.toString(axes)) + " are out of range or repeated for rank " + rank);
            }
            out[k] = (int) (a < 0 ? a + rank : a);
            seen[out[k]] = true;
            if (steps != null && steps[k] == 0) {
                throw new SrException(ErrorCode.INVALID_SHAPE, who + ": steps " + Arrays.toString(steps) + " contain 0");
            }
        }
        return out;
    }

    /**
     * The effective start and element count of slicing an axis of size {@code size}, as
     * {@code {start, count}}; element k of the slice is input index {@code start + k*step}.
     */
    public static long[] axisRange(long size, long start, long end, long step) {
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        long count;
        if (step > 0) {
            start = Math.min(Math.max(start, 0), size);
            end = Math.min(Math.max(end, 0), size);
            count = end > start ? (end - start - 1) / step + 1 : 0;
        } else {
            start = Math.min(Math.max(start, 0), size - 1);
            end = Math.min(Math.max(end, -1), size - 1);
            // -step overflows only for Long.MIN_VALUE, where the quotient is 0 either way.
            count = start > end ? (start - end - 1) / -step + 1 : 0;
        }
        return new long[] {start, count};
    }
}
