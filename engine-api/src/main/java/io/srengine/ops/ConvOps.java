package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.SrException;
import io.srengine.ErrorCode;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/** Conv and ConvTranspose, with srengine's fused activation (see {@link FusedActivation}). */
final class ConvOps {
    private ConvOps() {}

    static List<OpDef> defs() {
        return List.of(new Conv(), new ConvTranspose());
    }

    /** ONNX Conv: shapes from {@link ConvSpec}. */
    static final class Conv implements OpDef {
        @Override
        public String opType() {
            return "Conv";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            DataType t = checkTypes(ctx);
            Shape out = ConvSpec.outputShape(ctx.node(), ctx.shape(0), ctx.shape(1));
            checkBiasAndActivation(ctx, out.dim(1));
            return List.of(new TensorType(t, out));
        }
    }

    /** ONNX ConvTranspose: shapes from {@link ConvTransposeSpec}. */
    static final class ConvTranspose implements OpDef {
        @Override
        public String opType() {
            return "ConvTranspose";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            DataType t = checkTypes(ctx);
            Shape out = ConvTransposeSpec.outputShape(ctx.node(), ctx.shape(0), ctx.shape(1));
            checkBiasAndActivation(ctx, out.dim(1));
            return List.of(new TensorType(t, out));
        }
    }

    /** X, W and B share one floating-point type, which the output has too. */
    private static DataType checkTypes(InferenceContext ctx) {
        ctx.requireFloat(0);
        DataType t = ctx.dataType(0);
        for (int i = 1; i <= 2; i++) {
            if (i == 1 || ctx.hasInput(i)) {
                if (ctx.dataType(i) != t) {
                    throw new SrException(ErrorCode.TYPE_MISMATCH, ctx.node().describe() + ": input " + i + " ('"
                            + ctx.node().input(i) + "') has type " + ctx.dataType(i) + " but X has " + t);
                }
            }
        }
        if (ctx.node().outputs().size() != 1) {
            throw ctx.error("has " + ctx.node().outputs().size() + " outputs; " + ctx.node().opType() + " has one");
        }
        return t;
    }

    /** B is {@code [M]}; a fused activation is one srengine knows, and a fused PRelu has 1 or M slopes. */
    static void checkBiasAndActivation(InferenceContext ctx, Dim channels) {
        Node node = ctx.node();
        if (ctx.hasInput(2)) {
            Shape b = ctx.shape(2);
            if (b.rank() != 1 || (b.dim(0).isKnown() && channels.isKnown() && b.dim(0).value() != channels.value())) {
                throw ctx.error("bias B has shape " + b + " but the output has " + channels + " channels");
            }
        }
        String kind = node.attrString(FusedActivation.ATTR_KIND, null);
        boolean prelu = "PRelu".equals(kind);
        if (kind != null && !prelu) {
            FusedActivation.of(node, null);
        }
        int slope = FusedActivation.SLOPE_INPUT;
        if (prelu != ctx.hasInput(slope)) {
            throw new SrException(ErrorCode.INVALID_GRAPH, node.describe() + (prelu
                    ? ": fused PRelu has no slope input " + slope
                    : ": input " + slope + " ('" + node.input(slope) + "') is only valid with a fused PRelu"));
        }
        if (prelu) {
            Dim count = ctx.shape(slope).elementCount();
            if (count.isKnown() && count.value() != 1 && channels.isKnown() && count.value() != channels.value()) {
                throw ctx.error("fused PRelu slope has shape " + ctx.shape(slope) + "; it needs 1 or " + channels
                        + " values, one per output channel");
            }
        }
        if (node.inputs().size() > slope + 1) {
            throw ctx.error("has " + node.inputs().size() + " inputs; at most " + (slope + 1) + " are allowed");
        }
    }
}
