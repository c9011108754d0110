package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one node with typed inputs (symbolic or known, optionally constant) and runs its op
 * definition's shape inference, for tests of shapes and of the errors bad attributes give.
 */
final class NodeInference {
    private final String opType;
    private final List<String> inputs = new ArrayList<>();
    private final List<TensorType> types = new ArrayList<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Object> attrs = new LinkedHashMap<>();
    private List<String> outputs = List.of("y");

    private NodeInference(String opType) {
        this.opType = opType;
    }

    static NodeInference of(String opType) {
        return new NodeInference(opType);
    }

    /** A float32 input; a String dim is a symbol, a Number is known. */
    NodeInference input(Object... dims) {
        return typed(DataType.FLOAT32, dims);
    }

    NodeInference typed(DataType type, Object... dims) {
        Dim[] d = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i] instanceof String s ? Dim.symbol(s) : Dim.of(((Number) dims[i]).longValue());
        }
        String name = "in" + inputs.size();
        inputs.add(name);
        types.add(new TensorType(type, Shape.of(d)));
        return this;
    }

    /** A constant input. */
    NodeInference constant(Tensor t) {
        String name = "in" + inputs.size();
        inputs.add(name);
        types.add(TensorType.of(t.dataType(), t.shape()));
        constants.put(name, t);
        return this;
    }

    /** An absent optional input. */
    NodeInference absent() {
        inputs.add("");
        types.add(null);
        return this;
    }

    NodeInference attr(String name, Object value) {
        attrs.put(name, value);
        return this;
    }

    NodeInference outputs(String... names) {
        outputs = List.of(names);
        return this;
    }

    Node node() {
        return new Node("n1", opType, inputs, outputs, Attributes.of(attrs));
    }

    List<TensorType> inferAll() {
        Node node = node();
        return OpRegistry.get(opType).infer(new InferenceContext(node, types, constants::get, 21));
    }

    /** The shape of output 0. */
    Shape infer() {
        return inferAll().getFirst().shape();
    }
}
