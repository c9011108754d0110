package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Tensor;
import io.srengine.formats.pytorch.CheckpointFixtures;
import io.srengine.formats.pytorch.CheckpointParityTest;
import io.srengine.formats.pytorch.CommunityCheckpoints;
import io.srengine.formats.pytorch.TransformerCheckpointTest;
import io.srengine.testing.Errors;
import io.srengine.testing.TransformerFixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch checkpoints on the command line: {@code upscale --model X.pth} for every architecture in
 * every file format equals PyTorch's 8-bit result within one level; {@code export-onnx} turns a
 * checkpoint into an ONNX file that ONNX Runtime runs with PyTorch's result; {@code models inspect}
 * describes checkpoints and refuses unsupported ones by name; bad checkpoints exit 2 and write
 * nothing. Also runs every fixture case on the cpu backend (the formats module, which cannot depend
 * on it, checks them on the reference backend).
 */
class CheckpointCommandsTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesPytorchOnTheCpuBackend() {
        return CheckpointParityTest.tests("cpu");
    }

    @TestFactory
    Stream<DynamicTest> transformerCheckpointsMatchPytorchOnTheCpuBackend() {
        return TransformerCheckpointTest.tests("cpu");
    }

    @TestFactory
    Stream<DynamicTest> upscaleWithEveryArchitectureAndFormatMatchesPytorchWithinOneLevel() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CheckpointFixtures.Case c : CheckpointFixtures.cases()) {
            if (c.dtype().equals("float32")) {
                tests.add(DynamicTest.dynamicTest(c.name(), () -> upscaleMatches(c)));
            }
        }
        return tests.stream();
    }

    private void upscaleMatches(CheckpointFixtures.Case c) throws IOException {
        Path out = dir.resolve(c.name() + ".png");
        String act = c.options().get("compact.activation");
        if (act != null) {
            System.setProperty("srengine.pytorch.compact-activation", act);
        }
        try {
            CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(), CheckpointFixtures.crop().toString(),
                    out.toString(), "--model", c.file().toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
        } finally {
            System.clearProperty("srengine.pytorch.compact-activation");
        }
        int worst = maxDifference(ImageIO.read(out.toFile()), ImageIO.read(c.png().toFile()));
        assertTrue(worst <= 1, c.name() + ": a pixel differs from PyTorch's by " + worst + " levels");
    }

    /** The largest difference of any channel of any pixel, in 8-bit levels; the sizes must agree. */
    static int maxDifference(BufferedImage a, BufferedImage b) {
        assertEquals(b.getWidth(), a.getWidth(), "width");
        assertEquals(b.getHeight(), a.getHeight(), "height");
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    worst = Math.max(worst, Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff)));
                }
            }
        }
        return worst;
    }

    @Test
    void upscaleWithASwinIrCheckpointInTilesMatchesTheWholeImage() throws Exception {
        assumeTrue(TransformerFixtures.root() != null, TransformerFixtures.unavailableReason());
        Path model = TransformerFixtures.root().resolve("swinir_classical_x2_opset17").resolve("model.pth");
        Path crop = CheckpointFixtures.photoCrop(dir.resolve("swin-crop.png"), 40, 20, 45, 38);
        Path whole = dir.resolve("swin-whole.png");
        Path tiled = dir.resolve("swin-tiled.png");
        CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(), crop.toString(), whole.toString(), "--model",
                model.toString(), "--tile", "0", "--quiet");
        assertEquals(0, r.code(), r.err());
        // Tiles of 13 start off the window grid unless the upscaler aligns them (the checkpoint's metadata).
        r = CliRunner.run("upscale", new UpscaleCommand(), crop.toString(), tiled.toString(), "--model",
                model.toString(), "--tile", "13", "--quiet");
        assertEquals(0, r.code(), r.err());
        BufferedImage a = ImageIO.read(whole.toFile());
        assertEquals(90, a.getWidth());
        int worst = maxDifference(ImageIO.read(tiled.toFile()), a);
        assertTrue(worst <= 1, "tiled SwinIR differs from untiled by " + worst + " levels");
    }

    @Test
    void upscaleWithACommunityCheckpointMatchesPytorch() throws Exception {
        // 4x-NMKD-YandereNeo-Superlite: ESRGAN in the legacy format, as most older community models are.
        Path model = CommunityCheckpoints.file(CommunityCheckpoints.YANDERE_NEO);
        Path crop = CheckpointFixtures.photoCrop(dir.resolve("crop.png"), 60, 30, 16, 12);
        Path out = dir.resolve("up.png");
        CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(), crop.toString(), out.toString(), "--model",
                model.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        float[] want = pytorch(model, crop);
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(64, img.getWidth());
        int worst = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int p = img.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    float v = Math.min(1f, Math.max(0f, want[(ch * 48 + y) * 64 + x]));
                    worst = Math.max(worst, Math.abs(((p >> (16 - 8 * ch)) & 0xff) - Math.round(v * 255f)));
                }
            }
        }
        assertTrue(worst <= 1, "a pixel differs from PyTorch's by " + worst + " levels");
    }

    private static float[] pytorch(Path checkpoint, Path image) throws Exception {
        String py = CheckpointFixtures.python();
        org.junit.jupiter.api.Assumptions.assumeTrue(py != null, "no python3 with torch");
        Path out = image.resolveSibling("reference");
        Process p = new ProcessBuilder(py, CheckpointFixtures.repoRoot().resolve("tools/checkpoints/community_reference.py")
                .toString(), checkpoint.toString(), image.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        byte[] b = Files.readAllBytes(Path.of(out + ".bin"));
        float[] v = new float[b.length / 4];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /**
     * Which built graphs the CUDA backend can run, from its own static check (no GPU needed): all
     * but the variant docs/models.md names (pixel-unshuffle inputs padded at run time), which runs
     * on the cpu and reference backends. One-channel networks, whose colour channels are
     * folded into the batch by a Reshape, run since the CUDA plan takes Reshape of images as views.
     */
    @Test
    void cudaBackendRunsEveryArchitectureButTheDocumentedVariants() {
        for (CheckpointFixtures.Case c : CheckpointFixtures.cases()) {
            if (!c.format().equals("zip") || !c.dtype().equals("float32")) {
                continue;
            }
            var graph = io.srengine.formats.pytorch.PytorchModelFormat.read(c.file(), c.buildOptions());
            Map<String, String> unsupported = io.srengine.cuda.plan.Lowering.unsupported(
                    io.srengine.Model.fromGraph(graph, true).graph());
            boolean expected = c.variant().contains("unshuffle");
            assertEquals(expected, !unsupported.isEmpty(), c.variant() + ": " + unsupported);
        }
    }

    @Test
    void exportOnnxTurnsACheckpointIntoOnnxThatOnnxRuntimeRuns() throws Exception {
        for (String name : List.of("esrgan_basicsr_x2_unshuffle.safetensors.float32", "span_x4.legacy.float32",
                "realplksr_x4.zip.float32", "rcan_x2.zip.float32", "omnisr_w5_x4.zip.float32")) {
            CheckpointFixtures.Case c = CheckpointFixtures.cases().stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow();
            Path onnx = dir.resolve(name + ".onnx");
            CliRunner.Result r = CliRunner.run("export-onnx", new ExportOnnxCommand(), c.file().toString(), "--out",
                    onnx.toString());
            assertEquals(0, r.code(), r.err());
            Tensor x = Tensor.of(c.inputValues(), c.inputShape());
            float[] got = ExportOnnxCommandTest.onnxRuntime(onnx, x);
            float[] want = c.outputValues();
            for (int i = 0; i < want.length; i++) {
                want[i] = Math.min(1f, Math.max(0f, want[i]));
            }
            double err = Errors.relativeL2(got, want);
            assertTrue(err <= 1e-5, name + ": ONNX Runtime differs from PyTorch by " + err);
        }
    }

    @Test
    void modelsInspectDescribesCheckpoints() {
        CliRunner.Result r = CliRunner.run("models", new ModelsCommand(), "inspect",
                CommunityCheckpoints.file(CommunityCheckpoints.ANISCALE).toString());
        assertEquals(0, r.code(), r.err());
        for (String line : List.of("format         PyTorch zip", "state dict     params_ema", "tensors        53 (float32)",
                "architecture   SRVGGNetCompact (64 features, 16 body convolutions, PReLU)", "scale          2",
                "parameters     600652", "weight_type    float32", "input          input FLOAT32[N, 3, H, W]")) {
            assertTrue(r.out().contains(line), "missing '" + line + "' in:\n" + r.out());
        }
        CheckpointFixtures.Case half = CheckpointFixtures.cases().stream()
                .filter(k -> k.name().equals("esrgan_old_x4.zip.bfloat16")).findFirst().orElseThrow();
        CliRunner.Result h = CliRunner.run("models", new ModelsCommand(), "inspect", half.file().toString());
        assertEquals(0, h.code(), h.err());
        assertTrue(h.out().contains("weight_type    bfloat16"), h.out());
        assertTrue(h.out().contains("scale          4"), h.out());

        CliRunner.Result omni = CliRunner.run("models", new ModelsCommand(), "inspect",
                CommunityCheckpoints.file(CommunityCheckpoints.DESCREENTON).toString());
        assertEquals(0, omni.code(), omni.err());
        for (String line : List.of("tensors        316 (float32)",
                "architecture   OmniSR x4 (64 channels, 5 groups of 1 block, window 8)", "scale          4")) {
            assertTrue(omni.out().contains(line), "missing '" + line + "' in:\n" + omni.out());
        }
    }

    @Test
    void badCheckpointsExitTwoAndWriteNothing() throws IOException {
        CheckpointFixtures.Case c = CheckpointFixtures.cases().getFirst();
        byte[] whole = Files.readAllBytes(c.file());
        Path truncated = Files.write(dir.resolve("truncated" + ext(c.file())), Arrays.copyOf(whole, whole.length / 2));
        Path unknown = dir.resolve("unknown.safetensors");
        byte[] header = "{\"encoder.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Files.write(unknown, b.putLong(header.length).put(header).putFloat(1f).array());
        for (Path bad : List.of(truncated, unknown, dir.resolve("missing.pth"))) {
            Path out = dir.resolve("out-" + bad.getFileName() + ".png");
            CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(), CheckpointFixtures.crop().toString(),
                    out.toString(), "--model", bad.toString(), "--quiet");
            assertEquals(Main.EXIT_BAD_INPUT, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains(bad.getFileName().toString()), r.err());
            assertFalse(Files.exists(out));
        }
        CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(), CheckpointFixtures.crop().toString(),
                dir.resolve("x.png").toString(), "--model", unknown.toString(), "--quiet");
        assertTrue(r.err().contains("match no architecture srengine knows") && r.err().contains("encoder.weight"), r.err());
    }

    private static String ext(Path p) {
        String n = p.getFileName().toString();
        return n.substring(n.lastIndexOf('.'));
    }
}
