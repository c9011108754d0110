package io.srengine.reference;

import java.util.Map;

/** Reference kernels of the elementwise ops: activations, arithmetic with broadcasting, Cast. */
final class ReferenceElementwiseOps {
    private ReferenceElementwiseOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("Identity", new ReferenceReshape());
        kernels.put("Relu", ReferenceUnary.relu());
        kernels.put("LeakyRelu", ReferenceUnary.leakyRelu());
        kernels.put("Sigmoid", ReferenceUnary.sigmoid());
        kernels.put("Tanh", ReferenceUnary.of(Math::tanh, null));
        kernels.put("Floor", ReferenceUnary.of(Math::floor, null));
        kernels.put("Ceil", ReferenceUnary.of(Math::ceil, null));
        kernels.put("Sqrt", ReferenceUnary.of(Math::sqrt, null));
        kernels.put("Exp", ReferenceUnary.of(Math::exp, null));
        kernels.put("Log", ReferenceUnary.of(Math::log, null));
        kernels.put("Reciprocal", ReferenceUnary.of(x -> 1 / x, null));
        kernels.put("Neg", ReferenceUnary.of(x -> -x, x -> -x));
        kernels.put("Abs", ReferenceUnary.of(Math::abs, Math::abs));
        kernels.put("Erf", ReferenceUnary.of(ReferenceMath::erf, null));
        kernels.put("Gelu", ReferenceUnary.gelu());
        kernels.put("PRelu", new ReferencePRelu());
        kernels.put("Clip", new ReferenceClip());
        kernels.put("Add", new ReferenceArithmetic(ReferenceArithmetic.Op.ADD));
        kernels.put("Sub", new ReferenceArithmetic(ReferenceArithmetic.Op.SUB));
        kernels.put("Mul", new ReferenceArithmetic(ReferenceArithmetic.Op.MUL));
        kernels.put("Div", new ReferenceArithmetic(ReferenceArithmetic.Op.DIV));
        kernels.put("Pow", new ReferencePow());
        kernels.put("Mod", ReferenceLogic.mod());
        for (String op : java.util.List.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or",
                "Xor")) {
            kernels.put(op, ReferenceLogic.compare(op));
        }
        kernels.put("Not", ReferenceLogic.not());
        kernels.put("Where", ReferenceLogic.where());
        kernels.put("Max", new ReferenceVariadic(ReferenceVariadic.Op.MAX));
        kernels.put("Min", new ReferenceVariadic(ReferenceVariadic.Op.MIN));
        kernels.put("Sum", new ReferenceVariadic(ReferenceVariadic.Op.SUM));
        kernels.put("Mean", new ReferenceVariadic(ReferenceVariadic.Op.MEAN));
        kernels.put("Cast", new ReferenceCast());
    }
}
