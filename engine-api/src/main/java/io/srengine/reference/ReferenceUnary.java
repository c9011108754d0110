package io.srengine.reference;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.ops.FusedActivation;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * Elementwise ops of one input: activations (Relu, LeakyRelu, Sigmoid, Tanh) and math (Floor, Ceil,
 * Sqrt, Exp, Reciprocal, Neg, Abs). Floating-point types compute in double and round once to the
 * output type; integer types (where the op allows them) compute in long.
 */
final class ReferenceUnary implements ReferenceKernel {
    private final Function<KernelContext, DoubleUnaryOperator> onFloat;
    private final LongUnaryOperator onInteger;

    /**
     * @param onFloat the function for a node (which may read its attributes)
     * @param onInteger null where the op accepts floating-point types only
     */
    private ReferenceUnary(Function<KernelContext, DoubleUnaryOperator> onFloat, LongUnaryOperator onInteger) {
        this.onFloat = onFloat;
        this.onInteger = onInteger;
    }

    /** An op with no attributes. */
    static ReferenceKernel of(DoubleUnaryOperator onFloat, LongUnaryOperator onInteger) {
        return new ReferenceUnary(ctx -> onFloat, onInteger);
    }

    static ReferenceKernel relu() {
        // NaN passes through, as numpy's maximum(x, 0) does.
        return of(x -> x < 0 ? 0 : x, x -> Math.max(x, 0));
    }

    static ReferenceKernel leakyRelu() {
        return new ReferenceUnary(ctx -> {
            float alpha = ctx.node().attrFloat("alpha", 0.01f);
            return x -> x >= 0 ? x : alpha * x;
        }, null);
    }

    static ReferenceKernel sigmoid() {
        return new ReferenceUnary(ctx -> ctx.input(0).dataType() == DataType.FLOAT64
                ? ReferenceUnary::sigmoidDouble
                : x -> FusedActivation.sigmoid((float) x), null);
    }

    static ReferenceKernel gelu() {
        return new ReferenceUnary(ctx -> ctx.node().attrString("approximate", "none").equals("tanh")
                ? ReferenceMath::geluTanh : ReferenceMath::gelu, null);
    }

    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor y = ctx.allocateOutput(0);
        int n = x.size();
        if (x.dataType().isFloatingPoint()) {
            DoubleUnaryOperator f = onFloat.apply(ctx);
            for (int i = 0; i < n; i++) {
                Elements.setDouble(y, i, f.applyAsDouble(x.getDouble(i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                Elements.setLong(y, i, onInteger.applyAsLong(x.getLong(i)));
            }
        }
        return new Tensor[] {y};
    }

    /** The logistic function in double, split by sign so that exp never overflows. */
    private static double sigmoidDouble(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
