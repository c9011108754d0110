package io.srengine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.onnx.OnnxTestCase;
import io.srengine.onnx.OnnxTestCase.Result;
import io.srengine.onnx.OnnxTestCase.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The constant-input variant of the ONNX node cases, checked on the reference backend (no GPU
 * needed): binding inputs as initializers must not change what a case computes, and the cases the
 * CUDA backend gains from it are the convolution, transposed-convolution and Resize ones.
 */
class ConstantInputCasesTest {
    private static final Path NODE = OnnxConformanceSuite.onnxTestData().resolve("node");

    @Test
    void qualifyingCasesAreTheWeightAndScaleCasesAndPassOnTheReference() {
        assumeTrue(Files.isDirectory(NODE), "ONNX node test cases are not installed at " + NODE);
        List<Path> cases = OnnxTestCase.findCases(NODE).stream().filter(ConstantInputCases::qualifies).toList();
        List<String> names = cases.stream().map(p -> p.getFileName().toString()).toList();
        for (String want : List.of("test_conv_with_strides_and_asymmetric_padding", "test_convtranspose_output_shape",
                "test_resize_upsample_scales_cubic", "test_resize_downsample_sizes_linear_pytorch_half_pixel")) {
            assertTrue(names.contains(want), want + " in " + names);
        }
        assertFalse(names.contains("test_depthtospace_dcr_mode"), "runs on the GPU as it stands");
        assertFalse(names.contains("test_add"), "rank-3 activations stay unsupported");
        for (Path c : cases) {
            Result r = ConstantInputCases.run(c, "reference", OnnxTestCase.DEFAULT_RTOL, OnnxTestCase.DEFAULT_ATOL);
            assertEquals(Status.PASS, r.status(), r.summaryLine());
        }
    }

    @Test
    void aWrongExpectedOutputFails() throws Exception {
        Path src = NODE.resolve("test_basic_conv_with_padding");
        assumeTrue(Files.isDirectory(src), "ONNX node test cases are not installed at " + NODE);
        Path dir = Files.createTempDirectory("const-case");
        Path set = Files.createDirectories(dir.resolve("test_data_set_0"));
        Files.copy(src.resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.copy(src.resolve("test_data_set_0/input_0.pb"), set.resolve("input_0.pb"));
        Files.copy(src.resolve("test_data_set_0/input_1.pb"), set.resolve("input_1.pb"));
        // The input as the expected output: same type, wrong shape and values.
        Files.copy(src.resolve("test_data_set_0/input_0.pb"), set.resolve("output_0.pb"));
        Result r = ConstantInputCases.run(dir, "reference", OnnxTestCase.DEFAULT_RTOL, OnnxTestCase.DEFAULT_ATOL);
        assertEquals(Status.FAIL, r.status(), r.summaryLine());
    }
}
