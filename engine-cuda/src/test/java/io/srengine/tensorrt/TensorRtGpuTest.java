package io.srengine.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.testing.Tolerances;
import io.srengine.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * TensorRT against the reference backend on the bundled models, in FP32 and FP16 plans, through the
 * same session API as every backend; skipped with the probe's reason where TensorRT or a GPU is
 * missing. Bounds are the CUDA backend's ({@link Tolerances}): TensorRT's FP16 kernels also keep
 * activations in float16 and accumulate in float32.
 */
class TensorRtGpuTest {
    static final ShapeRange RANGE = new ShapeRange(new int[] {1, 3, 16, 16}, new int[] {1, 3, 64, 64},
            new int[] {1, 3, 128, 128});

    @TempDir
    Path dir;

    @BeforeEach
    void needsTensorRt() {
        TensorRtProbe.Result r = TensorRtProbe.probe();
        Assumptions.assumeTrue(r.reason() == null, () -> "TensorRT cannot run here: " + r.reason());
    }

    static Tensor image(long seed, int h, int w) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return Tensor.of(v, 1, 3, h, w);
    }

    static Tensor reference(Model m, Tensor x) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(x);
        }
    }

    private Path buildPlan(Model m, Precision p, Path cache) {
        PlanFile plan = TensorRtBuilder.build(m, new TensorRtBuilder.Options(RANGE, p, cache, 0));
        assertEquals(p, plan.header().precision());
        return write(plan, "m-" + p + ".plan");
    }

    private Path write(PlanFile plan, String name) {
        try {
            return Files.write(dir.resolve(name), plan.toBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"esrgan-slim-x4,FP32", "esrgan-slim-x4,FP16", "esrgan-medium-x2,FP32", "esrgan-medium-x2,FP16"})
    void planMatchesTheReferenceBackend(String name, Precision precision) throws Exception {
        Model m = BundledModels.get(name).load();
        Path cache = dir.resolve("timing.cache");
        Path plan = buildPlan(m, precision, cache);
        assertTrue(Files.size(cache) > 0, "the timing cache is written");
        Tensor x = image(3, 40, 56);
        try (Session s = m.newSession(SessionOptions.builder().backend("tensorrt").property("tensorrt.plan", plan.toString())
                .build())) {
            assertEquals("tensorrt", s.backendName());
            Tensor y = s.run(x);
            Tolerances.assertClose(y, reference(m, x), precision, name + " " + precision + " plan");
            // Below the profile's minimum: padded up, run, cropped back to the right size.
            Tensor small = s.run(image(4, 9, 12));
            int k = y.dim(2) / 40;
            assertArrayEquals(new int[] {1, 3, 9 * k, 12 * k}, small.shape());
            SrException big = assertThrows(SrException.class, () -> s.run(image(5, 130, 20)));
            assertEquals(ErrorCode.INVALID_INPUT, big.code());
        }
    }

    @Test
    void aPlanForAnotherGpuIsRefusedBeforeDeserialising() {
        Model m = BundledModels.get("esrgan-slim-x2").load();
        PlanFile real = TensorRtBuilder.build(m, new TensorRtBuilder.Options(RANGE, Precision.FP32, null, 0));
        PlanHeader h = real.header();
        PlanHeader other = new PlanHeader(h.tensorrtVersion(), "Some Other GPU", h.computeCapability(), h.precision(),
                h.input(), h.output(), h.shapes());
        // The engine bytes are garbage: a refusal by the header is the only way this test passes.
        Path f = write(new PlanFile(other, real.onnx(), new byte[] {1, 2, 3}), "other.plan");
        SrException e = assertThrows(SrException.class, () -> m.newSession(SessionOptions.builder().backend("tensorrt")
                .property("tensorrt.plan", f.toString()).build()));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("Some Other GPU") && e.getMessage().contains(h.gpuName()), e.getMessage());
    }

    @Test
    void withoutAPlanOneIsBuiltInMemory() {
        Model m = BundledModels.get("esrgan-slim-x2").load();
        Tensor x = image(6, 24, 20);
        try (Session s = m.newSession(SessionOptions.builder().backend("tensorrt").property("tensorrt.min-shape", "1,3,16,16")
                .property("tensorrt.opt-shape", "1,3,32,32").property("tensorrt.max-shape", "1,3,64,64").build())) {
            Tolerances.assertClose(s.run(x), reference(m, x), Precision.FP32, "in-memory FP32 plan");
        }
    }
}
