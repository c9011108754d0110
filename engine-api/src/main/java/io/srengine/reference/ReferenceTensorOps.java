package io.srengine.reference;

import java.util.Map;

/** Reference kernels of the tensor-manipulation ops: layout, shape arithmetic, indexing, padding. */
final class ReferenceTensorOps {
    private ReferenceTensorOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        ReferenceKernel reshape = new ReferenceReshape();
        kernels.put("Reshape", reshape);
        kernels.put("Squeeze", reshape);
        kernels.put("Unsqueeze", reshape);
        kernels.put("Flatten", reshape);
        kernels.put("Concat", new ReferenceConcat());
        kernels.put("Transpose", new ReferenceTranspose());
        kernels.put("Pad", new ReferencePad());
        kernels.put("DepthToSpace", new ReferenceDepthToSpace(true));
        kernels.put("SpaceToDepth", new ReferenceDepthToSpace(false));
        kernels.put("Shape", new ReferenceShape());
        kernels.put("Gather", new ReferenceGather());
        kernels.put("Slice", new ReferenceSlice());
        kernels.put("ConstantOfShape", new ReferenceConstantOfShape());
        kernels.put("Expand", new ReferenceExpand());
        kernels.put("Tile", new ReferenceTile());
        kernels.put("Range", new ReferenceRange());
        kernels.put("ScatterND", new ReferenceScatterND());
        kernels.put("Size", ctx -> new io.srengine.Tensor[] {io.srengine.Tensor.ofLongs(new long[] {ctx.input(0).size()})});
    }
}
