package io.srengine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.onnx.OnnxImporter;
import io.srengine.ops.OpRegistry;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the conversion of UpscalerJS's models: each converted ONNX model, run on a photo crop,
 * matches what the original TF.js model computed on the same crop (fixtures by
 * tools/tfjs-reference.mjs) within {@value #TOLERANCE_255} on the 0-255 scale — on srengine's
 * reference backend, and on ONNX Runtime as a second, independent reader of the files.
 *
 * <p>The bound is the acceptance criterion of the conversion; what remains is float32 summation
 * order (TF.js and srengine add the taps of a convolution in different orders), about 2e-4 here.
 * A layout mistake costs tens to hundreds: DepthToSpace in CRD instead of DCR is off by 237.
 */
class TfjsConversionTest {
    static final double TOLERANCE_255 = 1e-3;
    /** The RRDN model is produced by tools/convert-upscalerjs.sh --thick, not bundled (29 MB). */
    static final String THICK = "esrgan-thick-x4";

    static Stream<String> bundled() {
        return BundledModels.from(BundledModels.Origin.UPSCALERJS).stream().map(BundledModels.BundledModel::name);
    }

    static Stream<String> bundledAndThick() {
        return Stream.concat(bundled(), Stream.of(THICK));
    }

    @ParameterizedTest
    @MethodSource("bundledAndThick")
    void referenceBackendMatchesTfjs(String name) {
        byte[] onnx = onnxBytes(name);
        List<String> missing = new ArrayList<>();
        for (String op : OnnxImporter.read(onnx, null, name).opUsage().keySet()) {
            if (OpRegistry.get(op) == null) {
                missing.add(op);
            }
        }
        assumeTrue(missing.isEmpty(), "srengine does not implement " + missing + " yet");
        TfjsFixture f = TfjsFixture.load(name);
        Tensor out;
        try (Session s = Model.load(onnx).newSession(SessionOptions.builder().backend("reference").build())) {
            out = s.run(Tensor.of(f.crop(), 1, 3, f.height(), f.width()));
        }
        assertArrayEquals(f.shape(), out.shape(), name);
        check(f, out.floats(), "reference backend");
    }

    @ParameterizedTest
    @MethodSource("bundledAndThick")
    void onnxRuntimeMatchesTfjs(String name) throws OrtException {
        byte[] onnx = onnxBytes(name);
        TfjsFixture f = TfjsFixture.load(name);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(onnx, opts);
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(f.crop()), new long[] {1, 3, f.height(), f.width()});
                OrtSession.Result result = session.run(Map.of("input", in))) {
            OnnxTensor out = (OnnxTensor) result.get("output").orElseThrow();
            long[] shape = out.getInfo().getShape();
            assertArrayEquals(f.shape(), new int[] {(int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]}, name);
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            check(f, values, "ONNX Runtime");
        }
    }

    private static void check(TfjsFixture f, float[] output, String runtime) {
        double err = f.maxError255(output);
        System.out.printf("%s on %s: max |output - TF.js| = %.3g (0-255 scale), %d TF.js values clipped%n",
                f.model(), runtime, err, f.clipped());
        assertTrue(err <= TOLERANCE_255, f.model() + " on " + runtime + ": max error " + err + " on the 0-255 scale exceeds "
                + TOLERANCE_255);
    }

    private static byte[] onnxBytes(String name) {
        if (!name.equals(THICK)) {
            return BundledModels.get(name).bytes();
        }
        Path file = Path.of(System.getProperty("srengine.repo.root", "."), "tools", ".cache", "models", THICK + ".onnx");
        assumeTrue(Files.isRegularFile(file), file + " is absent; tools/convert-upscalerjs.sh --thick makes it");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
