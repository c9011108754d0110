package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Max, Min, Sum and Mean: one or more inputs of one type, broadcast multidirectionally. */
final class VariadicOp implements OpDef {
    private final String opType;
    private final Set<DataType> types;

    VariadicOp(String opType, Set<DataType> types) {
        this.opType = opType;
        this.types = types;
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        if (ctx.inputCount() == 0) {
            throw ctx.error("needs at least one input");
        }
        OpChecks.requireType(ctx, 0, types);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            OpChecks.requireSameType(ctx, 0, i);
            shapes.add(ctx.shape(i));
        }
        return List.of(new TensorType(ctx.dataType(0), Broadcast.shape(ctx.node().describe(), shapes)));
    }
}
