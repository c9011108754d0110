package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.ops.ShapeInference;
import java.util.List;

/** Constant folding through the reference kernels: evaluates a node whose inputs are all constant. */
public final class ReferenceFolder implements ShapeInference.Folder {
    public static final ReferenceFolder INSTANCE = new ReferenceFolder();

    private ReferenceFolder() {}

    @Override
    public Tensor[] fold(Node node, List<Tensor> inputs, List<TensorType> outputTypes, int opset) {
        ReferenceKernel k = ReferenceKernels.get(node.opType());
        if (k == null) {
            throw new SrException(ErrorCode.INTERNAL, "no reference kernel for " + node.describe());
        }
        for (TensorType t : outputTypes) {
            if (!t.shape().isKnown()) {
                return null;
            }
        }
        return k.run(new KernelContext(node, inputs.toArray(new Tensor[0]), outputTypes, opset));
    }
}
