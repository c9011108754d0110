package io.srengine.ops;

import io.srengine.graph.TensorType;
import java.util.List;

/**
 * Mod: the remainder of A / B, broadcast multidirectionally. With {@code fmod=0} (integers only) the
 * result takes the sign of the divisor, as Python's {@code %}; with {@code fmod=1} that of the dividend,
 * as C's {@code fmod}. ONNX requires {@code fmod=1} for floating-point inputs.
 */
final class ModOp implements OpDef {
    @Override
    public String opType() {
        return "Mod";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
        OpChecks.requireSameType(ctx, 0, 1);
        long fmod = ctx.node().attrInt("fmod", 0);
        if (fmod != 0 && fmod != 1) {
            throw OpChecks.badAttribute(ctx, "fmod", fmod, "0 or 1");
        }
        if (fmod == 0 && ctx.dataType(0).isFloatingPoint()) {
            throw OpChecks.badAttribute(ctx, "fmod", fmod, "1 for floating-point inputs (" + ctx.dataType(0) + ")");
        }
        return List.of(new TensorType(ctx.dataType(0),
                Broadcast.shape(ctx.node().describe(), ctx.shape(0), ctx.shape(1))));
    }
}
