package io.srengine.rewrite;

import io.srengine.ErrorCode;
import io.srengine.SrException;
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
 */
public final class ShapeSpecializer {
    private ShapeSpecializer() {}

    /**
     * A copy of {@code prepared} specialised to {@code inputShapes} (by graph input name).
     *
     * @throws SrException {@code INVALID_SHAPE} when some value's shape still is not concrete or does not compute
     */
    public static Graph specialize(Graph prepared, Map<String, int[]> inputShapes) {
        Graph g = prepared.copy();
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
