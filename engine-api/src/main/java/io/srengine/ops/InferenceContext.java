package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** What an {@link OpDef} sees of one node during shape inference: its inputs' types and constant values. */
public final class InferenceContext {
    private final Node node;
    private final List<TensorType> inputTypes;
    private final Function<String, Tensor> constants;
    private final int opset;
    private final Predicate<String> deferred;

    /** As the full constructor, with no deferred inputs. */
    public InferenceContext(Node node, List<TensorType> inputTypes, Function<String, Tensor> constants, int opset) {
        this(node, inputTypes, constants, opset, name -> false);
    }

    /**
     * @param inputTypes one entry per node input, null for an absent optional input
     * @param constants the constant value of a value name, or null when it is not constant
     * @param deferred true for value names that are graph inputs: their values become known only when
     *     the graph is specialised to a run
     */
    public InferenceContext(Node node, List<TensorType> inputTypes, Function<String, Tensor> constants, int opset,
            Predicate<String> deferred) {
        this.node = node;
        this.inputTypes = inputTypes;
        this.constants = constants;
        this.opset = opset;
        this.deferred = deferred;
    }

    public Node node() {
        return node;
    }

    /** The opset version of the model (default domain). */
    public int opset() {
        return opset;
    }

    /** Number of input slots the node lists, absent ones included. */
    public int inputCount() {
        return node.inputs().size();
    }

    public boolean hasInput(int i) {
        return node.hasInput(i);
    }

    /** The type of input {@code i}. */
    public TensorType input(int i) {
        if (!hasInput(i)) {
            throw error("input " + i + " is required");
        }
        return inputTypes.get(i);
    }

    public Shape shape(int i) {
        return input(i).shape();
    }

    public DataType dataType(int i) {
        return input(i).dataType();
    }

    /** The value of input {@code i} when it is a constant (initializer or folded), else null. */
    public Tensor constant(int i) {
        return hasInput(i) ? constants.apply(node.input(i)) : null;
    }

    /**
     * True when input {@code i} is a graph input, not a constant: a shape-deciding op (see {@link
     * OpDef#isShapeInput}) then leaves the dimensions it decides unknown, because the value is bound
     * only when the graph is specialised to a run.
     */
    public boolean isDeferred(int i) {
        return hasInput(i) && constant(i) == null && deferred.test(node.input(i));
    }

    /**
     * The value of input {@code i}, which must be constant.
     *
     * @throws SrException {@code UNSUPPORTED_OP} naming {@code what} when it is computed at run time
     */
    public Tensor requireConstant(int i, String what) {
        Tensor t = constant(i);
        if (t == null) {
            throw unsupported(what + " (input '" + node.input(i) + "') must be a constant or computable from shapes;"
                    + " srengine does not support values that depend on tensor data here");
        }
        return t;
    }

    /** Checks that input {@code i} has a floating-point type. */
    public void requireFloat(int i) {
        DataType t = dataType(i);
        if (!t.isFloatingPoint()) {
            throw new SrException(ErrorCode.TYPE_MISMATCH, node.describe() + ": input " + i + " ('" + node.input(i)
                    + "') has type " + t + ", expected a floating-point type");
        }
    }

    /** An {@code INVALID_SHAPE} error prefixed with the node. */
    public SrException error(String message) {
        return new SrException(ErrorCode.INVALID_SHAPE, node.describe() + ": " + message);
    }

    /** An {@code UNSUPPORTED_OP} error prefixed with the node. */
    public SrException unsupported(String message) {
        return new SrException(ErrorCode.UNSUPPORTED_OP, node.describe() + ": " + message);
    }
}
