package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Operator definitions of the products: MatMul, Gemm and Einsum. */
final class LinearAlgebraOps {
    private LinearAlgebraOps() {}

    static List<OpDef> defs() {
        return List.of(new MatMulOp(), new GemmOp(), new EinsumOp());
    }

    /**
     * MatMul as numpy's matmul: the last two axes multiply, leading axes broadcast; a 1-D first input
     * is a row vector and a 1-D second input a column vector, whose added axis is removed again.
     */
    static final class MatMulOp implements OpDef {
        @Override
        public String opType() {
            return "MatMul";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
            OpChecks.requireSameType(ctx, 0, 1);
            return List.of(new TensorType(ctx.dataType(0), shape(ctx, ctx.shape(0), ctx.shape(1))));
        }

        static Shape shape(InferenceContext ctx, Shape a, Shape b) {
            if (a.rank() == 0 || b.rank() == 0) {
                throw ctx.error("inputs must have rank 1 or more, got " + a + " and " + b);
            }
            Shape a2 = a.rank() == 1 ? Shape.of(List.of(Dim.of(1), a.dim(0))) : a;
            Shape b2 = b.rank() == 1 ? Shape.of(List.of(b.dim(0), Dim.of(1))) : b;
            Dim k1 = a2.dim(a2.rank() - 1);
            Dim k2 = b2.dim(b2.rank() - 2);
            if (k1.isKnown() && k2.isKnown() && k1.value() != k2.value()) {
                throw ctx.error("cannot multiply " + a + " by " + b + ": inner dimensions " + k1 + " and " + k2 + " differ");
            }
            Shape batch = Broadcast.shape(ctx.node().describe() + " (batch axes)",
                    Shape.of(a2.dims().subList(0, a2.rank() - 2)), Shape.of(b2.dims().subList(0, b2.rank() - 2)));
            List<Dim> out = new ArrayList<>(batch.dims());
            if (a.rank() > 1) {
                out.add(a2.dim(a2.rank() - 2));
            }
            if (b.rank() > 1) {
                out.add(b2.dim(b2.rank() - 1));
            }
            return Shape.of(out);
        }
    }

    /**
     * Gemm: {@code alpha·A'·B' + beta·C} with A' and B' optionally transposed 2-D inputs and the
     * optional C broadcast unidirectionally to the [M, N] result.
     */
    static final class GemmOp implements OpDef {
        @Override
        public String opType() {
            return "Gemm";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
            OpChecks.requireSameType(ctx, 0, 1);
            Shape a = ctx.shape(0);
            Shape b = ctx.shape(1);
            if (a.rank() != 2 || b.rank() != 2) {
                throw ctx.error("A and B must be 2-D, got " + a + " and " + b);
            }
            boolean ta = flag(ctx, "transA");
            boolean tb = flag(ctx, "transB");
            ctx.node().attrFloat("alpha", 1f);
            ctx.node().attrFloat("beta", 1f);
            Dim m = a.dim(ta ? 1 : 0);
            Dim k1 = a.dim(ta ? 0 : 1);
            Dim k2 = b.dim(tb ? 1 : 0);
            Dim n = b.dim(tb ? 0 : 1);
            if (k1.isKnown() && k2.isKnown() && k1.value() != k2.value()) {
                throw ctx.error("cannot multiply A " + a + (ta ? "ᵀ" : "") + " by B " + b + (tb ? "ᵀ" : "")
                        + ": inner dimensions " + k1 + " and " + k2 + " differ");
            }
            Shape out = Shape.of(List.of(m, n));
            if (ctx.hasInput(2)) {
                OpChecks.requireSameType(ctx, 0, 2);
                Broadcast.checkUnidirectional(ctx.node().describe() + " C", ctx.shape(2), out);
            }
            return List.of(new TensorType(ctx.dataType(0), out));
        }

        static boolean flag(InferenceContext ctx, String name) {
            long v = ctx.node().attrInt(name, 0);
            if (v != 0 && v != 1) {
                throw OpChecks.badAttribute(ctx, name, v, "0 or 1");
            }
            return v == 1;
        }
    }

    /** Einsum over the equation attribute; see {@link EinsumSpec}. */
    static final class EinsumOp implements OpDef {
        @Override
        public String opType() {
            return "Einsum";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            if (ctx.inputCount() == 0) {
                throw ctx.error("needs at least one input");
            }
            OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < ctx.inputCount(); i++) {
                OpChecks.requireSameType(ctx, 0, i);
                shapes.add(ctx.shape(i));
            }
            EinsumSpec spec = EinsumSpec.parse(ctx.node(), ctx.node().attrString("equation", null), shapes.size());
            return List.of(new TensorType(ctx.dataType(0), spec.outputShape(ctx.node(), shapes)));
        }
    }
}
