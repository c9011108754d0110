package io.srengine.ops;

import io.srengine.graph.TensorType;
import java.util.List;

/**
 * Gelu (opset 20): {@code x·Φ(x)} with the exact normal CDF ({@code approximate="none"}, via erf) or
 * its tanh approximation ({@code approximate="tanh"}). Older exports spell the exact form out with
 * Div, Erf, Add and Mul; {@link io.srengine.rewrite.GeluRecognition} turns that back into this op.
 */
final class GeluOp implements OpDef {
    @Override
    public String opType() {
        return "Gelu";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, OpChecks.FLOATS);
        approximate(ctx);
        return List.of(ctx.input(0));
    }

    private static void approximate(InferenceContext ctx) {
        String a = ctx.node().attrString("approximate", "none");
        if (!a.equals("none") && !a.equals("tanh")) {
            throw OpChecks.badAttribute(ctx, "approximate", "'" + a + "'", "'none' or 'tanh'");
        }
    }
}
