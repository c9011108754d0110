package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.TensorType;
import java.util.List;

/** ReduceMean with the axes as optional input 1 (canonical form), {@code keepdims} and {@code noop_with_empty_axes}. */
final class ReduceMeanDef implements OpDef {
    @Override
    public String opType() {
        return "ReduceMean";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpErrors.requireFloatImplemented(ctx, 0);
        Tensor axes = null;
        if (ctx.hasInput(1)) {
            DataType t = ctx.dataType(1);
            if (t != DataType.INT64 && t != DataType.INT32) {
                throw new SrException(ErrorCode.TYPE_MISMATCH, ctx.node().describe() + ": axes ('" + ctx.node().input(1)
                        + "') has type " + t + ", expected INT64");
            }
            if (ctx.isDeferred(1)) {
                boolean keep = ctx.node().attrInt("keepdims", 1) != 0;
                return List.of(OpChecks.deferredAxes(ctx, 1, ctx.shape(0).rank(), keep ? 0 : -1));
            }
            axes = ctx.requireConstant(1, "axes");
        }
        ReduceSpec spec = ReduceSpec.of(ctx.node(), ctx.shape(0).rank(), axes);
        return List.of(new TensorType(ctx.dataType(0), spec.outputShape(ctx.shape(0))));
    }
}
