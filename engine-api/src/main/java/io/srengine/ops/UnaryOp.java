package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.TensorType;
import java.util.List;
import java.util.Set;

/** An elementwise op of one input whose output has the input's type and shape (Relu, Sqrt, Identity...). */
final class UnaryOp implements OpDef {
    private final String opType;
    private final Set<DataType> types;
    private final String[] floatAttributes;

    /**
     * @param types the element types the op accepts
     * @param floatAttributes FLOAT attributes to check the kind of (LeakyRelu's alpha)
     */
    UnaryOp(String opType, Set<DataType> types, String... floatAttributes) {
        this.opType = opType;
        this.types = types;
        this.floatAttributes = floatAttributes;
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, types);
        for (String a : floatAttributes) {
            ctx.node().attrFloat(a, 0f);
        }
        return List.of(ctx.input(0));
    }
}
