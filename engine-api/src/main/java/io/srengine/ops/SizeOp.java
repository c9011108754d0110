package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.TensorType;
import java.util.List;

/** Size: the input's element count as an int64 scalar; folds to a constant once the shape is known. */
final class SizeOp implements OpDef {
    @Override
    public String opType() {
        return "Size";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        ctx.input(0);
        return List.of(TensorType.of(DataType.INT64));
    }

    @Override
    public Tensor foldFromTypes(InferenceContext ctx) {
        Dim n = ctx.shape(0).elementCount();
        return n.isKnown() ? Tensor.ofLongs(new long[] {n.value()}) : null;
    }
}
