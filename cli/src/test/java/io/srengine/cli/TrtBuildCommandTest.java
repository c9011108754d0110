package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import io.srengine.models.BundledModels;
import io.srengine.tensorrt.PlanFile;
import io.srengine.tensorrt.PlanHeader;
import io.srengine.tensorrt.ShapeRange;
import io.srengine.tensorrt.TensorRtProbe;
import io.srengine.upscale.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trt-build} and {@code upscale --plan}: every argument error is reported with exit status 2
 * and leaves no file, whether or not TensorRT is installed; where it is not, a well-formed request
 * fails with the backend's reason; where it is, the plan is built and upscales an image.
 */
class TrtBuildCommandTest {
    @TempDir
    Path dir;

    private static CliRunner.Result build(String... args) {
        return CliRunner.run("trt-build", new TrtBuildCommand(), args);
    }

    private static CliRunner.Result upscale(String... args) {
        UpscaleCommand c = new UpscaleCommand();
        c.terminal = false;
        return CliRunner.run("upscale", c, args);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertBadInput(CliRunner.Result r, String text, List<String> before) throws IOException {
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("srengine: ") && r.err().contains(text), r.err());
        assertEquals(before, files(), "nothing is written");
    }

    private Path model() throws IOException {
        return Files.write(dir.resolve("m.onnx"), BundledModels.get("esrgan-slim-x2").bytes());
    }

    @Test
    void shapeOptionsAreCheckedBeforeTensorRt() throws IOException {
        String m = model().toString();
        String out = dir.resolve("m.plan").toString();
        List<String> before = files();
        assertBadInput(build(m, "--out", out, "--min-shape", "1,3,16,16"), "give --min-shape, --opt-shape and --max-shape together", before);
        assertBadInput(build(m, "--out", out, "--min-shape", "1,3,16", "--opt-shape", "1,3,64,64", "--max-shape", "1,3,128,128"),
                "--min-shape must be four numbers", before);
        assertBadInput(build(m, "--out", out, "--min-shape", "1,3,16,16", "--opt-shape", "1,3,640,64", "--max-shape", "1,3,128,128"),
                "does not hold on axis H", before);
        assertBadInput(build(m, "--out", out, "--min-shape", "1,1,16,16", "--opt-shape", "1,1,64,64", "--max-shape", "1,1,128,128"),
                "has 3 on axis C but the shape range asks for 1", before);
        assertBadInput(build(m, "--out", out, "--min-shape", "1,3,0,16", "--opt-shape", "1,3,64,64", "--max-shape", "1,3,128,128"),
                "has a dimension below 1", before);
        // Shapes are read before the model: a malformed range is reported even when the model is missing.
        assertBadInput(build(dir.resolve("none.onnx").toString(), "--out", out, "--max-shape", "1,3,64,64"),
                "give --min-shape, --opt-shape and --max-shape together", before);
    }

    @Test
    void pathsAreCheckedBeforeTensorRt() throws IOException {
        Path m = model();
        List<String> before = files();
        assertBadInput(build(m.toString(), "--out", m.toString()), "is the input model", before);
        assertBadInput(build(m.toString(), "--out", dir.toString()), "it is a directory", before);
        assertBadInput(build(m.toString(), "--out", dir.resolve("m.onnx").resolve("x.plan").toString()), "is not a directory", before);
        assertBadInput(build(m.toString(), "--out", dir.resolve("p.plan").toString(), "--timing-cache", dir.toString()),
                "cannot write timing cache", before);
        assertBadInput(build(dir.resolve("none.onnx").toString(), "--out", dir.resolve("p.plan").toString()),
                "model file not found", before);
        assertBadInput(build(m.toString()), "--out", before);
        assertBadInput(build(m.toString(), "--out", dir.resolve("p.plan").toString(), "--workspace", "-1"), "--workspace", before);
    }

    @Test
    void aWellFormedBuildNeedsTensorRt() throws IOException {
        Path m = model();
        Path plan = dir.resolve("m.plan");
        CliRunner.Result r = build(m.toString(), "--out", plan.toString(), "--fp16", "--min-shape", "1,3,16,16",
                "--opt-shape", "1,3,64,64", "--max-shape", "1,3,96,96", "--timing-cache", dir.resolve("t.cache").toString());
        TensorRtProbe.Result probe = TensorRtProbe.probe();
        if (probe.reason() != null) {
            assertBadInput(r, "cannot build a TensorRT plan here: " + probe.reason(), List.of("m.onnx"));
            return;
        }
        assertEquals(0, r.code(), r.err());
        PlanFile p = PlanFile.read(plan);
        assertEquals(Precision.FP16, p.header().precision());
        assertArrayEquals(new int[] {1, 3, 96, 96}, p.header().shapes().max());
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 150, 70), "png", dir.resolve("in.png"));
        CliRunner.Result u = upscale(in.toString(), dir.resolve("out.png").toString(), "--plan", plan.toString());
        assertEquals(0, u.code(), u.err());
        assertTrue(u.err().contains("tile size 64"), "96 - 2 * 16: " + u.err());
    }

    /** A plan whose header names a GPU no machine has, with the tiny nearest x2 model and a garbage engine. */
    private Path foreignPlan() throws IOException {
        Model m = TinyModels.nearestByShuffle(2);
        byte[] onnx = m.toOnnx(Precision.FP32);
        ShapeRange r = new ShapeRange(new int[] {1, 3, 8, 8}, new int[] {1, 3, 32, 32}, new int[] {1, 3, 64, 64});
        PlanHeader h = new PlanHeader("11.2.1", "Imaginary GPU 9000", "12.0", Precision.FP32,
                m.inputs().getFirst().name(), m.outputs().getFirst().name(), r);
        return Files.write(dir.resolve("foreign.plan"), new PlanFile(h, onnx, new byte[] {1, 2, 3}).toBytes());
    }

    @Test
    void upscaleWithAPlanChecksItsArguments() throws IOException {
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 20, 10), "png", dir.resolve("in.png"));
        Path plan = foreignPlan();
        String out = dir.resolve("out.png").toString();
        List<String> before = files();
        assertBadInput(upscale(in.toString(), out, "--plan", dir.resolve("none.plan").toString()), "plan file not found", before);
        assertBadInput(upscale(in.toString(), out, "--plan", in.toString()), "is not an srengine TensorRT plan", before);
        assertBadInput(upscale(in.toString(), out, "--plan", plan.toString(), "--backend", "cpu"),
                "--plan runs on the tensorrt backend, not 'cpu'", before);
        assertBadInput(upscale(in.toString(), out, "--plan", plan.toString(), "--model", "esrgan-slim-x2"),
                "drop --model", before);
        assertBadInput(upscale(in.toString(), out, "--plan", plan.toString(), "--precision", "FP16"),
                "drop --precision", before);
        assertBadInput(upscale(in.toString(), out, "--plan", plan.toString(), "--tile-pad", "40"),
                "leaves no room for a tile", before);
    }

    @Test
    void upscaleOnTensorRtWithoutAPlanNeedsTensorRt() throws IOException {
        TensorRtProbe.Result probe = TensorRtProbe.probe();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.reason() != null, "TensorRT is here: this checks its absence");
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 20, 10), "png", dir.resolve("in.png"));
        List<String> before = files();
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--backend", "tensorrt",
                "--model", "esrgan-slim-x2");
        assertBadInput(r, "backend 'tensorrt' (requested) cannot run here: " + probe.reason(), before);
    }

    @Test
    void aForeignPlanIsRefusedWithTheReason() throws IOException {
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 20, 10), "png", dir.resolve("in.png"));
        Path plan = foreignPlan();
        List<String> before = files();
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--plan", plan.toString());
        TensorRtProbe.Result probe = TensorRtProbe.probe();
        // Without TensorRT the backend cannot start; with it the header names the imaginary GPU.
        assertBadInput(r, probe.reason() != null ? probe.reason() : "Imaginary GPU 9000", before);
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
