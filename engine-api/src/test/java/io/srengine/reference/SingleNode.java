package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.spi.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one node on the reference backend through the whole path (checks, shape inference, per-shape
 * specialisation, kernel): input 0 is fed at run time, the others are constants; null is an absent input.
 */
final class SingleNode {
    private SingleNode() {}

    static Tensor run(String opType, Map<String, ?> attrs, Tensor x, Tensor... rest) {
        Graph g = new Graph(opType, 21);
        g.inputs().add(new ValueInfo("x", TensorType.of(x.dataType(), x.shape())));
        List<String> inputs = new ArrayList<>(List.of("x"));
        for (int i = 0; i < rest.length; i++) {
            if (rest[i] == null) {
                inputs.add("");
            } else {
                g.initializers().put("c" + i, rest[i]);
                inputs.add("c" + i);
            }
        }
        g.nodes().add(new Node("n", opType, inputs, List.of("y"), Attributes.of(attrs)));
        g.outputs().add(new ValueInfo("y", TensorType.of(x.dataType())));
        GraphPreparer.prepare(g, false);
        try (ReferenceBackend backend = new ReferenceBackend(); CompiledModel m = backend.compile(g)) {
            return m.run(Map.of("x", x)).get("y");
        }
    }

    static Tensor t(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    /** 0, 1, 2, ... in the given shape. */
    static Tensor iota(int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }
}
