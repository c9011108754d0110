package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.onnx.OnnxTestCase;
import io.srengine.onnx.OnnxTestCase.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The transformer ops against PyTorch (float64, stored as float32; written by {@code
 * tools/pytorch-transformer-op-fixtures}) on the reference backend, at a tolerance near float32's
 * rounding: Gelu (which Debian's ONNX test data predates), Erf from 0 to ±30, LayerNormalization,
 * Softmax on inner axes and at opset 11, MatMul broadcasting, Gemm, the Einsum forms of attention,
 * reductions and Mod.
 */
class PytorchTransformerNodeTest {
    static final Path CASES = Path.of("src/test/resources/pytorch-transformer-node");

    @TestFactory
    Stream<DynamicTest> cases() {
        return OnnxTestCase.findCases(CASES).stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
                () -> {
                    Result r = OnnxTestCase.open(dir).run("reference", 1e-5, 1e-6);
                    assertEquals(OnnxTestCase.Status.PASS, r.status(), r.message());
                }));
    }

    @Test
    void everyFixtureIsPresent() {
        List<Path> found = OnnxTestCase.findCases(CASES);
        assertTrue(found.size() >= 22, "expected the 22 generated cases, found " + found.size());
    }
}
