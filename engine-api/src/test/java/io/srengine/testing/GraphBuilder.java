package io.srengine.testing;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small fluent helper for building test graphs in code. Shared with backend modules via the test-jar. */
public final class GraphBuilder {
    private final Graph graph;
    private int counter;

    public GraphBuilder(String name, int opset) {
        graph = new Graph(name, opset);
    }

    /** A float input of the given dims; a String dim is symbolic, a Number is fixed. */
    public String input(String name, Object... dims) {
        Dim[] d = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i] instanceof String s ? Dim.symbol(s) : Dim.of(((Number) dims[i]).longValue());
        }
        graph.inputs().add(new ValueInfo(name, new TensorType(DataType.FLOAT32, Shape.of(d))));
        return name;
    }

    public String constant(String prefix, Tensor value) {
        String name = prefix + "_" + (counter++);
        graph.initializers().put(name, value);
        return name;
    }

    /** A float constant filled with seeded uniform values in [-scale, scale]. */
    public String random(String prefix, long seed, float scale, int... shape) {
        return constant(prefix, randomTensor(seed, scale, shape));
    }

    public String ints(String prefix, long... values) {
        return constant(prefix, Tensor.ofLongs(values.clone(), values.length));
    }

    /** Adds a node with one output and returns the output name. */
    public String op(String opType, List<String> inputs, Map<String, ?> attributes) {
        String out = opType.toLowerCase() + "_" + (counter++);
        graph.nodes().add(new Node(opType + "_" + counter, opType, inputs, List.of(out),
                attributes == null ? Attributes.empty() : Attributes.of(attributes)));
        return out;
    }

    public String op(String opType, List<String> inputs) {
        return op(opType, inputs, null);
    }

    public String op(String opType, String... inputs) {
        return op(opType, Arrays.asList(inputs), null);
    }

    public GraphBuilder output(String value) {
        graph.outputs().add(new ValueInfo(value, new TensorType(DataType.FLOAT32, Shape.scalar())));
        return this;
    }

    public Graph build() {
        return graph;
    }

    /** Seeded uniform values in [-scale, scale]. */
    public static Tensor randomTensor(long seed, float scale, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return Tensor.of(v, shape);
    }
}
