package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * SpaceToDepth on NCHW: {@code [N, C, H, W] -> [N, C*b*b, H/b, W/b]}; output channel
 * {@code (i*b + j)*C + c} holds input channel c at block offset (i, j), the inverse of
 * DepthToSpace in DCR mode.
 */
final class SpaceToDepthOp implements OpDef {
    @Override
    public String opType() {
        return "SpaceToDepth";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        long b = DepthToSpaceOp.blockSize(ctx);
        Shape in = ctx.shape(0);
        if (in.rank() != 4) {
            throw ctx.error("expects a 4-D NCHW input, got shape " + in);
        }
        for (int k = 2; k <= 3; k++) {
            Dim d = in.dim(k);
            if (d.isKnown() && d.value() % b != 0) {
                throw ctx.error((k == 2 ? "height " : "width ") + d.value() + " (shape " + in
                        + ") is not divisible by blocksize " + b);
            }
        }
        Shape out = Shape.of(in.dim(0), in.dim(1).times(b * b), in.dim(2).floorDiv(b), in.dim(3).floorDiv(b));
        return List.of(new TensorType(ctx.dataType(0), out));
    }
}
