package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * Expand: broadcasts the input multidirectionally with the shape in input 1, so a 1 in that shape
 * keeps the input's dimension and the output rank is the larger of the two.
 */
final class ExpandOp implements OpDef {
    @Override
    public String opType() {
        return "Expand";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        Tensor shape = ctx.constant(1);
        if (shape == null) {
            long length = OpChecks.requireVector(ctx, 1, "shape");
            if (length < 0) {
                ctx.requireConstant(1, "a shape of unknown length");
            }
            Dim[] out = new Dim[(int) Math.max(length, in.rank())];
            Arrays.setAll(out, k -> Dim.unknown());
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
        long[] dims = OpChecks.vector(ctx, shape, 1, "shape");
        for (long d : dims) {
            if (d < 0) {
                throw ctx.error("shape " + Arrays.toString(dims) + " has a negative dimension");
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Broadcast.shape(ctx.node().describe(), in, Shape.of(dims))));
    }
}
