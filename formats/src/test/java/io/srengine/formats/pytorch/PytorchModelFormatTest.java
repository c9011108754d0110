package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Shape;
import io.srengine.spi.ModelFormats;
import io.srengine.testing.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Model.load} on checkpoints: found through the {@link io.srengine.spi.ModelFormat} SPI by
 * content, wrapped in the image convention (RGB [0, 1], output clipped), with metadata, and one-channel
 * networks run on each colour channel; all against PyTorch's outputs, clipped like srengine's.
 */
class PytorchModelFormatTest {
    @TempDir
    Path tmp;

    private static CheckpointFixtures.Case find(String name) {
        return CheckpointFixtures.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyVariantLoadsThroughModelLoadAndMatchesPytorchClipped() {
        for (CheckpointFixtures.Case c : CheckpointFixtures.cases()) {
            if (!c.dtype().equals("float32") || !c.options().isEmpty()) {
                continue;
            }
            Model m = Model.load(c.file());
            Map<String, String> md = m.metadata();
            assertEquals(Integer.toString(c.scale()), md.get(ModelMetadata.SCALE), c.name());
            assertTrue(md.get(ModelMetadata.ARCHITECTURE).contains(c.arch()), md.get(ModelMetadata.ARCHITECTURE));
            assertEquals("float32", md.get(ModelMetadata.WEIGHT_TYPE));
            assertTrue(Long.parseLong(md.get(ModelMetadata.PARAMETERS)) > 0);
            assertTrue(md.get(ModelMetadata.CONVERTED_FROM).contains(CheckpointReader.read(c.file()).format().description()));
            assertEquals(Shape.of(io.srengine.graph.Dim.symbol("N"), io.srengine.graph.Dim.of(3),
                    io.srengine.graph.Dim.symbol("H"), io.srengine.graph.Dim.symbol("W")), m.inputs().getFirst().type().shape());
            int[] s = c.inputShape();
            float[] x = c.inputValues();
            float[] want = c.outputValues();
            if (s[1] == 1) {
                // One-channel networks run on each of R, G, B: feed the same plane thrice.
                x = repeatPlanes(x, 3);
                want = repeatPlanes(want, 3);
                s = new int[] {s[0], 3, s[2], s[3]};
            }
            for (int i = 0; i < want.length; i++) {
                want[i] = Math.min(1f, Math.max(0f, want[i]));
            }
            try (Session session = m.newSession(SessionOptions.builder().backend("reference").build())) {
                Tensor y = session.run(Tensor.of(x, s));
                double err = Errors.relativeL2(y.floats(), want);
                assertTrue(err <= CheckpointParityTest.TOLERANCE, c.name() + ": relative L2 " + err);
            }
        }
    }

    private static float[] repeatPlanes(float[] plane, int n) {
        float[] out = new float[plane.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(plane, 0, out, i * plane.length, plane.length);
        }
        return out;
    }

    @Test
    void recognisedByContentWhateverTheExtension() throws IOException {
        for (String name : List.of("esrgan_old_x4.zip.float32", "esrgan_old_x4.legacy.float32",
                "esrgan_old_x4.safetensors.float32")) {
            CheckpointFixtures.Case c = find(name);
            Path renamed = Files.copy(c.file(), tmp.resolve(name.replace('.', '_') + ".weights"));
            var format = ModelFormats.find(renamed);
            assertInstanceOf(PytorchModelFormat.class, format, name);
            assertEquals("4", Model.load(renamed).metadata().get(ModelMetadata.SCALE));
        }
    }

    @Test
    void onnxIsNotClaimed() throws IOException {
        CheckpointFixtures.Case c = find("compact_prelu_x2.zip.float32");
        Path onnx = tmp.resolve("compact.onnx");
        Files.write(onnx, Model.load(c.file()).toOnnx(io.srengine.Precision.FP32));
        assertNull(ModelFormats.find(onnx));
        // ...and the exported ONNX model computes what the checkpoint does.
        Tensor x = Tensor.of(c.inputValues(), c.inputShape());
        try (Session a = Model.load(c.file()).newSession(SessionOptions.builder().backend("reference").build());
                Session b = Model.load(onnx).newSession(SessionOptions.builder().backend("reference").build())) {
            assertTrue(Errors.relativeL2(b.run(x).floats(), a.run(x).floats()) < 1e-6);
        }
    }

    @Test
    void compactWithoutSlopesNeedsItsActivationNamed() {
        CheckpointFixtures.Case c = find("compact_relu_x3.zip.float32");
        SrException e = assertThrows(SrException.class, () -> PytorchModelFormat.read(c.file(), BuildOptions.DEFAULTS));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("srengine.pytorch.compact-activation"), e.getMessage());
        String key = "srengine.pytorch.compact-activation";
        System.setProperty(key, "relu");
        try {
            assertEquals("3", Model.load(c.file()).metadata().get(ModelMetadata.SCALE));
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void optionsFromPropertiesAndEnvironment() {
        BuildOptions o = BuildOptions.from(Map.of("srengine.pytorch.noise-level", "25")::get,
                Map.of("SRENGINE_PYTORCH_COMPACT_ACTIVATION", "LeakyReLU", "SRENGINE_PYTORCH_RES_SCALE", "0.5"));
        assertEquals(25, o.noiseLevel());
        assertEquals("leakyrelu", o.compactActivation());
        assertEquals(0.5, o.residualScale());
        SrException e = assertThrows(SrException.class,
                () -> BuildOptions.from(Map.of("srengine.pytorch.compact-activation", "gelu")::get, Map.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertThrows(SrException.class, () -> BuildOptions.from(k -> null, Map.of("SRENGINE_PYTORCH_NOISE_LEVEL", "x")));
        assertThrows(SrException.class, () -> BuildOptions.DEFAULTS.withNoiseLevel(300));
    }

    @Test
    void noiseLevelChangesFdncnn() {
        CheckpointFixtures.Case c = find("fdncnn_color.zip.float32");
        Tensor x = Tensor.of(c.inputValues(), c.inputShape());
        StateDict sd = CheckpointReader.read(c.file());
        float[] at15;
        float[] at50;
        try (Session s = Model.fromGraph(Architectures.build(sd, BuildOptions.DEFAULTS).graph(), true).newSession(
                SessionOptions.builder().backend("reference").build())) {
            at15 = s.run(x).floats();
        }
        try (Session s = Model.fromGraph(Architectures.build(sd, BuildOptions.DEFAULTS.withNoiseLevel(50)).graph(), true)
                .newSession(SessionOptions.builder().backend("reference").build())) {
            at50 = s.run(x).floats();
        }
        // PyTorch's output for the default level is in the fixtures: the default must be KAIR's 15.
        assertTrue(Errors.relativeL2(at15, c.outputValues()) <= CheckpointParityTest.TOLERANCE);
        double change = Errors.relativeL2(at50, at15);
        // Both runs compute the same way but for the level, so any change at all shows it reaches the network.
        assertTrue(change > 1e-6, "the noise level must reach the network: " + change);
    }
}
