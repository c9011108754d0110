package io.srengine.ops;

import io.srengine.graph.TensorType;
import java.util.List;

/** Clip with optional scalar min (input 1) and max (input 2) of the input's type. */
final class ClipOp implements OpDef {
    @Override
    public String opType() {
        return "Clip";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
        for (int i = 1; i <= 2; i++) {
            if (ctx.hasInput(i)) {
                OpChecks.requireSameType(ctx, 0, i);
                OpChecks.requireScalar(ctx, i, i == 1 ? "min" : "max");
            }
        }
        return List.of(ctx.input(0));
    }
}
