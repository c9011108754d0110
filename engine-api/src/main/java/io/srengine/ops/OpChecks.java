package io.srengine.ops;

import io.srengine.graph.TensorType;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Checks shared by the op definitions, each failing with a message that names the node. */
final class OpChecks {
    /**
     * The result type of an op whose axes input is fed at run time: {@code rank} dimensions, all
     * unknown until the graph is specialised. The axes count must be known from the input's shape.
     */
    static TensorType deferredAxes(InferenceContext ctx, int axesInput, int baseRank, int sign) {
        Shape axes = ctx.shape(axesInput);
        if (axes.rank() != 1 || !axes.dim(0).isKnown()) {
            ctx.requireConstant(axesInput, "axes of unknown length");
        }
        int rank = baseRank + sign * (int) axes.dim(0).value();
        if (rank < 0) {
            throw ctx.error("removes " + axes.dim(0) + " axes from a rank-" + baseRank + " input");
        }
        io.srengine.graph.Dim[] dims = new io.srengine.graph.Dim[rank];
        java.util.Arrays.setAll(dims, k -> io.srengine.graph.Dim.unknown());
        return new TensorType(ctx.dataType(0), Shape.of(dims));
    }

    static final Set<DataType> FLOATS = EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16,
            DataType.FLOAT64);
    static final Set<DataType> NUMERIC = EnumSet.complementOf(EnumSet.of(DataType.BOOL));
    static final Set<DataType> SIGNED = EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16,
            DataType.FLOAT64, DataType.INT8, DataType.INT32, DataType.INT64);
    static final Set<DataType> ALL = EnumSet.allOf(DataType.class);
    static final Set<DataType> INDICES = EnumSet.of(DataType.INT32, DataType.INT64);
    static final Set<DataType> INT64 = EnumSet.of(DataType.INT64);

    private OpChecks() {}

    /** Checks that input {@code i} has one of the {@code allowed} types. */
    static void requireType(InferenceContext ctx, int i, Set<DataType> allowed) {
        DataType t = ctx.dataType(i);
        if (!allowed.contains(t)) {
            throw new SrException(ErrorCode.TYPE_MISMATCH, ctx.node().describe() + ": input " + i + " ('"
                    + ctx.node().input(i) + "') has type " + t + "; " + ctx.node().opType() + " takes " + allowed);
        }
    }

    /** Checks that inputs {@code i} and {@code j} have the same element type. */
    static void requireSameType(InferenceContext ctx, int i, int j) {
        if (ctx.dataType(i) != ctx.dataType(j)) {
            throw new SrException(ErrorCode.TYPE_MISMATCH, ctx.node().describe() + ": input " + j + " ('"
                    + ctx.node().input(j) + "') has type " + ctx.dataType(j) + " but input " + i + " ('"
                    + ctx.node().input(i) + "') has type " + ctx.dataType(i) + "; they must match");
        }
    }

    /** Checks that input {@code i} holds a single value (rank 0, or any rank with one element). */
    static void requireScalar(InferenceContext ctx, int i, String what) {
        Shape s = ctx.shape(i);
        Dim n = s.elementCount();
        if (s.rank() > 0 && n.isKnown() && n.value() != 1) {
            throw ctx.error(what + " (input '" + ctx.node().input(i) + "') must be a scalar, got shape " + s);
        }
    }

    /** Checks that input {@code i} is 1-D and returns its length, or -1 when it is not known. */
    static long requireVector(InferenceContext ctx, int i, String what) {
        Shape s = ctx.shape(i);
        if (s.rank() != 1) {
            throw ctx.error(what + " (input '" + ctx.node().input(i) + "') must be 1-D, got shape " + s);
        }
        return s.dim(0).isKnown() ? s.dim(0).value() : -1;
    }

    /** The values of a constant 1-D integer tensor, checked to be 1-D. */
    static long[] vector(InferenceContext ctx, Tensor t, int i, String what) {
        if (t.rank() != 1) {
            throw ctx.error(what + " (input '" + ctx.node().input(i) + "') must be 1-D, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.toLongArray();
    }

    /**
     * {@code axis} made non-negative for a tensor of rank {@code rank}.
     *
     * @throws SrException {@code INVALID_SHAPE} unless {@code -rank <= axis < rank}
     */
    static int axis(InferenceContext ctx, long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw ctx.error(what + " " + axis + " is out of range for rank " + rank + " (valid: " + -rank + " to "
                    + (rank - 1) + ")");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Each of {@code axes} made non-negative for rank {@code rank}, rejecting duplicates. */
    static int[] axes(InferenceContext ctx, long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < axes.length; k++) {
            out[k] = axis(ctx, axes[k], rank, what);
            if (seen[out[k]]) {
                throw ctx.error(what + " " + Arrays.toString(axes) + " name axis " + out[k] + " twice");
            }
            seen[out[k]] = true;
        }
        return out;
    }

    /** An {@code INVALID_MODEL} error for an attribute value the specification does not allow. */
    static SrException badAttribute(InferenceContext ctx, String attribute, Object value, String allowed) {
        return new SrException(ErrorCode.INVALID_MODEL, ctx.node().describe() + ": attribute '" + attribute
                + "' is " + value + "; it must be " + allowed);
    }
}
