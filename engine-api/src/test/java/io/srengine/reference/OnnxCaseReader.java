package io.srengine.reference;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal, test-only reader of ONNX backend test cases ({@code model.onnx} plus {@code
 * test_data_set_0/input_*.pb, output_*.pb}) for the spatial ops, independent of the importer: it
 * evaluates Constant nodes and applies the canonical rewrites the importer performs for these ops
 * (Upsample and opset-10 Resize to Resize with nearest_mode "simple", ReduceMean attribute axes to an
 * input), so that the op definitions and kernels can be checked against ONNX's data directly.
 */
final class OnnxCaseReader {
    /** A loaded case: the graph and the test data. */
    record Case(String name, Graph graph, Map<String, Tensor> inputs, List<Tensor> outputs) {}

    private OnnxCaseReader() {}

    static Case read(Path dir) throws IOException {
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        int opset = 1;
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        Onnx.GraphProto gp = model.getGraph();
        Graph g = new Graph(dir.getFileName().toString(), opset);
        for (Onnx.TensorProto t : gp.getInitializerList()) {
            g.initializers().put(t.getName(), tensor(t));
        }
        for (Onnx.ValueInfoProto v : gp.getInputList()) {
            if (!g.initializers().containsKey(v.getName())) {
                g.inputs().add(new ValueInfo(v.getName(), type(v)));
            }
        }
        for (Onnx.ValueInfoProto v : gp.getOutputList()) {
            g.outputs().add(new ValueInfo(v.getName(), type(v)));
        }
        int count = 0;
        for (Onnx.NodeProto np : gp.getNodeList()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Onnx.AttributeProto a : np.getAttributeList()) {
                attrs.put(a.getName(), attribute(a));
            }
            String name = np.getName().isEmpty() ? np.getOpType() + "_" + count : np.getName();
            count++;
            if (np.getOpType().equals("Constant")) {
                g.initializers().put(np.getOutput(0), (Tensor) attrs.get("value"));
                continue;
            }
            Node node = new Node(name, np.getOpType(), np.getDomain(), np.getInputList(), np.getOutputList(),
                    Attributes.of(attrs));
            g.nodes().add(canonical(node, g, opset));
        }
        Path data = dir.resolve("test_data_set_0");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            inputs.put(g.inputs().get(i).name(), readPb(data.resolve("input_" + i + ".pb")));
        }
        // srengine needs Resize scales/sizes/roi and ReduceMean axes as constants; ONNX's node tests
        // feed them as inputs, so they become initializers here.
        for (Node n : g.nodes()) {
            int first = n.opType().equals("Resize") || n.opType().equals("ReduceMean") ? 1 : n.inputs().size();
            for (int i = first; i < n.inputs().size(); i++) {
                String name = n.input(i);
                Tensor v = inputs.remove(name);
                if (v != null) {
                    g.initializers().put(name, v);
                    g.inputs().removeIf(in -> in.name().equals(name));
                }
            }
        }
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            outputs.add(readPb(data.resolve("output_" + i + ".pb")));
        }
        return new Case(dir.getFileName().toString(), g, inputs, outputs);
    }

    /** The rewrites the importer applies to reach the canonical form documented on OpDef. */
    private static Node canonical(Node node, Graph g, int opset) {
        if (node.opType().equals("Upsample") || (node.opType().equals("Resize") && opset < 11)) {
            Attributes a = node.attributes().without("scales")
                    .with("coordinate_transformation_mode", "asymmetric");
            String mode = node.attrString("mode", "nearest");
            a = a.with("mode", mode.equals("bilinear") ? "linear" : mode);
            if (!mode.equals("nearest")) {
                a = a.without("nearest_mode");
            } else {
                a = a.with("nearest_mode", "simple");
            }
            return new Node(node.name(), "Resize", node.domain(), List.of(node.input(0), "", node.input(1)),
                    node.outputs(), a);
        }
        if (node.opType().equals("ReduceMean") && node.attributes().has("axes")) {
            String name = node.name() + "_axes";
            long[] axes = node.attrInts("axes", null);
            g.initializers().put(name, Tensor.ofLongs(axes, axes.length));
            return new Node(node.name(), node.opType(), node.domain(), List.of(node.input(0), name), node.outputs(),
                    node.attributes().without("axes"));
        }
        return node;
    }

    static Tensor readPb(Path p) throws IOException {
        return tensor(Onnx.TensorProto.parseFrom(Files.readAllBytes(p)));
    }

    private static TensorType type(Onnx.ValueInfoProto v) {
        Onnx.TypeProto.Tensor t = v.getType().getTensorType();
        List<Dim> dims = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Dim.of(d.getDimValue())
                    : d.hasDimParam() && !d.getDimParam().isEmpty() ? Dim.symbol(d.getDimParam()) : Dim.unknown());
        }
        DataType dt = DataType.fromOnnx(t.getElemType());
        if (dt == null) {
            throw new IllegalArgumentException("type " + DataType.onnxName(t.getElemType()) + " of " + v.getName());
        }
        return new TensorType(dt, Shape.of(dims));
    }

    private static Object attribute(Onnx.AttributeProto a) {
        return switch (a.getType()) {
            case INT -> a.getI();
            case FLOAT -> a.getF();
            case STRING -> a.getS().toStringUtf8();
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield f;
            }
            case TENSOR -> tensor(a.getT());
            default -> throw new IllegalArgumentException("attribute type " + a.getType() + " of " + a.getName());
        };
    }

    static Tensor tensor(Onnx.TensorProto t) {
        int[] shape = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
        int n = Tensor.checkedSize(shape);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = t.hasRawData();
        DataType dt = DataType.fromOnnx(t.getDataType());
        if (dt == null) {
            throw new IllegalArgumentException("tensor type " + DataType.onnxName(t.getDataType()));
        }
        return switch (dt) {
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = hasRaw ? raw.getFloat(4 * i) : t.getFloatData(i);
                }
                yield Tensor.of(f, shape);
            }
            case INT64 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = hasRaw ? raw.getLong(8 * i) : t.getInt64Data(i);
                }
                yield Tensor.ofLongs(l, shape);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = hasRaw ? raw.getInt(4 * i) : t.getInt32Data(i);
                }
                yield Tensor.ofInts(v, shape);
            }
            case UINT8, INT8, BOOL -> {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    b[i] = hasRaw ? raw.get(i) : (byte) t.getInt32Data(i);
                }
                yield Tensor.ofBytes(dt, b, shape);
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = hasRaw ? raw.getDouble(8 * i) : t.getDoubleData(i);
                }
                yield Tensor.ofDoubles(d, shape);
            }
            default -> throw new IllegalArgumentException("tensor type " + dt);
        };
    }

    /** The op types of a case's model, read without its test data. */
    static Set<String> opTypes(Path dir) throws IOException {
        Set<String> s = new HashSet<>();
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        model.getGraph().getNodeList().forEach(n -> s.add(n.getOpType()));
        return s;
    }

    /** The op types a case uses, Constant excluded. */
    static Set<String> opTypes(Graph g) {
        Set<String> s = new HashSet<>();
        g.nodes().forEach(n -> s.add(n.opType()));
        return s;
    }
}
