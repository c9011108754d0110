package io.srengine.onnx;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.proto.Onnx.AttributeProto;
import io.srengine.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import io.srengine.onnx.proto.Onnx.TensorShapeProto;
import io.srengine.onnx.proto.Onnx.TypeProto;
import io.srengine.onnx.proto.Onnx.ValueInfoProto;
import io.srengine.ops.OpRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link Graph} from one {@code GraphProto}; one instance per import. */
final class OnnxGraphReader {
    private final GraphProto proto;
    private final Path baseDir;
    private final String source;
    private final int opset;
    private final Graph graph;
    /** Declared types of values (inputs, outputs, value_info, initializers), for the canonical rewrites. */
    private final Map<String, TensorType> declared = new HashMap<>();

    OnnxGraphReader(GraphProto proto, Path baseDir, String source, int opset) {
        this.proto = proto;
        this.baseDir = baseDir;
        this.source = source;
        this.opset = opset;
        this.graph = new Graph(proto.getName(), opset);
    }

    Graph read(List<StringStringEntryProto> metadata) {
        readInitializers();
        for (ValueInfoProto v : proto.getInputList()) {
            if (graph.isInitializer(v.getName())) {
                continue; // IR < 4 lists initializers among the inputs; they are constants here
            }
            ValueInfo in = valueInfo(v, "graph input");
            if (graph.isGraphInput(in.name())) {
                throw new SrException(ErrorCode.INVALID_GRAPH, source + ": graph input '" + in.name() + "' is listed twice");
            }
            graph.inputs().add(in);
            declared.put(in.name(), in.type());
        }
        for (ValueInfoProto v : proto.getOutputList()) {
            ValueInfo out = valueInfo(v, "graph output");
            graph.outputs().add(out);
            declared.putIfAbsent(out.name(), out.type());
        }
        for (ValueInfoProto v : proto.getValueInfoList()) {
            TensorType t = typeOrNull(v.getType());
            if (t != null) {
                declared.putIfAbsent(v.getName(), t);
            }
        }
        if (proto.getNodeCount() == 0 && proto.getOutputCount() == 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " has an empty graph: no nodes and no outputs");
        }
        readNodes();
        OnnxCanonicalizer.apply(graph, opset, declared, source);
        if (opset < 7) {
            graph.setOpsetVersion(7); // the canonical rewrites removed everything opset 6 does differently
        }
        for (StringStringEntryProto e : metadata) {
            graph.metadata().put(e.getKey(), e.getValue());
        }
        return graph;
    }

    private void readInitializers() {
        if (proto.getSparseInitializerCount() > 0) {
            TensorProto values = proto.getSparseInitializer(0).getValues();
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + " has " + proto.getSparseInitializerCount()
                    + " sparse initializer(s) (the first is '" + values.getName() + "'); srengine supports dense tensors only");
        }
        for (TensorProto t : proto.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " has an initializer without a name");
            }
            Tensor value = OnnxTensors.fromProto(t, baseDir, source);
            if (graph.initializers().put(t.getName(), value) != null) {
                throw new SrException(ErrorCode.INVALID_GRAPH, source + ": initializer '" + t.getName() + "' is defined twice");
            }
            declared.put(t.getName(), TensorType.of(value.dataType(), value.shape()));
        }
    }

    private void readNodes() {
        Set<String> taken = new HashSet<>();
        for (NodeProto n : proto.getNodeList()) {
            if (!n.getName().isEmpty()) {
                taken.add(n.getName());
            }
        }
        for (int i = 0; i < proto.getNodeCount(); i++) {
            NodeProto n = proto.getNode(i);
            if (n.getOpType().isEmpty()) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + ": node #" + i
                        + (n.getName().isEmpty() ? "" : " '" + n.getName() + "'") + " has no op_type");
            }
            String name = n.getName();
            if (name.isEmpty()) {
                name = n.getOpType() + "_" + i;
                for (int k = 1; taken.contains(name); k++) {
                    name = n.getOpType() + "_" + i + "_" + k;
                }
                taken.add(name);
            }
            Node node = new Node(name, n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(), Attributes.empty());
            boolean constant = isDefaultDomain(node) && node.opType().equals("Constant");
            if (constant) {
                refuseNonNumericConstant(node, n);
            }
            node = node.withAttributes(attributes(n, node));
            if (constant) {
                addConstant(node);
            } else {
                graph.nodes().add(node);
            }
        }
    }

    private Attributes attributes(NodeProto n, Node node) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean known = isDefaultDomain(node) && OpRegistry.get(node.opType()) != null;
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().isEmpty()) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + ": " + node.describe() + " has an attribute without a name");
            }
            Object v = attributeValue(a, node);
            if (v != null) {
                m.put(a.getName(), v);
            } else if (known) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + node.describe() + " has attribute '"
                        + a.getName() + "' of kind " + kind(a) + ", which srengine does not support");
            }
            // An unsupported op is left to OpRegistry.checkSupported, which names every such op at once.
        }
        return Attributes.of(m);
    }

    /** The attribute's value in {@link Attributes} form, or null for kinds srengine cannot hold. */
    private Object attributeValue(AttributeProto a, Node node) {
        return switch (kind(a)) {
            case FLOAT -> a.getF();
            case INT -> a.getI();
            case STRING -> a.getS().toString(StandardCharsets.UTF_8);
            case TENSOR -> OnnxTensors.read(a.getT(), baseDir, "tensor of attribute '" + a.getName() + "' of "
                    + node.describe() + " in " + source);
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield f;
            }
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case STRINGS -> a.getStringsList().stream().map(s -> s.toString(StandardCharsets.UTF_8)).toArray(String[]::new);
            default -> null;
        };
    }

    /** The attribute's kind; files from before IR version 2 leave it UNDEFINED, so it is read off the fields. */
    private static AttributeType kind(AttributeProto a) {
        if (a.hasType() && a.getType() != AttributeType.UNDEFINED) {
            return a.getType();
        }
        if (a.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        }
        if (a.getIntsCount() > 0) {
            return AttributeType.INTS;
        }
        if (a.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        }
        if (a.getTensorsCount() > 0) {
            return AttributeType.TENSORS;
        }
        if (a.hasT()) {
            return AttributeType.TENSOR;
        }
        if (a.hasS()) {
            return AttributeType.STRING;
        }
        if (a.hasI()) {
            return AttributeType.INT;
        }
        if (a.hasF()) {
            return AttributeType.FLOAT;
        }
        return AttributeType.UNDEFINED;
    }

    /** A Constant node becomes an initializer holding its value. */
    private void addConstant(Node node) {
        String out = node.outputs().isEmpty() ? "" : node.output(0);
        if (out.isEmpty()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": " + node.describe() + " has no output");
        }
        Tensor value;
        if (node.attributes().has("value")) {
            value = node.attrTensor("value");
        } else if (node.attributes().has("value_float")) {
            value = Tensor.scalar(node.attrFloat("value_float", 0));
        } else if (node.attributes().has("value_floats")) {
            float[] f = node.attrFloats("value_floats", null);
            value = Tensor.of(f, f.length);
        } else if (node.attributes().has("value_int")) {
            value = Tensor.ofLongs(new long[] {node.attrInt("value_int")});
        } else if (node.attributes().has("value_ints")) {
            long[] l = node.attrInts("value_ints", null);
            value = Tensor.ofLongs(l, l.length);
        } else {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": " + node.describe()
                    + " has none of the attributes value, value_float, value_floats, value_int, value_ints");
        }
        if (graph.isInitializer(out) || graph.isGraphInput(out)) {
            throw new SrException(ErrorCode.INVALID_GRAPH, source + ": value '" + out + "' is produced twice (by "
                    + node.describe() + " and as " + (graph.isInitializer(out) ? "an initializer" : "a graph input") + ")");
        }
        graph.initializers().put(out, value);
        declared.put(out, TensorType.of(value.dataType(), value.shape()));
    }

    private void refuseNonNumericConstant(Node node, NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("sparse_value") || a.getName().startsWith("value_string")) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + node.describe() + " holds a "
                        + (a.getName().equals("sparse_value") ? "sparse tensor" : "string") + " ('" + a.getName()
                        + "'); srengine supports dense numeric constants only");
            }
        }
    }

    private ValueInfo valueInfo(ValueInfoProto v, String role) {
        String what = role + " '" + v.getName() + "' of " + source;
        if (v.getName().isEmpty()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " has a " + role + " without a name");
        }
        TypeProto t = v.getType();
        switch (t.getValueCase()) {
            case TENSOR_TYPE -> { }
            case VALUE_NOT_SET -> throw new SrException(ErrorCode.INVALID_MODEL, what + " has no type");
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, what + " is " + switch (t.getValueCase()) {
                case SEQUENCE_TYPE -> "a sequence";
                case MAP_TYPE -> "a map";
                case OPTIONAL_TYPE -> "an optional value";
                default -> "a sparse tensor";
            } + "; srengine supports dense tensors only");
        }
        TypeProto.Tensor tt = t.getTensorType();
        DataType type = OnnxTensors.dataType(tt.getElemType(), what);
        if (!tt.hasShape()) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, what + " declares no shape (unknown rank); srengine needs"
                    + " the rank of every graph input and output (re-export the model, or run ONNX shape inference on it)");
        }
        return new ValueInfo(v.getName(), new TensorType(type, shape(tt.getShape())));
    }

    /** The tensor type of a value_info entry, or null when it has none srengine can use. */
    private static TensorType typeOrNull(TypeProto t) {
        if (!t.hasTensorType() || !t.getTensorType().hasShape()) {
            return null;
        }
        DataType type = DataType.fromOnnx(t.getTensorType().getElemType());
        return type == null ? null : new TensorType(type, shape(t.getTensorType().getShape()));
    }

    private static Shape shape(TensorShapeProto s) {
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : s.getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims.add(Dim.symbol(d.getDimParam()));
            } else {
                dims.add(Dim.unknown()); // some exporters write -1 for "unknown"
            }
        }
        return Shape.of(dims);
    }

    static boolean isDefaultDomain(Node n) {
        return n.domain().isEmpty() || n.domain().equals("ai.onnx");
    }
}
