package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * Gather along {@code axis} (default 0): the output shape is {@code data[:axis] + indices +
 * data[axis+1:]}; indices may be negative (counting from the end) and must lie in {@code [-d, d)}.
 */
final class GatherOp implements OpDef {
    @Override
    public String opType() {
        return "Gather";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape data = ctx.shape(0);
        if (data.rank() == 0) {
            throw ctx.error("cannot gather from a scalar");
        }
        OpChecks.requireType(ctx, 1, OpChecks.INDICES);
        int axis = OpChecks.axis(ctx, ctx.node().attrInt("axis", 0), data.rank(), "axis");
        Dim size = data.dim(axis);
        Tensor indices = ctx.constant(1);
        if (indices != null && size.isKnown()) {
            for (int i = 0; i < indices.size(); i++) {
                long v = indices.getLong(i);
                if (v < -size.value() || v >= size.value()) {
                    throw ctx.error("index " + v + " is out of range for axis " + axis + " of size " + size.value()
                            + " (shape " + data + ")");
                }
            }
        }
        List<Dim> out = new ArrayList<>(data.dims().subList(0, axis));
        out.addAll(ctx.shape(1).dims());
        out.addAll(data.dims().subList(axis + 1, data.rank()));
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }
}
