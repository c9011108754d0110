package io.srengine.cuda;

import static io.srengine.cuda.testing.GpuAssumptions.assumeGpu;
import static io.srengine.cuda.testing.GpuAssumptions.cuda;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.tensorrt.TensorRtProbe;
import io.srengine.testing.TransformerCase;
import io.srengine.testing.TransformerFixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The transformer fixtures (SwinIR, HAT, DAT, OmniSR with random weights, PyTorch's outputs) on the GPU: the
 * CUDA backend in each precision, and TensorRT from srengine's FP32 and FP16 exports. Bounds are the
 * emulation's (TransformerEmulationTest): relative L2 1e-5 in FP32 (2e-5 for TensorRT, whose kernels
 * may reorder sums), 1e-2 in FP16 and 4e-2 in BF16. Skipped without a GPU or without TensorRT.
 */
class TransformerGpuTest {
    static Stream<TransformerCase> cases() {
        assumeTrue(!TransformerFixtures.cases().isEmpty(), () -> TransformerFixtures.unavailableReason());
        return TransformerFixtures.cases().stream().map(TransformerCase::open);
    }

    static double bound(Precision p) {
        return switch (p) {
            case FP32 -> 1e-5;
            case FP16 -> 1e-2;
            case BF16 -> 4e-2;
        };
    }

    @TestFactory
    Stream<DynamicTest> cudaBackendMatchesPytorch() {
        assumeGpu();
        return cases().flatMap(c -> Stream.of(Precision.values()).map(p -> DynamicTest.dynamicTest(c.name() + " " + p, () -> {
            Model m = c.load();
            try (Session s = m.newSession(cuda(p))) {
                for (int i = 0; i < c.inputs().size(); i++) {
                    Tensor y = s.run(c.inputs().get(i));
                    double err = TransformerCase.relativeL2(c.expected().get(i), y);
                    assertTrue(err <= bound(p), c.name() + " " + p + " data set " + i + ": relative L2 " + err);
                }
            }
        })));
    }

    @TestFactory
    Stream<DynamicTest> tensorRtBuildsTheExports() {
        TensorRtProbe.Result r = TensorRtProbe.probe();
        assumeTrue(r.reason() == null, () -> "TensorRT cannot run here: " + r.reason());
        return cases().filter(c -> c.inputs().get(0).dim(0) == 1).flatMap(c -> Stream.of(Precision.FP32, Precision.FP16)
                .map(p -> DynamicTest.dynamicTest(c.name() + " " + p, () -> {
                    Model m = c.load();
                    Tensor x = c.inputs().get(0);
                    String shape = "1,3," + x.dim(2) + "," + x.dim(3);
                    try (Session s = m.newSession(SessionOptions.builder().backend("tensorrt").precision(p)
                            .property("tensorrt.min-shape", shape).property("tensorrt.opt-shape", shape)
                            .property("tensorrt.max-shape", shape).build())) {
                        Tensor y = s.run(x);
                        double err = TransformerCase.relativeL2(c.expected().get(0), y);
                        assertTrue(err <= (p == Precision.FP32 ? 2e-5 : 1e-2), c.name() + " TensorRT " + p + ": " + err);
                    }
                })));
    }
}
