package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/** Tile: dimension k is repeated {@code repeats[k]} times (input 1, 1-D int64 of the input's rank). */
final class TileOp implements OpDef {
    @Override
    public String opType() {
        return "Tile";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        long length = OpChecks.requireVector(ctx, 1, "repeats");
        if (length >= 0 && length != in.rank()) {
            throw ctx.error("repeats has " + length + " values for an input of rank " + in.rank() + " (shape " + in + ")");
        }
        Dim[] out = in.dims().toArray(new Dim[0]);
        Tensor repeats = ctx.constant(1);
        if (repeats == null) {
            Arrays.setAll(out, k -> Dim.unknown());
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
        long[] r = OpChecks.vector(ctx, repeats, 1, "repeats");
        if (r.length != in.rank()) {
            throw ctx.error("repeats has " + r.length + " values for an input of rank " + in.rank() + " (shape " + in + ")");
        }
        for (int k = 0; k < out.length; k++) {
            if (r[k] < 0) {
                throw ctx.error("repeats " + Arrays.toString(r) + " has a negative count");
            }
            out[k] = out[k].times(r[k]);
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }
}
