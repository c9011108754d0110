package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/** Flatten to 2-D: the axes before {@code axis} (default 1, range [-r, r]) become rows, the rest columns. */
final class FlattenOp implements OpDef {
    @Override
    public String opType() {
        return "Flatten";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        int rank = in.rank();
        long axis = ctx.node().attrInt("axis", 1);
        if (axis < -rank || axis > rank) {
            throw ctx.error("axis " + axis + " is out of range for rank " + rank + " (valid: " + -rank + " to " + rank + ")");
        }
        int split = (int) (axis < 0 ? axis + rank : axis);
        Dim rows = Dim.of(1);
        Dim cols = Dim.of(1);
        for (int k = 0; k < rank; k++) {
            if (k < split) {
                rows = rows.times(in.dim(k));
            } else {
                cols = cols.times(in.dim(k));
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(rows, cols)));
    }
}
