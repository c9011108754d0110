package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * ConstantOfShape: a tensor of the shape given by input 0 (1-D int64), every element the single
 * value of the {@code value} attribute (float32 0 when absent).
 */
public final class ConstantOfShapeOp implements OpDef {
    @Override
    public String opType() {
        return "ConstantOfShape";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 0;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 0, OpChecks.INT64);
        Tensor value = value(ctx.node());
        if (value.size() != 1) {
            throw OpChecks.badAttribute(ctx, "value", value, "a tensor of one element");
        }
        Tensor shape = ctx.constant(0);
        if (shape == null) {
            long rank = OpChecks.requireVector(ctx, 0, "shape");
            if (rank < 0) {
                ctx.requireConstant(0, "a shape of unknown length");
            }
            Dim[] out = new Dim[(int) rank];
            Arrays.setAll(out, k -> Dim.unknown());
            return List.of(new TensorType(value.dataType(), Shape.of(out)));
        }
        long[] dims = OpChecks.vector(ctx, shape, 0, "shape");
        for (long d : dims) {
            if (d < 0) {
                throw ctx.error("shape " + Arrays.toString(dims) + " has a negative dimension");
            }
        }
        return List.of(new TensorType(value.dataType(), Shape.of(dims)));
    }

    /** The fill value of a ConstantOfShape node: its {@code value} attribute or a float32 zero. */
    public static Tensor value(Node node) {
        return node.attributes().has("value") ? node.attrTensor("value") : Tensor.allocate(DataType.FLOAT32, 1);
    }
}
