package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * Squeeze (opset 13 form: axes as the optional input 1). Named axes must have size 1; without axes
 * every size-1 dimension goes, which needs every dimension known.
 */
final class SqueezeOp implements OpDef {
    @Override
    public String opType() {
        return "Squeeze";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        boolean[] drop = new boolean[in.rank()];
        if (ctx.isDeferred(1)) {
            return List.of(OpChecks.deferredAxes(ctx, 1, in.rank(), -1));
        }
        if (ctx.hasInput(1)) {
            OpChecks.requireType(ctx, 1, OpChecks.INT64);
            long[] axes = OpChecks.vector(ctx, ctx.requireConstant(1, "the axes"), 1, "axes");
            for (int a : OpChecks.axes(ctx, axes, in.rank(), "axes")) {
                Dim d = in.dim(a);
                if (d.isKnown() && d.value() != 1) {
                    throw ctx.error("cannot squeeze axis " + a + " of shape " + in + ": its size is " + d + ", not 1");
                }
                drop[a] = true;
            }
        } else {
            for (int k = 0; k < in.rank(); k++) {
                Dim d = in.dim(k);
                if (!d.isKnown()) {
                    throw ctx.unsupported("Squeeze without axes on shape " + in + " cannot tell whether dimension "
                            + k + " (" + d + ") is 1; give the axes explicitly");
                }
                drop[k] = d.value() == 1;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int k = 0; k < in.rank(); k++) {
            if (!drop[k]) {
                out.add(in.dim(k));
            }
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }
}
