package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.TensorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Pow: base and exponent may differ in type (opset 12+); the result has the base's type. */
final class PowOp implements OpDef {
    private static final Set<DataType> BASE = EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16,
            DataType.FLOAT64, DataType.INT32, DataType.INT64);

    @Override
    public String opType() {
        return "Pow";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, BASE);
        OpChecks.requireType(ctx, 1, OpChecks.NUMERIC);
        return List.of(new TensorType(ctx.dataType(0),
                Broadcast.shape(ctx.node().describe(), ctx.shape(0), ctx.shape(1))));
    }
}
