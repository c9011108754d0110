package io.srengine.rewrite;

import io.srengine.ErrorCode;
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
 * <p>Graph inputs that decide shapes — a Reshape target, Resize scales, Pad amounts, Slice bounds fed
 * at run time (see {@link io.srengine.ops.OpDef#isShapeInput}) — have their <em>values</em> bound as
 * constants too, and {@link #planKey} includes them: a backend compiles one plan per distinct input
 * shape and shape-input value.
 */
public final class ShapeSpecializer {
    private ShapeSpecializer() {}

    /** Shape-tensor inputs larger than this are refused: they would make every run a new plan. */
    public static final int MAX_SHAPE_INPUT_ELEMENTS = 4096;

    /**
     * The graph inputs whose values decide shapes: those read by some node in a slot its op marks as
     * a shape input ({@link io.srengine.ops.OpDef#isShapeInput}).
     */
    public static java.util.Set<String> shapeInputs(Graph prepared) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (io.srengine.graph.Node n : prepared.nodes()) {
            io.srengine.ops.OpDef def = io.srengine.ops.OpRegistry.get(n.opType());
            for (int i = 0; i < n.inputs().size(); i++) {
                if (def != null && def.isShapeInput(i) && prepared.isGraphInput(n.input(i))) {
                    names.add(n.input(i));
                }
            }
        }
        return names;
    }

    private static boolean bindsValue(java.util.Set<String> shapeInputs, ValueInfo in, Tensor value) {
        if (!shapeInputs.contains(in.name())) {
            return false;
        }
        if (value.size() > MAX_SHAPE_INPUT_ELEMENTS) {
            throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' decides output shapes and must be"
                    + " small, but has " + value.size() + " elements");
        }
        return true;
    }

    /**
     * A key identifying the plan for {@code inputs}: every input's shape, and the values of shape-tensor
     * inputs. Equal keys mean {@link #forInputs(Graph, Map)} gives the same graph.
     */
    public static String planKey(Graph prepared, Map<String, Tensor> inputs) {
        StringBuilder key = new StringBuilder();
        java.util.Set<String> shapeInputs = shapeInputs(prepared);
        for (ValueInfo in : prepared.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' is missing");
            }
            key.append(in.name()).append(Arrays.toString(t.shape()));
            if (bindsValue(shapeInputs, in, t)) {
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
        java.util.Set<String> shapeInputs = shapeInputs(prepared);
        for (ValueInfo in : prepared.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' is missing");
            }
            shapes.put(in.name(), t.shape());
            if (bindsValue(shapeInputs, in, t)) {
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
