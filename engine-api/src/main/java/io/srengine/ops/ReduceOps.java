package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.TensorType;
import java.util.List;
import java.util.Set;

/**
 * The reductions: ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2,
 * ReduceSumSquare, ReduceLogSum and ReduceLogSumExp, with the axes as optional input 1 (canonical
 * form: older opsets' attribute arrives as an input), {@code keepdims} and {@code noop_with_empty_axes}.
 */
final class ReduceOps {
    /** The reductions that srengine also computes on integer tensors. */
    static final Set<String> WITH_INTEGERS = Set.of("ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceSumSquare");

    private ReduceOps() {}

    static List<OpDef> defs() {
        return List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp").stream().map(ReduceDef::new).map(d -> (OpDef) d)
                .toList();
    }

    static final class ReduceDef implements OpDef {
        private final String opType;

        ReduceDef(String opType) {
            this.opType = opType;
        }

        @Override
        public String opType() {
            return opType;
        }

        @Override
        public boolean isShapeInput(int index) {
            return index == 1;
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            if (WITH_INTEGERS.contains(opType)) {
                OpChecks.requireType(ctx, 0, OpChecks.NUMERIC);
            } else {
                OpErrors.requireFloatImplemented(ctx, 0);
            }
            Tensor axes = null;
            if (ctx.hasInput(1)) {
                DataType t = ctx.dataType(1);
                if (t != DataType.INT64 && t != DataType.INT32) {
                    throw new SrException(ErrorCode.TYPE_MISMATCH, ctx.node().describe() + ": axes ('"
                            + ctx.node().input(1) + "') has type " + t + ", expected INT64");
                }
                if (ctx.isDeferred(1)) {
                    boolean keep = ctx.node().attrInt("keepdims", 1) != 0;
                    return List.of(OpChecks.deferredAxes(ctx, 1, ctx.shape(0).rank(), keep ? 0 : -1));
                }
                axes = ctx.requireConstant(1, "axes");
            }
            ReduceSpec spec = ReduceSpec.of(ctx.node(), ctx.shape(0).rank(), axes);
            return List.of(new TensorType(ctx.dataType(0), spec.outputShape(ctx.shape(0))));
        }
    }
}
