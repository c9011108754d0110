package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Spatial pooling: AveragePool, MaxPool, GlobalAveragePool, GlobalMaxPool; plus BatchNormalization. */
final class PoolOps {
    private PoolOps() {}

    static List<OpDef> defs() {
        return List.of(new Pool("AveragePool"), new Pool("MaxPool"), new GlobalPool("GlobalAveragePool"),
                new GlobalPool("GlobalMaxPool"), new BatchNormalizationDef());
    }

    /** AveragePool and MaxPool: shapes from {@link PoolSpec}. */
    static final class Pool implements OpDef {
        private final String opType;

        Pool(String opType) {
            this.opType = opType;
        }

        @Override
        public String opType() {
            return opType;
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            if (opType.equals("MaxPool")) {
                OpErrors.requireFloatImplemented(ctx, 0);
            } else {
                ctx.requireFloat(0);
            }
            if (ctx.node().outputs().size() > 1 && !ctx.node().output(1).isEmpty()) {
                throw ctx.unsupported("the Indices output ('" + ctx.node().output(1) + "') is not supported");
            }
            Shape out = PoolSpec.outputShape(ctx.node(), ctx.shape(0));
            return List.of(new TensorType(ctx.dataType(0), out));
        }
    }

    /** GlobalAveragePool and GlobalMaxPool: {@code [N, C, D1..Dn]} to {@code [N, C, 1..1]}. */
    static final class GlobalPool implements OpDef {
        private final String opType;

        GlobalPool(String opType) {
            this.opType = opType;
        }

        @Override
        public String opType() {
            return opType;
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            ctx.requireFloat(0);
            Shape x = ctx.shape(0);
            if (x.rank() < 3) {
                throw ctx.error("input X has shape " + x + "; " + opType + " needs [N, C, D1, ...]");
            }
            List<Dim> out = new ArrayList<>(x.dims());
            for (int i = 2; i < out.size(); i++) {
                if (out.get(i).isKnown() && out.get(i).value() == 0) {
                    throw ctx.error("input X " + x + " is empty along spatial axis " + (i - 2));
                }
                out.set(i, Dim.of(1));
            }
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
    }
}
