package io.srengine.onnx;

import com.google.protobuf.ByteString;
import io.srengine.ErrorCode;
import io.srengine.Precision;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.proto.Onnx.AttributeProto;
import io.srengine.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.onnx.proto.Onnx.OperatorSetIdProto;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TensorShapeProto;
import io.srengine.onnx.proto.Onnx.TypeProto;
import io.srengine.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes srengine graphs as ONNX models: IR version 8, the graph's opset for the default domain
 * (version 1 for any other domain a node uses), initializers in {@code raw_data}, declared input and
 * output types with symbolic dimensions as {@code dim_param}, and {@code metadata_props}.
 *
 * <p>Graphs are canonical (see {@link OnnxImporter}); where the graph's opset predates a canonical
 * form, the node is written in the form that opset defines (Clip min/max as attributes before opset
 * 11, Resize with {@code nearest_mode="simple"} as Upsample before opset 10, ...), and activations
 * that the rewrites fused into convolutions are written as nodes of their own, so that the file
 * means the same to every ONNX reader. Reading the file back gives the same graph, up to the names
 * of the constants the importer recreates (and with fused activations unfused).
 */
public final class OnnxExporter {
    /** The IR version written. */
    public static final int IR_VERSION = 8;
    /** The oldest opset written; older graphs cannot be expressed without legacy broadcasting. */
    public static final int MIN_OPSET = 7;

    private OnnxExporter() {}

    /**
     * Serializes {@code graph} as an ONNX {@code ModelProto}. The graph is not modified.
     *
     * @param graph the graph, at an opset from {@link #MIN_OPSET} to {@link OnnxImporter#MAX_OPSET}
     * @return the serialized model
     * @throws SrException {@code UNSUPPORTED_OP} when a node cannot be expressed at the graph's opset
     *     (for example a Clip bound computed at run time in an opset-9 graph), {@code TENSOR_TOO_LARGE}
     *     when an initializer exceeds what protobuf can hold
     */
    public static byte[] toBytes(Graph graph) {
        return toProto(graph).toByteArray();
    }

    /**
     * Serializes {@code graph} in the given precision: {@link Precision#FP32} as {@link #toBytes(Graph)};
     * {@link Precision#FP16} with float16 weights and activations, strongly typed (every value's type
     * follows from its producer, no node mixes float types), float32 inputs and outputs through Cast
     * nodes, at opset 13 or the graph's if newer. See {@link OnnxFloat16}. The graph is not modified.
     *
     * @param graph the graph
     * @param precision {@link Precision#FP32} or {@link Precision#FP16}
     * @return the serialized model
     * @throws SrException {@code INVALID_ARGUMENT} for {@link Precision#BF16}, which srengine does not
     *     export, and the codes of {@link #toBytes(Graph)}
     */
    public static byte[] toBytes(Graph graph, Precision precision) {
        return toProto(graph, precision).toByteArray();
    }

    /**
     * The model proto of {@code graph} in the given precision (see {@link #toBytes(Graph, Precision)}).
     *
     * @param graph the graph
     * @param precision {@link Precision#FP32} or {@link Precision#FP16}
     * @return the model
     * @throws SrException as for {@link #toBytes(Graph, Precision)}
     */
    public static ModelProto toProto(Graph graph, Precision precision) {
        return switch (precision) {
            case FP32 -> toProto(graph);
            case FP16 -> {
                Graph g = graph;
                if (g.opsetVersion() < OnnxFloat16.MIN_OPSET) {
                    g = g.copy();
                    g.setOpsetVersion(OnnxFloat16.MIN_OPSET);
                }
                checkOpset(g);
                yield serialize(OnnxFloat16.apply(OnnxExportForms.apply(g)));
            }
            case BF16 -> throw new SrException(ErrorCode.INVALID_ARGUMENT, "ONNX export is available in FP32 and FP16,"
                    + " not BF16");
        };
    }

    /**
     * Writes {@code graph} to {@code file} as an ONNX model in float32, replacing the file.
     *
     * @param graph the graph
     * @param file the file to write
     * @throws SrException {@code IO_ERROR} when the file cannot be written, and the codes of {@link
     *     #toBytes(Graph)}
     */
    public static void write(Graph graph, Path file) {
        byte[] bytes = toBytes(graph);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model proto of {@code graph} in float32.
     *
     * @param graph the graph
     * @return the model
     * @throws SrException as for {@link #toBytes(Graph)}
     */
    public static ModelProto toProto(Graph graph) {
        checkOpset(graph);
        return serialize(OnnxExportForms.apply(graph));
    }

    private static void checkOpset(Graph graph) {
        if (graph.opsetVersion() < MIN_OPSET || graph.opsetVersion() > OnnxImporter.MAX_OPSET) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "cannot write graph '" + graph.name() + "' at opset "
                    + graph.opsetVersion() + "; srengine writes opsets " + MIN_OPSET + " to " + OnnxImporter.MAX_OPSET);
        }
    }

    /** The proto of a graph already in export form. */
    private static ModelProto serialize(Graph g) {
        GraphProto.Builder gb = GraphProto.newBuilder().setName(g.name());
        TreeSet<String> domains = new TreeSet<>();
        for (Node n : g.nodes()) {
            gb.addNode(node(n));
            if (!OnnxGraphReader.isDefaultDomain(n)) {
                domains.add(n.domain());
            }
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            gb.addInitializer(OnnxTensors.toProto(e.getKey(), e.getValue()));
        }
        for (ValueInfo v : g.inputs()) {
            gb.addInput(valueInfo(v));
        }
        for (ValueInfo v : g.outputs()) {
            gb.addOutput(valueInfo(v));
        }
        ModelProto.Builder mb = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("srengine")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(g.opsetVersion()));
        for (String d : domains) {
            mb.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(d).setVersion(1));
        }
        g.metadata().forEach((k, v) -> mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return mb.setGraph(gb).build();
    }

    private static NodeProto node(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType())
                .addAllInput(n.inputs()).addAllOutput(n.outputs());
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        n.attributes().asMap().forEach((k, v) -> b.addAttribute(attribute(k, v, n)));
        return b.build();
    }

    private static AttributeProto attribute(String name, Object v, Node n) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
        switch (v) {
            case Long l -> b.setType(AttributeType.INT).setI(l);
            case Float f -> b.setType(AttributeType.FLOAT).setF(f);
            case String s -> b.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
            case Tensor t -> b.setType(AttributeType.TENSOR).setT(OnnxTensors.toProto("", t));
            case long[] a -> {
                b.setType(AttributeType.INTS);
                for (long x : a) {
                    b.addInts(x);
                }
            }
            case float[] a -> {
                b.setType(AttributeType.FLOATS);
                for (float x : a) {
                    b.addFloats(x);
                }
            }
            case String[] a -> {
                b.setType(AttributeType.STRINGS);
                for (String x : a) {
                    b.addStrings(ByteString.copyFrom(x, StandardCharsets.UTF_8));
                }
            }
            default -> throw new SrException(ErrorCode.INTERNAL, n.describe() + ": attribute '" + name
                    + "' has a value of type " + v.getClass().getSimpleName() + ", which ONNX cannot hold");
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(ValueInfo v) {
        TensorType t = v.type();
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : t.shape().dims()) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d.isKnown()) {
                db.setDimValue(d.value());
            } else if (!isUnknown(d)) {
                db.setDimParam(d.toString());
            }
            shape.addDim(db);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(t.dataType().onnxCode()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** True for a {@link Dim#unknown()} dimension, written with neither a value nor a name. */
    private static boolean isUnknown(Dim d) {
        return d.toString().matches("\\?\\d+");
    }
}
