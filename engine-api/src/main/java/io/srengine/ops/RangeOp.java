package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Range(start, limit, delta): the 1-D sequence {@code start + i·delta} for {@code i <
 * max(ceil((limit - start) / delta), 0)}. Its length is known once the three scalars are, which for
 * exported transformers happens when the graph is specialised to an input size.
 */
public final class RangeOp implements OpDef {
    private static final Set<DataType> TYPES = EnumSet.of(DataType.FLOAT32, DataType.FLOAT64, DataType.INT32,
            DataType.INT64);
    /** Longer ranges are refused: a scalar in a file must not make srengine allocate without bound. */
    public static final long MAX_LENGTH = Tensor.MAX_ELEMENTS;

    @Override
    public String opType() {
        return "Range";
    }

    /** The output length follows from the values, so scalars fed as graph inputs are bound per run. */
    @Override
    public boolean isShapeInput(int index) {
        return index < 3;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, TYPES);
        for (int i = 0; i < 3; i++) {
            OpChecks.requireSameType(ctx, 0, i);
            OpChecks.requireScalar(ctx, i, i == 0 ? "start" : i == 1 ? "limit" : "delta");
        }
        Tensor start = ctx.constant(0);
        Tensor limit = ctx.constant(1);
        Tensor delta = ctx.constant(2);
        Dim n = Dim.unknown();
        if (start != null && limit != null && delta != null) {
            n = Dim.of(length(ctx, start.getDouble(0), limit.getDouble(0), delta.getDouble(0), start.dataType()));
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(List.of(n))));
    }

    /** The number of elements, checked. */
    static long length(InferenceContext ctx, double start, double limit, double delta, DataType type) {
        if (delta == 0) {
            throw ctx.error("delta is 0");
        }
        double count = Math.ceil((limit - start) / delta);
        if (!(count <= MAX_LENGTH)) {
            throw ctx.error("the range from " + start + " to " + limit + " by " + delta + " has " + count
                    + " elements, more than srengine allows (" + MAX_LENGTH + ")");
        }
        return (long) Math.max(count, 0);
    }
}
