package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * ScatterND(data, indices, updates): a copy of data with the slices addressed by the last axis of
 * indices replaced by (or, with {@code reduction} add, mul, max or min, combined with) updates.
 * Exported transformers fill their shifted-window region maps with it.
 */
final class ScatterNDOp implements OpDef {
    @Override
    public String opType() {
        return "ScatterND";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        OpChecks.requireSameType(ctx, 0, 2);
        String reduction = ctx.node().attrString("reduction", "none");
        if (!List.of("none", "add", "mul", "max", "min").contains(reduction)) {
            throw OpChecks.badAttribute(ctx, "reduction", "'" + reduction + "'", "none, add, mul, max or min");
        }
        Shape data = ctx.shape(0);
        Shape idx = ctx.shape(1);
        Shape upd = ctx.shape(2);
        if (idx.rank() < 1) {
            throw ctx.error("indices must have rank 1 or more, got " + idx);
        }
        Dim k = idx.dim(idx.rank() - 1);
        if (k.isKnown()) {
            int kk = (int) k.value();
            if (kk > data.rank()) {
                throw ctx.error("indices address " + kk + " axes of data of rank " + data.rank());
            }
            int expectedRank = idx.rank() - 1 + data.rank() - kk;
            if (upd.rank() != expectedRank) {
                throw ctx.error("updates " + upd + " should have rank " + expectedRank + " (indices " + idx
                        + ", data " + data + ")");
            }
            for (int i = 0; i < expectedRank; i++) {
                Dim want = i < idx.rank() - 1 ? idx.dim(i) : data.dim(kk + i - (idx.rank() - 1));
                Dim got = upd.dim(i);
                if (want.isKnown() && got.isKnown() && want.value() != got.value()) {
                    throw ctx.error("updates " + upd + " do not match indices " + idx + " and data " + data
                            + " on axis " + i);
                }
            }
        }
        return List.of(ctx.input(0));
    }
}
