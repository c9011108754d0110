package io.srengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxExporter;
import io.srengine.onnx.OnnxProtos;
import io.srengine.onnx.OnnxTensors;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models and files a user might hand to {@link Model#load}: each is refused with the right {@link
 * ErrorCode} and a message naming the problem, and nothing but {@link SrException} escapes. The
 * cases that need operators to run are in {@link BadRunInputTest}.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private static SrException fails(ErrorCode code, Runnable r) {
        SrException e = assertThrows(SrException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static void assertMentions(SrException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention " + p + ": " + e.getMessage());
        }
    }

    /** A valid model with no operators: output x is input x; the unused weight gives it some bulk. */
    private static byte[] validModel() {
        Graph g = new Graph("passthrough", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 3, 8, 8)));
        g.outputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 3, 8, 8)));
        g.initializers().put("w", Tensor.of(new float[64], 64));
        return OnnxExporter.toBytes(g);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void theValidModelLoads() {
        assertEquals(1, Model.load(validModel()).inputs().size());
    }

    @Test
    void truncatedModel() throws Exception {
        byte[] full = validModel();
        byte[] half = java.util.Arrays.copyOf(full, full.length / 2);
        Path file = write("half.onnx", half);
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(file));
        assertMentions(e, "half.onnx", "truncated");
        // Every other cut is refused (or, at a field boundary, may still be a whole model) without
        // anything but SrException escaping.
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            try {
                Model.load(cut);
            } catch (SrException ok) {
                // expected for nearly every length
            }
        }
    }

    @Test
    void corruptBytes() {
        byte[] full = validModel();
        for (int i = 0; i < full.length; i++) {
            byte[] bad = full.clone();
            bad[i] ^= (byte) 0xA5;
            try {
                Model.load(bad);
            } catch (SrException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException other) {
                fail("flipping byte " + i + " let " + other + " escape", other);
            }
        }
    }

    @Test
    void randomBytesAreNotAModel() {
        Random r = new Random(42);
        for (int size : new int[] {1, 2, 7, 64, 1000, 4096}) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(b));
            assertMentions(e, "not an ONNX model");
        }
    }

    @Test
    void pngImage() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
        Path file = write("photo.onnx", png.toByteArray());
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(file));
        assertMentions(e, "photo.onnx", "not an ONNX model", "PNG");
    }

    @Test
    void textFile() throws Exception {
        byte[] text = "This is a README, not a network.\nversion: 2\n".getBytes(StandardCharsets.UTF_8);
        Path file = write("readme.onnx", text);
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(file));
        assertMentions(e, "readme.onnx", "not an ONNX model", "text");
    }

    @Test
    void emptyFile() throws Exception {
        Path file = write("empty.onnx", new byte[0]);
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(file));
        assertMentions(e, "empty.onnx", "empty", "not an ONNX model");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nowhere.onnx");
        SrException e = fails(ErrorCode.IO_ERROR, () -> Model.load(p));
        assertMentions(e, "nowhere.onnx");
    }

    @Test
    void everyUnsupportedOpIsListedWithItsNodes() {
        Graph g = new Graph("ops", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 3, 8, 8)));
        g.outputs().add(new ValueInfo("y", TensorType.of(DataType.FLOAT32, 1, 3, 8, 8)));
        g.nodes().add(new Node("warp1", "SrengineTestWarp", List.of("x"), List.of("a"), Attributes.empty()));
        g.nodes().add(new Node("glow", "SrengineTestGlow", List.of("a"), List.of("b"), Attributes.empty()));
        g.nodes().add(new Node("warp2", "SrengineTestWarp", List.of("b"), List.of("y"), Attributes.empty()));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> Model.load(OnnxExporter.toBytes(g)));
        assertMentions(e, "2 unsupported ops", "SrengineTestWarp", "'warp1'", "'warp2'", "SrengineTestGlow", "'glow'");
    }

    @Test
    void nodeReadingAMissingInitializer() {
        Graph g = new Graph("missing", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 3, 8, 8)));
        g.outputs().add(new ValueInfo("y", TensorType.of(DataType.FLOAT32, 1, 8, 8, 8)));
        g.nodes().add(new Node("conv1", "Conv", List.of("x", "conv1.weight"), List.of("y"), Attributes.empty()));
        SrException e = fails(ErrorCode.INVALID_GRAPH, () -> Model.load(OnnxExporter.toBytes(g)));
        assertMentions(e, "'conv1'", "'conv1.weight'");
    }

    @Test
    void graphWithACycle() {
        Graph g = new Graph("cycle", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 4)));
        g.outputs().add(new ValueInfo("c", TensorType.of(DataType.FLOAT32, 4)));
        g.nodes().add(new Node("first", "Add", List.of("x", "c"), List.of("a"), Attributes.empty()));
        g.nodes().add(new Node("second", "Relu", List.of("a"), List.of("b"), Attributes.empty()));
        g.nodes().add(new Node("third", "Relu", List.of("b"), List.of("c"), Attributes.empty()));
        SrException e = fails(ErrorCode.INVALID_GRAPH, () -> Model.load(OnnxExporter.toBytes(g)));
        assertMentions(e, "cycle", "first", "second", "third");
    }

    @Test
    void externalDataEscapingTheModelDirectory() throws Exception {
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        Path modelDir = Files.createDirectories(dir.resolve("model"));
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin"))
                .build();
        GraphProto.Builder gb = GraphProto.newBuilder().setName("ext")
                .addInput(OnnxProtos.value("x", DataType.FLOAT32, 4))
                .addOutput(OnnxProtos.value("x", DataType.FLOAT32, 4))
                .addInitializer(w);
        Path model = modelDir.resolve("m.onnx");
        Files.write(model, OnnxProtos.bytes(13, gb));
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(model));
        assertMentions(e, "'w'", "../secret.bin", "outside");
        // The same file inside the directory is fine.
        Files.write(modelDir.resolve("w.bin"), new byte[16]);
        Files.write(model, OnnxProtos.bytes(13, gb.setInitializer(0, w.toBuilder().setExternalData(0,
                StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")))));
        assertEquals(1, Model.load(model).inputs().size());
    }

    @Test
    void opsetTooNew() {
        GraphProto.Builder gb = GraphProto.newBuilder()
                .addInput(OnnxProtos.value("x", DataType.FLOAT32, 4))
                .addOutput(OnnxProtos.value("x", DataType.FLOAT32, 4));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> Model.load(OnnxProtos.bytes(99, gb)));
        assertMentions(e, "opset 99");
    }

    @Test
    void tensorDataThatDoesNotMatchItsDims() {
        TensorProto w = OnnxTensors.toProto("w", Tensor.zeros(4)).toBuilder().setDims(0, 5).build();
        GraphProto.Builder gb = GraphProto.newBuilder()
                .addInput(OnnxProtos.value("x", DataType.FLOAT32, 4))
                .addOutput(OnnxProtos.value("x", DataType.FLOAT32, 4))
                .addInitializer(w);
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> Model.load(OnnxProtos.bytes(13, gb)));
        assertMentions(e, "'w'", "5 elements");
    }
}
