package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/** Unsqueeze (opset 13 form: axes as input 1): inserts size-1 axes at positions of the output. */
final class UnsqueezeOp implements OpDef {
    @Override
    public String opType() {
        return "Unsqueeze";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        if (ctx.isDeferred(1)) {
            return List.of(OpChecks.deferredAxes(ctx, 1, in.rank(), 1));
        }
        long[] axes = OpChecks.vector(ctx, ctx.requireConstant(1, "the axes"), 1, "axes");
        int rank = in.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int a : OpChecks.axes(ctx, axes, rank, "axes")) {
            inserted[a] = true;
        }
        Dim[] out = new Dim[rank];
        int next = 0;
        for (int k = 0; k < rank; k++) {
            out[k] = inserted[k] ? Dim.of(1) : in.dim(next++);
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }
}
