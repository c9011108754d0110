package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ModelMetadata;
import io.srengine.graph.Graph;
import io.srengine.onnx.OnnxImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertTfjsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A Keras x2 upscaler in TF.js form: nearest UpSampling2D, then a 1x1 convolution of 3 to 3 channels. */
    private Path writeModel(String upsamplingClass) throws IOException {
        String json = """
                {"format": "layers-model", "generatedBy": "keras v2.10.0", "convertedBy": "test",
                 "modelTopology": {"model_config": {"class_name": "Functional", "config": {"name": "tiny",
                  "layers": [
                   {"class_name": "InputLayer", "name": "LR", "config": {"batch_input_shape": [null, null, null, 3],
                    "dtype": "float32", "name": "LR"}, "inbound_nodes": []},
                   {"class_name": "%s", "name": "up", "config": {"name": "up", "size": [2, 2],
                    "interpolation": "nearest"}, "inbound_nodes": [[["LR", 0, 0, {}]]]},
                   {"class_name": "Conv2D", "name": "SR", "config": {"name": "SR", "filters": 3, "kernel_size": [1, 1],
                    "padding": "same", "activation": "linear"}, "inbound_nodes": [[["up", 0, 0, {}]]]}],
                  "input_layers": [["LR", 0, 0]], "output_layers": [["SR", 0, 0]]}}},
                 "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
                  {"name": "SR/kernel", "shape": [1, 1, 3, 3], "dtype": "float32"},
                  {"name": "SR/bias", "shape": [3], "dtype": "float32"}]}]}
                """.formatted(upsamplingClass);
        ByteBuffer w = ByteBuffer.allocate(12 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5f, 0.5f, 0.5f}) {
            w.putFloat(v);
        }
        Files.write(dir.resolve("group1-shard1of1.bin"), w.array());
        return Files.writeString(dir.resolve("model.json"), json);
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        if (!cl.getSubcommands().containsKey("convert-tfjs")) {
            cl.addSubcommand(new ConvertTfjsCommand());
        }
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of("convert-tfjs"), Stream.of(args)).toArray(String[]::new);
        return cl.execute(all);
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void convertsAndRecordsTheModel() throws IOException {
        Path json = writeModel("UpSampling2D");
        Path onnx = dir.resolve("out/tiny-x2.onnx");
        int code = run(json.toString(), onnx.toString(), "--name", "tiny-x2", "--scale", "2", "--input-range", "255",
                "--architecture", "test net", "--license", "MIT, Copyright test", "--source", "npm:tiny@1");
        assertEquals(0, code, err.toString());
        Graph g = OnnxImporter.read(Files.readAllBytes(onnx), null, onnx.toString());
        assertEquals("tiny-x2", g.metadata().get(ModelMetadata.NAME));
        assertEquals("2", g.metadata().get(ModelMetadata.SCALE));
        assertEquals("[0, 255]", g.metadata().get(ModelMetadata.ORIGINAL_RANGE));
        assertEquals("12", g.metadata().get(ModelMetadata.PARAMETERS));
        assertEquals("input", g.inputs().getFirst().name());
        assertEquals("output", g.outputs().getFirst().name());
        assertTrue(out.toString().contains("tiny-x2"), out.toString());
        try (Stream<Path> s = Files.list(onnx.getParent())) {
            assertEquals(List.of(onnx), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void wrongScaleFailsWithoutWritingAnything() throws IOException {
        Path json = writeModel("UpSampling2D");
        int code = run(json.toString(), dir.resolve("x.onnx").toString(), "--name", "tiny-x3", "--scale", "3");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("not an upscaling by 3"), err.toString());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
        assertEquals(2, listDir().size(), "only model.json and its shard");
    }

    @Test
    void unsupportedLayerIsNamed() throws IOException {
        Path json = writeModel("Cropping2D");
        int code = run(json.toString(), dir.resolve("x.onnx").toString(), "--name", "t", "--scale", "2");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("Cropping2D") && err.toString().contains("'up'"), err.toString());
    }

    @Test
    void missingModelFileIsReported() {
        int code = run(dir.resolve("absent/model.json").toString(), dir.resolve("x.onnx").toString(), "--name", "t",
                "--scale", "2");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("not found"), err.toString());
    }

    @Test
    void unwritableOutputIsReported() throws IOException {
        Path json = writeModel("UpSampling2D");
        Path blocker = Files.writeString(dir.resolve("file"), "not a directory");
        int code = run(json.toString(), blocker.resolve("x.onnx").toString(), "--name", "t", "--scale", "2");
        assertEquals(Main.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("cannot write"), err.toString());
    }
}
