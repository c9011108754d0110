package io.srengine.ops;

import io.srengine.graph.TensorType;
import java.util.List;

/** Add, Sub, Mul and Div: two inputs of one numeric type, broadcast multidirectionally. */
final class BinaryOp implements OpDef {
    private final String opType;

    BinaryOp(String opType) {
        this.opType = opType;
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
        OpChecks.requireSameType(ctx, 0, 1);
        return List.of(new TensorType(ctx.dataType(0),
                Broadcast.shape(ctx.node().describe(), ctx.shape(0), ctx.shape(1))));
    }
}
