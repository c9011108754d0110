package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only reader for one case of ONNX's backend node tests (a single-node {@code model.onnx}
 * with {@code test_data_set_0/input_*.pb} and {@code output_*.pb}), enough to run our ops on them
 * without the importer. Int64 inputs become initializers, because srengine needs shape parameters
 * (Reshape shapes, Slice starts, Pad amounts...) to be constant; the other inputs are fed at run time.
 */
final class OnnxNodeCase {
    final Graph graph;
    final Map<String, Tensor> feeds = new LinkedHashMap<>();
    final List<Tensor> expected = new ArrayList<>();
    /** Why the case cannot run on srengine at all (a type it has no storage for), or null. */
    final String unsupported;

    OnnxNodeCase(Path dir) throws IOException {
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        Onnx.GraphProto g = model.getGraph();
        int opset = 1;
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        graph = new Graph(dir.getFileName().toString(), opset);
        String why = null;
        Path data = dir.resolve("test_data_set_0");
        for (int i = 0; i < g.getInputCount(); i++) {
            Onnx.ValueInfoProto in = g.getInput(i);
            DataType type = declaredType(in);
            if (type == null) {
                why = "input '" + in.getName() + "' has type " + DataType.onnxName(in.getType().getTensorType().getElemType());
                continue;
            }
            Tensor t = tensor(Onnx.TensorProto.parseFrom(Files.readAllBytes(data.resolve("input_" + i + ".pb"))), type);
            if (type == DataType.INT64) {
                graph.initializers().put(in.getName(), t);
            } else {
                graph.inputs().add(new ValueInfo(in.getName(), TensorType.of(type, t.shape())));
                feeds.put(in.getName(), t);
            }
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            Onnx.ValueInfoProto out = g.getOutput(i);
            DataType type = declaredType(out);
            if (type == null) {
                why = "output '" + out.getName() + "' has type " + DataType.onnxName(out.getType().getTensorType().getElemType());
                continue;
            }
            Tensor t = tensor(Onnx.TensorProto.parseFrom(Files.readAllBytes(data.resolve("output_" + i + ".pb"))), type);
            graph.outputs().add(new ValueInfo(out.getName(), TensorType.of(type, t.shape())));
            expected.add(t);
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                attrs.put(a.getName(), switch (a.getType()) {
                    case INT -> a.getI();
                    case FLOAT -> a.getF();
                    case STRING -> a.getS().toStringUtf8();
                    case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    case FLOATS -> toFloats(a.getFloatsList());
                    case TENSOR -> tensor(a.getT(), DataType.fromOnnx(a.getT().getDataType()));
                    default -> throw new IOException("attribute kind " + a.getType() + " in " + dir);
                });
            }
            List<String> inputs = new ArrayList<>(n.getInputList());
            if ((n.getOpType().equals("Squeeze") || n.getOpType().equals("Unsqueeze")) && attrs.containsKey("axes")) {
                // Before opset 13 the axes were an attribute; srengine's graphs carry them as input 1.
                long[] axes = (long[]) attrs.remove("axes");
                graph.initializers().put(n.getName() + "_axes", Tensor.ofLongs(axes, axes.length));
                inputs.add(n.getName() + "_axes");
            }
            graph.nodes().add(new Node(n.getName().isEmpty() ? n.getOpType() : n.getName(), n.getOpType(),
                    n.getDomain(), inputs, n.getOutputList(), Attributes.of(attrs)));
        }
        unsupported = why;
    }

    private static DataType declaredType(Onnx.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return null;
        }
        return DataType.fromOnnx(v.getType().getTensorType().getElemType());
    }

    private static float[] toFloats(List<Float> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    /**
     * The tensor in {@code p} as {@code type}. The node tests of ONNX 1.12 store bfloat16 data as
     * UINT16; any 16-bit payload is taken as the declared 16-bit float type.
     */
    static Tensor tensor(Onnx.TensorProto p, DataType type) {
        int[] shape = p.getDimsList().stream().mapToInt(Long::intValue).toArray();
        int n = Tensor.checkedSize(shape);
        Tensor t = Tensor.allocate(type, shape);
        if (!p.getRawData().isEmpty()) {
            ByteBuffer b = p.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case FLOAT32 -> t.floats()[i] = b.getFloat();
                    case FLOAT16, BFLOAT16 -> t.shorts()[i] = b.getShort();
                    case FLOAT64 -> t.doubles()[i] = b.getDouble();
                    case INT64 -> t.longs()[i] = b.getLong();
                    case INT32 -> t.ints()[i] = b.getInt();
                    case INT8, UINT8, BOOL -> t.bytes()[i] = b.get();
                }
            }
            return t;
        }
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32 -> t.floats()[i] = p.getFloatData(i);
                case FLOAT16, BFLOAT16 -> t.shorts()[i] = (short) p.getInt32Data(i);
                case FLOAT64 -> t.doubles()[i] = p.getDoubleData(i);
                case INT64 -> t.longs()[i] = p.getInt64Data(i);
                case INT32 -> t.ints()[i] = p.getInt32Data(i);
                case INT8, UINT8, BOOL -> t.bytes()[i] = (byte) p.getInt32Data(i);
            }
        }
        return t;
    }
}
