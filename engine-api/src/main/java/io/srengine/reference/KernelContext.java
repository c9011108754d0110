package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import java.util.List;

/** What a {@link ReferenceKernel} sees of one node at run time: its input tensors and output types. */
public final class KernelContext {
    private final Node node;
    private final Tensor[] inputs;
    private final List<TensorType> outputTypes;
    private final int opset;

    /**
     * @param inputs one entry per node input, null for an absent optional input
     * @param outputTypes the concrete types inferred for the node's outputs
     */
    public KernelContext(Node node, Tensor[] inputs, List<TensorType> outputTypes, int opset) {
        this.node = node;
        this.inputs = inputs;
        this.outputTypes = outputTypes;
        this.opset = opset;
    }

    public Node node() {
        return node;
    }

    public int opset() {
        return opset;
    }

    public int inputCount() {
        return inputs.length;
    }

    /** Input {@code i}, or null when absent. */
    public Tensor input(int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    public boolean hasInput(int i) {
        return input(i) != null;
    }

    public TensorType outputType(int i) {
        return outputTypes.get(i);
    }

    /** The concrete shape of output {@code i}. */
    public int[] outputShape(int i) {
        return outputTypes.get(i).shape().toIntArray();
    }

    /** A zero-filled tensor of output {@code i}'s type and shape. */
    public Tensor allocateOutput(int i) {
        return Tensor.allocate(outputTypes.get(i).dataType(), outputShape(i));
    }

    public SrException error(String message) {
        return new SrException(ErrorCode.INVALID_SHAPE, node.describe() + ": " + message);
    }
}
