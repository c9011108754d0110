package io.srengine.rewrite;

import io.srengine.ErrorCode;
import io.srengine.DataType;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.ops.ShapeInference;
import io.srengine.reference.ReferenceFolder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Binds a prepared graph to concrete input shapes: every value gets a concrete type, and shape
 * arithmetic that a dynamic-axes export computes at run time (Shape, Gather, Concat on shapes...) is
 * folded into constants. Backends compile the result once per input shape.
 *
 * <p>Integer graph inputs (INT64/INT32, at most {@value #MAX_SHAPE_INPUT_ELEMENTS} elements) are
 * shape tensors in practice — a Reshape target, Pad amounts, Slice bounds fed at run time — so their
 * <em>values</em> are bound as constants too, and {@link #planKey} includes them: a backend compiles
 * one plan per distinct shape and shape-tensor value.
 */
public final class ShapeSpecializer {
    private ShapeSpecializer() {}

    /** Integer inputs up to this size are treated as compile-time constants. */
    public static final int MAX_SHAPE_INPUT_ELEMENTS = 4096;

    /** True when graph input {@code in} is a shape tensor whose value is bound at specialisation. */
    public static boolean isShapeInput(ValueInfo in, Tensor value) {
        DataType t = in.type().dataType();
        return (t == DataType.INT64 || t == DataType.INT32) && value != null && value.size() <= MAX_SHAPE_INPUT_ELEMENTS;
    }

    /**
     * A key identifying the plan for {@code inputs}: every input's shape, and the values of shape-tensor
     * inputs. Equal keys mean {@link #forInputs(Graph, Map)} gives the same graph.
     */
    public static String planKey(Graph prepared, Map<String, Tensor> inputs) {
        StringBuilder key = new StringBuilder();
        for (ValueInfo in : prepared.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' is missing");
            }
            key.append(in.name()).append(Arrays.toString(t.shape()));
            if (isShapeInput(in, t)) {
                key.append('=').append(Arrays.toString(t.toLongArray()));
            }
            key.append(';');
        }
        return key.toString();
    }

    /**
     * A copy of {@code prepared} specialised to the shapes of {@code inputs}, with shape-tensor inputs
     * bound to their values (they are no longer inputs of the result).
     */
    public static Graph forInputs(Graph prepared, Map<String, Tensor> inputs) {
        Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
        Map<String, Tensor> constants = new java.util.LinkedHashMap<>();
        for (ValueInfo in : prepared.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' is missing");
            }
            shapes.put(in.name(), t.shape());
            if (isShapeInput(in, t)) {
                constants.put(in.name(), t);
            }
        }
        return specialize(prepared, shapes, constants);
    }

    /**
     * A copy of {@code prepared} specialised to {@code inputShapes} (by graph input name).
     *
     * @throws SrException {@code INVALID_SHAPE} when some value's shape still is not concrete or does not compute
     */
    public static Graph specialize(Graph prepared, Map<String, int[]> inputShapes) {
        return specialize(prepared, inputShapes, Map.of());
    }

    private static Graph specialize(Graph prepared, Map<String, int[]> inputShapes, Map<String, Tensor> constants) {
        Graph g = prepared.copy();
        g.inputs().removeIf(in -> constants.containsKey(in.name()));
        g.initializers().putAll(constants);
        List<ValueInfo> inputs = g.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            ValueInfo in = inputs.get(i);
            int[] dims = inputShapes.get(in.name());
            if (dims == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "no shape given for input '" + in.name() + "'");
            }
            inputs.set(i, new ValueInfo(in.name(), new TensorType(in.type().dataType(), Shape.of(dims))));
        }
        ShapeInference.infer(g, ReferenceFolder.INSTANCE);
        g.removeDeadCode();
        for (Map.Entry<String, TensorType> e : g.valueTypes().entrySet()) {
            Shape s = e.getValue().shape();
            if (!s.isKnown()) {
                throw new SrException(ErrorCode.INVALID_SHAPE, "the shape of '" + e.getKey() + "' is " + s
                        + " for inputs " + describe(inputShapes) + "; it cannot be computed before running");
            }
            s.toIntArray();
        }
        return g;
    }

    static String describe(Map<String, int[]> shapes) {
        StringBuilder sb = new StringBuilder("{");
        shapes.forEach((k, v) -> sb.append(sb.length() == 1 ? "" : ", ").append(k).append('=').append(Arrays.toString(v)));
        return sb.append('}').toString();
    }
}
