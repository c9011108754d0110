package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.TensorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** PRelu: the slope (input 1) broadcasts unidirectionally to X, e.g. one value, or [C,1,1] per channel. */
final class PReluOp implements OpDef {
    private static final Set<DataType> TYPES = EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16,
            DataType.FLOAT64, DataType.INT32, DataType.INT64);

    @Override
    public String opType() {
        return "PRelu";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, TYPES);
        OpChecks.requireSameType(ctx, 0, 1);
        Broadcast.checkUnidirectional(ctx.node().describe() + " slope", ctx.shape(1), ctx.shape(0));
        return List.of(ctx.input(0));
    }
}
