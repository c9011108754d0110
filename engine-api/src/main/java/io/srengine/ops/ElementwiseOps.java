package io.srengine.ops;

import io.srengine.DataType;
import java.util.EnumSet;
import java.util.List;

/** Operator definitions of the elementwise ops: activations, arithmetic with broadcasting, Cast. */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static List<OpDef> defs() {
        // Type sets follow the latest opset of each op that srengine's types can express.
        var reluTypes = EnumSet.of(DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16, DataType.FLOAT64,
                DataType.INT8, DataType.INT32, DataType.INT64);
        return List.of(
                new UnaryOp("Identity", OpChecks.ALL),
                new UnaryOp("Relu", reluTypes),
                new UnaryOp("LeakyRelu", OpChecks.FLOATS, "alpha"),
                new UnaryOp("Sigmoid", OpChecks.FLOATS),
                new UnaryOp("Tanh", OpChecks.FLOATS),
                new UnaryOp("Floor", OpChecks.FLOATS),
                new UnaryOp("Ceil", OpChecks.FLOATS),
                new UnaryOp("Sqrt", OpChecks.FLOATS),
                new UnaryOp("Exp", OpChecks.FLOATS),
                new UnaryOp("Log", OpChecks.FLOATS),
                new UnaryOp("Reciprocal", OpChecks.FLOATS),
                new UnaryOp("Neg", OpChecks.SIGNED),
                new UnaryOp("Abs", OpChecks.NUMERIC),
                new UnaryOp("Erf", OpChecks.FLOATS),
                new GeluOp(),
                new PReluOp(),
                new ClipOp(),
                new BinaryOp("Add"),
                new BinaryOp("Sub"),
                new BinaryOp("Mul"),
                new BinaryOp("Div"),
                new PowOp(),
                new ModOp(),
                new VariadicOp("Max", OpChecks.NUMERIC),
                new VariadicOp("Min", OpChecks.NUMERIC),
                new VariadicOp("Sum", OpChecks.FLOATS),
                new VariadicOp("Mean", OpChecks.FLOATS),
                new CastOp());
    }
}
