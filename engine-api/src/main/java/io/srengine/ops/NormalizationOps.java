package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Operator definitions of Softmax, LogSoftmax and LayerNormalization. */
final class NormalizationOps {
    private NormalizationOps() {}

    static List<OpDef> defs() {
        return List.of(new SoftmaxOp("Softmax"), new SoftmaxOp("LogSoftmax"), new LayerNormalizationOp());
    }

    /**
     * Softmax and LogSoftmax along one axis (opset 13 and later; the canonical form, see {@link
     * io.srengine.onnx.OnnxImporter}, gives older models' "flatten from axis" semantics with Flatten
     * and Reshape around it).
     */
    static final class SoftmaxOp implements OpDef {
        private final String opType;

        SoftmaxOp(String opType) {
            this.opType = opType;
        }

        @Override
        public String opType() {
            return opType;
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.FLOATS);
            int rank = ctx.shape(0).rank();
            OpChecks.axis(ctx, ctx.node().attrInt("axis", -1), Math.max(rank, 1), "axis");
            return List.of(ctx.input(0));
        }
    }

    /**
     * LayerNormalization (opset 17): normalises over the axes from {@code axis} to the last, then
     * scales and shifts; the optional outputs Mean and InvStdDev keep the leading axes and have size 1
     * on the normalised ones. {@code stash_type} 1 (float32 statistics) is the only value ONNX defines
     * for these inputs.
     */
    static final class LayerNormalizationOp implements OpDef {
        @Override
        public String opType() {
            return "LayerNormalization";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, OpChecks.FLOATS);
            Shape x = ctx.shape(0);
            int axis = OpChecks.axis(ctx, ctx.node().attrInt("axis", -1), x.rank(), "axis");
            ctx.node().attrFloat("epsilon", 1e-5f);
            long stash = ctx.node().attrInt("stash_type", 1);
            if (stash != 1) {
                throw ctx.unsupported("stash_type " + stash + " is not supported (srengine computes statistics in"
                        + " float32 or wider, stash_type 1)");
            }
            Shape normalized = Shape.of(x.dims().subList(axis, x.rank()));
            OpChecks.requireType(ctx, 1, OpChecks.FLOATS);
            Broadcast.checkUnidirectional(ctx.node().describe() + " Scale", ctx.shape(1), normalized);
            if (ctx.hasInput(2)) {
                OpChecks.requireSameType(ctx, 1, 2);
                Broadcast.checkUnidirectional(ctx.node().describe() + " B", ctx.shape(2), normalized);
            }
            List<Dim> stat = new ArrayList<>(x.dims().subList(0, axis));
            for (int i = axis; i < x.rank(); i++) {
                stat.add(Dim.of(1));
            }
            TensorType stats = new TensorType(DataType.FLOAT32, Shape.of(stat));
            return List.of(ctx.input(0), stats, stats);
        }
    }
}
