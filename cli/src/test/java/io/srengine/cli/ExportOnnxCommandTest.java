package io.srengine.cli;

import static io.srengine.testing.Errors.relativeL2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.models.BundledModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code srengine export-onnx} on the bundled models: the written file re-imports into srengine and
 * runs in ONNX Runtime with the original's outputs (FP32: relative L2 at most 1e-5; FP16: at most
 * 1e-2, the bound argued in engine-api's OnnxExportPrecisionTest), and every kind of bad input
 * gives exit status 2, a message naming the problem and no file.
 */
class ExportOnnxCommandTest {
    @TempDir
    Path dir;

    private static CliRunner.Result export(String... args) {
        return CliRunner.run("export-onnx", new ExportOnnxCommand(), args);
    }

    static Tensor input(int h, int w) {
        SplittableRandom r = new SplittableRandom(5);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return Tensor.of(v, 1, 3, h, w);
    }

    static float[] reference(Model m, Tensor in) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(in).floats();
        }
    }

    static float[] onnxRuntime(Path file, Tensor in) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(file.toString(), o);
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.floats()), new long[] {1, 3, in.dim(2), in.dim(3)});
                OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    @ParameterizedTest(name = "{0} fp16={1}")
    @CsvSource({"esrgan-slim-x4,false", "esrgan-slim-x4,true", "esrgan-medium-x3,false", "esrgan-medium-x3,true",
            "esrgan-slim-x2,true"})
    void bundledModelRoundTripsThroughSrengineAndOnnxRuntime(String name, boolean fp16) throws Exception {
        Path out = dir.resolve(name + ".onnx");
        CliRunner.Result r = fp16 ? export(name, "--out", out.toString(), "--fp16") : export(name, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(fp16 ? "FP16" : "FP32"), r.out());
        Model original = BundledModels.get(name).load();
        Tensor in = input(14, 17);
        float[] want = reference(original, in);
        double bound = fp16 ? 1e-2 : 1e-5;
        double srengine = relativeL2(reference(Model.load(out), in), want);
        assertTrue(srengine <= bound, name + ": re-imported export differs by relative L2 " + srengine);
        double ort = relativeL2(onnxRuntime(out, in), want);
        assertTrue(ort <= bound, name + ": ONNX Runtime on the export differs by relative L2 " + ort);
        System.out.printf("export-onnx %s %s: relative L2 against the original, srengine %.3g, ONNX Runtime %.3g%n", name,
                fp16 ? "FP16" : "FP32", srengine, ort);
        assertTrue(Model.load(out).metadata().equals(original.metadata()), "metadata_props are kept");
    }

    @Test
    void missingOutIsAUsageError() {
        CliRunner.Result r = export("esrgan-slim-x4");
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void unknownModelIsNamed() {
        Path out = dir.resolve("x.onnx");
        CliRunner.Result r = export("no-such-model", "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("'no-such-model' is neither a model file"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingOrCorruptOnnxFileIsNamed() throws Exception {
        Path out = dir.resolve("x.onnx");
        CliRunner.Result r = export(dir.resolve("missing.onnx").toString(), "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("model file not found"), r.err());
        Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {1, 2, 3, 4, 5});
        r = export(bad.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("bad.onnx"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void outputEqualToInputIsRefusedAndLeavesItUntouched() throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), BundledModels.get("esrgan-slim-x2").bytes());
        byte[] before = Files.readAllBytes(model);
        CliRunner.Result r = export(model.toString(), "--out", model.toString(), "--fp16");
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("is the input model"), r.err());
        assertArrayEquals(before, Files.readAllBytes(model));
    }

    @Test
    void unwritableOutputFailsWithoutPartialFiles() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        CliRunner.Result r = export("esrgan-slim-x2", "--out", notADir.resolve("m.onnx").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("cannot write"), r.err());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        r = export("esrgan-slim-x2", "--out", sub.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("is a directory"), r.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "only 'file' and 'sub' remain");
        }
    }
}
