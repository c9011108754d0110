package io.srengine.ops;

import java.util.List;

/** Operator definitions of the tensor-manipulation ops: layout, shape arithmetic, indexing, padding. */
final class TensorOps {
    private TensorOps() {}

    static List<OpDef> defs() {
        return List.of(
                new ConcatOp(),
                new ReshapeOp(),
                new TransposeOp(),
                new SqueezeOp(),
                new UnsqueezeOp(),
                new FlattenOp(),
                new PadOp(),
                new DepthToSpaceOp(),
                new SpaceToDepthOp(),
                new ShapeOp(),
                new GatherOp(),
                new SliceOp(),
                new ConstantOfShapeOp(),
                new ExpandOp(),
                new TileOp(),
                new RangeOp(),
                new ScatterNDOp(),
                new SizeOp());
    }
}
