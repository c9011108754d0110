package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * Cast to the type named by the {@code to} attribute. Types srengine has no storage for (string,
 * float8, 4-bit, unsigned 16/32/64-bit) are refused; {@code saturate} (opset 19) only concerns
 * float8 and is therefore ignored.
 */
final class CastOp implements OpDef {
    @Override
    public String opType() {
        return "Cast";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        DataType to = target(ctx);
        return List.of(new TensorType(to, ctx.shape(0)));
    }

    static DataType target(InferenceContext ctx) {
        long code = ctx.node().attrInt("to");
        DataType to = code == (int) code ? DataType.fromOnnx((int) code) : null;
        if (to == null) {
            throw ctx.unsupported("casting to " + DataType.onnxName((int) code) + " is not supported"
                    + " (srengine has FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32, INT8, UINT8 and BOOL)");
        }
        return to;
    }
}
