package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/** Concat along {@code axis} (required, may be negative): other dimensions must match, the axis sums. */
final class ConcatOp implements OpDef {
    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        if (ctx.inputCount() == 0) {
            throw ctx.error("needs at least one input");
        }
        Shape first = ctx.shape(0);
        int rank = first.rank();
        if (rank == 0) {
            throw ctx.error("cannot concatenate scalars");
        }
        int axis = OpChecks.axis(ctx, ctx.node().attrInt("axis"), rank, "axis");
        Dim[] out = first.dims().toArray(new Dim[0]);
        for (int i = 1; i < ctx.inputCount(); i++) {
            OpChecks.requireSameType(ctx, 0, i);
            Shape s = ctx.shape(i);
            if (s.rank() != rank) {
                throw ctx.error("input " + i + " has shape " + s + " of rank " + s.rank() + " but input 0 has " + first);
            }
            for (int k = 0; k < rank; k++) {
                Dim d = s.dim(k);
                if (k == axis) {
                    out[k] = out[k].plus(d);
                } else if (out[k].isKnown() && d.isKnown()) {
                    if (out[k].value() != d.value()) {
                        throw ctx.error("input " + i + " has shape " + s + ", which differs from " + first
                                + " on axis " + k + " (" + d + " vs " + out[k] + "), not only on the concatenation axis " + axis);
                    }
                } else if (d.isKnown()) {
                    out[k] = d;
                }
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }
}
