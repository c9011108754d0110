package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.srengine.DataType;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.reference.ReferenceBackend;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.spi.CompiledModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * Builds a graph of one node for op tests: inputs fed at run time, constants (initializers),
 * symbolic inputs for shape inference, and absent optional inputs. {@link #run()} goes the whole way
 * a model goes (checks, shape inference with folding, specialisation, reference kernels).
 */
public final class SingleNodeGraph {
    private final String opType;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<ValueInfo> graphInputs = new ArrayList<>();
    private final Map<String, Tensor> feeds = new LinkedHashMap<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();

    private SingleNodeGraph(String opType) {
        this.opType = opType;
    }

    public static SingleNodeGraph op(String opType) {
        return new SingleNodeGraph(opType);
    }

    public SingleNodeGraph attr(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    /** An input fed at run time. */
    public SingleNodeGraph input(Tensor value) {
        String name = "in" + inputNames.size();
        inputNames.add(name);
        graphInputs.add(new ValueInfo(name, TensorType.of(value.dataType(), value.shape())));
        feeds.put(name, value);
        return this;
    }

    /** A constant input (an initializer). */
    public SingleNodeGraph constant(Tensor value) {
        String name = "c" + inputNames.size();
        inputNames.add(name);
        initializers.put(name, value);
        return this;
    }

    /** A constant int64 vector input. */
    public SingleNodeGraph constant(long... values) {
        return constant(Tensor.ofLongs(values, values.length));
    }

    /** An input known only by type, for shape inference. */
    public SingleNodeGraph symbolic(DataType type, Dim... dims) {
        String name = "in" + inputNames.size();
        inputNames.add(name);
        graphInputs.add(new ValueInfo(name, new TensorType(type, Shape.of(dims))));
        return this;
    }

    /** An absent optional input. */
    public SingleNodeGraph absent() {
        inputNames.add("");
        return this;
    }

    public Graph graph() {
        Graph g = new Graph("test", 21);
        g.inputs().addAll(graphInputs);
        g.initializers().putAll(initializers);
        g.outputs().add(new ValueInfo("out0", TensorType.of(DataType.FLOAT32)));
        g.nodes().add(new Node("n", opType, inputNames, List.of("out0"), Attributes.of(attributes)));
        return g;
    }

    /** The type shape inference gives the output, without constant folding. */
    public TensorType infer() {
        Graph g = graph();
        ShapeInference.infer(g);
        return g.valueTypes().get("out0");
    }

    /** Runs the node on the reference backend and returns its output. */
    public Tensor run() {
        Graph g = GraphPreparer.prepare(graph(), false);
        try (CompiledModel m = new ReferenceBackend().compile(g)) {
            return m.run(feeds).get("out0");
        }
    }

    /** Asserts that {@code action} fails with an SrException and returns it. */
    public static SrException fails(Executable action) {
        return assertThrows(SrException.class, action);
    }
}
