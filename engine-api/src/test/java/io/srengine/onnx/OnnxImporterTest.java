package io.srengine.onnx;

import static io.srengine.onnx.OnnxProtos.attr;
import static io.srengine.onnx.OnnxProtos.bytes;
import static io.srengine.onnx.OnnxProtos.floats;
import static io.srengine.onnx.OnnxProtos.graphXY;
import static io.srengine.onnx.OnnxProtos.ints;
import static io.srengine.onnx.OnnxProtos.node;
import static io.srengine.onnx.OnnxProtos.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.OperatorSetIdProto;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TypeProto;
import io.srengine.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Import of hand-built models; the old-opset rewrites are in {@link OnnxCanonicalFormTest}. */
class OnnxImporterTest {
    static final Path ONNX_DATA = Path.of("/usr/share/libonnx-testdata/data");

    static Graph read(int opset, GraphProto.Builder g) {
        return OnnxImporter.read(bytes(opset, g), null, "test.onnx");
    }

    static SrException fails(ErrorCode code, Runnable r) {
        SrException e = assertThrows(SrException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void readsInputsOutputsNodesAndMetadata() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("net")
                .addInput(value("x", DataType.FLOAT32, "N", 3, null, 8))
                .addOutput(value("y", DataType.FLOAT32, "N", 3, null, 8))
                .addNode(node("conv", "Conv", List.of("x", "w"), List.of("y"),
                        ints("pads", 1, 1, 1, 1), attr("group", 1L), attr("auto_pad", "NOTSET"), floats("f", 0.5f)))
                .addInitializer(OnnxTensors.toProto("w", Tensor.zeros(3, 3, 3, 3)));
        ModelProto m = OnnxProtos.model(17, g).toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("scale").setValue("4")).build();
        Graph graph = OnnxImporter.read(m.toByteArray(), null, "m.onnx");
        assertEquals("net", graph.name());
        assertEquals(17, graph.opsetVersion());
        assertEquals(1, graph.inputs().size());
        Shape s = graph.inputs().getFirst().type().shape();
        assertEquals(Dim.symbol("N"), s.dim(0));
        assertEquals(Dim.of(3), s.dim(1));
        assertFalse(s.dim(2).isKnown());
        assertEquals(Dim.of(8), s.dim(3));
        assertEquals("y", graph.outputs().getFirst().name());
        Node conv = graph.nodes().getFirst();
        assertEquals("conv", conv.name());
        assertArrayEquals(new long[] {1, 1, 1, 1}, conv.attrInts("pads", null));
        assertEquals(1, conv.attrInt("group"));
        assertEquals("NOTSET", conv.attrString("auto_pad", null));
        assertArrayEquals(new float[] {0.5f}, conv.attrFloats("f", null));
        assertTrue(graph.isInitializer("w"));
        assertEquals("4", graph.metadata().get("scale"));
    }

    @Test
    void initializersListedAsInputsAreNotInputs() {
        GraphProto.Builder g = graphXY().addInput(value("w", DataType.FLOAT32, 3))
                .addInitializer(OnnxTensors.toProto("w", Tensor.zeros(3)))
                .addNode(node("add", "Add", List.of("x", "w"), List.of("y")));
        Graph graph = read(13, g);
        assertEquals(List.of("x"), graph.inputs().stream().map(v -> v.name()).toList());
    }

    @Test
    void unnamedNodesGetUniqueNames() {
        GraphProto.Builder g = graphXY()
                .addNode(node("", "Relu", List.of("x"), List.of("a")))
                .addNode(node("Relu_2", "Relu", List.of("a"), List.of("b")))
                .addNode(node("", "Relu", List.of("b"), List.of("y")));
        List<String> names = read(13, g).nodes().stream().map(Node::name).toList();
        assertEquals("Relu_0", names.get(0));
        assertEquals("Relu_2", names.get(1));
        assertTrue(names.get(2).startsWith("Relu_2_"), names.toString());
    }

    @Test
    void foreignDomainsAreKeptForTheSupportCheck() {
        GraphProto.Builder g = graphXY().addNode(node("f", "FusedThing", List.of("x"), List.of("y")).toBuilder()
                .setDomain("com.microsoft").build());
        Graph graph = read(13, g);
        assertEquals("com.microsoft", graph.nodes().getFirst().domain());
        // A model of custom-domain ops only needs no default-domain opset.
        ModelProto m = OnnxProtos.model(13, g).toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1)).build();
        assertEquals(1, OnnxImporter.read(m.toByteArray(), null, "m").nodes().size());
    }

    @Test
    void constantsBecomeInitializers() {
        GraphProto.Builder g = graphXY()
                .addNode(node("c1", "Constant", List.of(), List.of("t"), attr("value", Tensor.of(new float[] {1, 2}, 2))))
                .addNode(node("c2", "Constant", List.of(), List.of("f"), attr("value_float", 0.25f)))
                .addNode(node("c3", "Constant", List.of(), List.of("fs"), floats("value_floats", 1, 2, 3)))
                .addNode(node("c4", "Constant", List.of(), List.of("i"), attr("value_int", 7L)))
                .addNode(node("c5", "Constant", List.of(), List.of("is"), ints("value_ints", 4, 5)))
                .addNode(node("r", "Relu", List.of("x"), List.of("y")));
        Graph graph = read(13, g);
        assertEquals(1, graph.nodes().size());
        assertArrayEquals(new float[] {1, 2}, graph.initializers().get("t").floats());
        Tensor f = graph.initializers().get("f");
        assertEquals(0, f.rank());
        assertEquals(0.25, f.getDouble(0));
        assertArrayEquals(new int[] {3}, graph.initializers().get("fs").shape());
        assertEquals(DataType.INT64, graph.initializers().get("i").dataType());
        assertEquals(0, graph.initializers().get("i").rank());
        assertArrayEquals(new long[] {4, 5}, graph.initializers().get("is").longs());
    }

    @Test
    void nonNumericConstantsAreUnsupported() {
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, graphXY()
                .addNode(node("s", "Constant", List.of(), List.of("t"), attr("value_string", "hello")))));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("value_string"), e.getMessage());
        fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, graphXY()
                .addNode(node("sp", "Constant", List.of(), List.of("t"), attr("sparse_value", 1L)))));
        fails(ErrorCode.INVALID_MODEL, () -> read(13, graphXY().addNode(node("e", "Constant", List.of(), List.of("t")))));
    }

    @Test
    void opsetOutsideTheSupportedRangeIsNamed() {
        GraphProto.Builder g = graphXY().addNode(node("r", "Relu", List.of("x"), List.of("y")));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(5, g));
        assertTrue(e.getMessage().contains("opset 5"), e.getMessage());
        e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(22, g));
        assertTrue(e.getMessage().contains("opset 22"), e.getMessage());
        assertEquals(21, read(21, g).opsetVersion());
        assertEquals(7, read(7, g).opsetVersion());
        ModelProto noOpset = OnnxProtos.model(13, g).toBuilder().clearOpsetImport().build();
        fails(ErrorCode.INVALID_MODEL, () -> OnnxImporter.read(noOpset.toByteArray(), null, "m"));
    }

    @Test
    void valueTypesSrengineLacksAreNamed() {
        GraphProto.Builder strings = GraphProto.newBuilder().addInput(value("s", 8, 2)).addOutput(value("s", 8, 2));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, strings));
        assertTrue(e.getMessage().contains("STRING") && e.getMessage().contains("'s'"), e.getMessage());
        ValueInfoProto seq = ValueInfoProto.newBuilder().setName("q").setType(TypeProto.newBuilder()
                .setSequenceType(TypeProto.Sequence.newBuilder())).build();
        e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, graphXY().addInput(seq)));
        assertTrue(e.getMessage().contains("sequence") && e.getMessage().contains("'q'"), e.getMessage());
        ValueInfoProto noShape = ValueInfoProto.newBuilder().setName("z").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))).build();
        e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, graphXY().addInput(noShape)));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("rank"), e.getMessage());
    }

    @Test
    void emptyGraphIsInvalid() {
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> read(13, GraphProto.newBuilder().setName("g")));
        assertTrue(e.getMessage().contains("no nodes and no outputs"), e.getMessage());
    }

    @Test
    void duplicateDefinitionsAreInvalid() {
        GraphProto.Builder g = graphXY()
                .addInitializer(OnnxTensors.toProto("w", Tensor.zeros(1)))
                .addInitializer(OnnxTensors.toProto("w", Tensor.zeros(1)));
        fails(ErrorCode.INVALID_GRAPH, () -> read(13, g));
        GraphProto.Builder c = graphXY().addInitializer(OnnxTensors.toProto("w", Tensor.zeros(1)))
                .addNode(node("c", "Constant", List.of(), List.of("w"), attr("value_float", 1f)));
        fails(ErrorCode.INVALID_GRAPH, () -> read(13, c));
    }

    /** A real file from ONNX's test data, checked against what onnx.load reports for it. */
    @Test
    void readsAnOnnxBackendTestModel() {
        Path model = ONNX_DATA.resolve("node/test_conv_with_strides_padding/model.onnx");
        assumeTrue(Files.isRegularFile(model), "ONNX test data (Debian libonnx-testdata) is not installed");
        Graph g = OnnxImporter.read(readAll(model), model.getParent(), model.toString());
        assertEquals(List.of("x", "W"), g.inputs().stream().map(v -> v.name()).toList());
        assertEquals(Shape.of(1, 1, 7, 5), g.inputs().getFirst().type().shape());
        Node conv = g.nodes().getFirst();
        assertEquals("Conv", conv.opType());
        assertArrayEquals(new long[] {3, 3}, conv.attrInts("kernel_shape", null));
        assertArrayEquals(new long[] {1, 1, 1, 1}, conv.attrInts("pads", null));
        assertArrayEquals(new long[] {2, 2}, conv.attrInts("strides", null));
    }

    /** PyTorch's opset-6 exports list their weights as inputs (IR 3) and are upgraded to opset 7. */
    @Test
    void readsAnOldPytorchExport() {
        Path model = ONNX_DATA.resolve("pytorch-converted/test_Conv2d/model.onnx");
        assumeTrue(Files.isRegularFile(model), "ONNX test data (Debian libonnx-testdata) is not installed");
        Graph g = OnnxImporter.read(readAll(model), model.getParent(), model.toString());
        assertEquals(7, g.opsetVersion());
        assertEquals(1, g.inputs().size());
        assertEquals(2, g.initializers().size());
        assertNotEquals("", g.nodes().getFirst().name());
    }

    static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
