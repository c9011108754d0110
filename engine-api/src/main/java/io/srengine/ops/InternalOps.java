package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * srengine's own ops, in domain {@value OpRegistry#INTERNAL_DOMAIN}: the fused forms that {@link
 * io.srengine.rewrite.TransformerFusion} writes into a graph specialised to one input size, for
 * backends to compile. Model files never contain them (a file's ops must be in the default domain),
 * and exports never see them (they only exist after specialisation).
 *
 * <ul>
 *   <li>{@code RowGather(X, rows)}: X read as rows of its last dimension; output row r is X's row
 *       {@code rows[r]}, or zeros where that is -1; attribute {@code shape} gives the output shape.
 *       A chain of Reshape/Transpose/Slice/Concat/Pad that only moves whole rows (window partition
 *       and reverse, cyclic shifts) becomes one of these.
 *   <li>{@code Linear(X, W, B?, R?)}: {@code act(X·W + B) + R} with W a constant [K, N], B a
 *       constant [N], R of the output's shape; {@code activation} "" or "gelu" or "gelu_tanh".
 *   <li>{@code AddLayerNormalization(A, B, scale, bias?)}: outputs {@code S = A + B} and
 *       LayerNormalization of S over its last axis ({@code epsilon}).
 *   <li>{@code Attention(Qsrc, Ksrc, Vsrc, qRows, kRows, vRows, outRows, bias?, masks?, maskOf?)}:
 *       for each of {@code batch} windows b and {@code heads} heads h, {@code softmax(scale·q·kᵀ +
 *       bias[h] + masks[maskOf[b]])·v} over {@code m} keys, where query n of window b is the row
 *       {@code qRows[b·n_count + n]} of Qsrc from column {@code q_col + h·q_head} for {@code d}
 *       values (keys and values likewise), a row of -1 being zeros; the result of (b, n) is written
 *       to row {@code outRows[b·n_count + n]} of the output (shape {@code out_shape}) from column
 *       {@code out_col + h·out_head}, and -1 means it is not needed.
 * </ul>
 */
final class InternalOps {
    private InternalOps() {}

    static List<OpDef> defs() {
        return List.of(new RowGather(), new Linear(), new AddLayerNormalization(), new Attention());
    }

    private static int rowLength(Shape s, InferenceContext ctx) {
        if (s.rank() == 0 || !s.dim(s.rank() - 1).isKnown()) {
            throw ctx.error("needs a known last dimension, got " + s);
        }
        return (int) s.dim(s.rank() - 1).value();
    }

    static final class RowGather implements OpDef {
        @Override
        public String opType() {
            return "RowGather";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 1, EnumSetHolder.INT32);
            long[] shape = ctx.node().attrInts("shape", null);
            if (shape == null || shape.length == 0) {
                throw OpChecks.badAttribute(ctx, "shape", "absent", "the output shape");
            }
            int c = rowLength(ctx.shape(0), ctx);
            if (shape[shape.length - 1] != c) {
                throw ctx.error("output shape " + java.util.Arrays.toString(shape) + " must keep the row length " + c);
            }
            Tensor rows = ctx.constant(1);
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            if (rows != null && rows.size() * (long) c != count) {
                throw ctx.error(rows.size() + " rows of " + c + " do not make shape " + java.util.Arrays.toString(shape));
            }
            return List.of(new TensorType(ctx.dataType(0), Shape.of(shape)));
        }
    }

    static final class Linear implements OpDef {
        @Override
        public String opType() {
            return "Linear";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.FLOATS);
            Shape x = ctx.shape(0);
            Shape w = ctx.shape(1);
            if (w.rank() != 2 || x.rank() < 1) {
                throw ctx.error("needs X of rank 1 or more and W of rank 2, got " + x + " and " + w);
            }
            Dim k = x.dim(x.rank() - 1);
            if (k.isKnown() && w.dim(0).isKnown() && k.value() != w.dim(0).value()) {
                throw ctx.error("X " + x + " and W " + w + " disagree on K");
            }
            String act = ctx.node().attrString("activation", "");
            if (!List.of("", "gelu", "gelu_tanh").contains(act)) {
                throw OpChecks.badAttribute(ctx, "activation", "'" + act + "'", "'', 'gelu' or 'gelu_tanh'");
            }
            List<Dim> out = new ArrayList<>(x.dims().subList(0, x.rank() - 1));
            out.add(w.dim(1));
            Shape y = Shape.of(out);
            if (ctx.hasInput(3) && !ctx.shape(3).equals(y)) {
                throw ctx.error("residual " + ctx.shape(3) + " must have the output's shape " + y);
            }
            return List.of(new TensorType(ctx.dataType(0), y));
        }
    }

    static final class AddLayerNormalization implements OpDef {
        @Override
        public String opType() {
            return "AddLayerNormalization";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.FLOATS);
            OpChecks.requireSameType(ctx, 0, 1);
            if (!ctx.shape(0).equals(ctx.shape(1))) {
                throw ctx.error("A " + ctx.shape(0) + " and B " + ctx.shape(1) + " must have one shape");
            }
            return List.of(ctx.input(0), ctx.input(0));
        }
    }

    static final class Attention implements OpDef {
        @Override
        public String opType() {
            return "Attention";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            Node n = ctx.node();
            for (int i = 0; i < 3; i++) {
                OpChecks.requireType(ctx, i, EnumSetHolder.FLOAT32);
            }
            for (int i = 3; i < 7; i++) {
                OpChecks.requireType(ctx, i, EnumSetHolder.INT32);
            }
            long[] out = n.attrInts("out_shape", null);
            if (out == null) {
                throw OpChecks.badAttribute(ctx, "out_shape", "absent", "the output shape");
            }
            for (String a : List.of("batch", "heads", "n", "m", "d", "dv")) {
                if (n.attrInt(a, 0) <= 0) {
                    throw OpChecks.badAttribute(ctx, a, n.attrInt(a, 0), "positive");
                }
            }
            return List.of(new TensorType(DataType.FLOAT32, Shape.of(out)));
        }
    }

    /** Single-type sets for the checks above. */
    private static final class EnumSetHolder {
        static final java.util.Set<DataType> INT32 = java.util.EnumSet.of(DataType.INT32);
        static final java.util.Set<DataType> FLOAT32 = java.util.EnumSet.of(DataType.FLOAT32);
    }
}
