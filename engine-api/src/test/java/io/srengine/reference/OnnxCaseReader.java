package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxImporter;
import io.srengine.onnx.OnnxTensors;
import io.srengine.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX backend test case ({@code model.onnx} plus {@code test_data_set_0/input_*.pb,
 * output_*.pb}) through the real importer, then turns the inputs that srengine needs as constants
 * (Resize roi/scales/sizes, ReduceMean axes), which ONNX's node tests feed at run time, into
 * initializers holding the test data's values.
 */
final class OnnxCaseReader {
    /** A loaded case: the imported graph and the test data. */
    record Case(String name, Graph graph, Map<String, Tensor> inputs, List<Tensor> outputs) {}

    private OnnxCaseReader() {}

    static Case read(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Graph g = OnnxImporter.read(Files.readAllBytes(dir.resolve("model.onnx")), dir, name);
        Path data = dir.resolve("test_data_set_0");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            inputs.put(g.inputs().get(i).name(), OnnxTensors.readFile(data.resolve("input_" + i + ".pb")));
        }
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            outputs.add(OnnxTensors.readFile(data.resolve("output_" + i + ".pb")));
        }
        for (Node n : g.nodes()) {
            if (!n.opType().equals("Resize") && !n.opType().equals("ReduceMean")) {
                continue;
            }
            for (int i = 1; i < n.inputs().size(); i++) {
                String value = n.input(i);
                Tensor v = inputs.remove(value);
                if (v != null) {
                    g.initializers().put(value, v);
                    g.inputs().removeIf((ValueInfo in) -> in.name().equals(value));
                }
            }
        }
        return new Case(name, g, inputs, outputs);
    }

    /** The op types of a case's model, read without importing it. */
    static Set<String> opTypes(Path dir) throws IOException {
        Set<String> s = new HashSet<>();
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        model.getGraph().getNodeList().forEach(n -> s.add(n.getOpType()));
        return s;
    }

    /** The op types of an imported graph. */
    static Set<String> opTypes(Graph g) {
        Set<String> s = new HashSet<>();
        g.nodes().forEach(n -> s.add(n.opType()));
        return s;
    }
}
