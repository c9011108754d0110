package io.srengine.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.testing.TransformerCase;
import io.srengine.testing.TransformerFixtures;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The transformers exported again by srengine (what {@code srengine export-onnx} writes for TensorRT),
 * in FP32 and FP16: ONNX Runtime runs the files; FP32 matches PyTorch within relative L2 1e-5, FP16
 * within 1e-2 (the bound and its reasoning are {@link OnnxExportPrecisionTest}'s). Written at opset
 * 13, LayerNormalization and Gelu (recognised on import) are spelled out again in opset-13 ops.
 */
class TransformerExportTest {
    static Stream<TransformerCase> cases() {
        assumeTrue(!TransformerFixtures.cases().isEmpty(), () -> TransformerFixtures.unavailableReason());
        Set<String> wanted = Set.of("swinir_light_x3_opset13", "swinir_classical_x2_opset17", "hat_x2_opset17",
                "dat_x2_opset13", "dat_light_x4_opset17", "omnisr_x2_opset17");
        return TransformerFixtures.cases().stream().filter(p -> wanted.contains(p.getFileName().toString()))
                .map(TransformerCase::open);
    }

    @TestFactory
    Stream<DynamicTest> exportsRunInOnnxRuntime() {
        return cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Model model = c.load();
            Tensor in = c.inputs().getLast();
            Tensor want = c.expected().getLast();
            byte[] fp32 = model.toOnnx(Precision.FP32);
            ModelProto p = ModelProto.parseFrom(fp32);
            Set<String> ops = p.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
            if (p.getOpsetImport(0).getVersion() < 17) {
                assertFalse(ops.contains("LayerNormalization"), "LayerNormalization written before opset 17");
            }
            assertFalse(ops.contains("Gelu"), "Gelu written before opset 20");
            double again = TransformerCase.relativeL2(want, reference(Model.load(fp32), in));
            assertTrue(again <= 1e-5, c.name() + ": re-imported FP32 export, relative L2 " + again);
            double ort = relL2(want.floats(), OnnxExportPrecisionTest.runOrt(fp32, in));
            assertTrue(ort <= 1e-5, c.name() + ": ONNX Runtime on the FP32 export, relative L2 " + ort);
            byte[] fp16 = model.toOnnx(Precision.FP16);
            double half = relL2(want.floats(), OnnxExportPrecisionTest.runOrt(fp16, in));
            assertTrue(half <= OnnxExportPrecisionTest.FP16_BOUND, c.name() + ": ONNX Runtime on the FP16 export,"
                    + " relative L2 " + half);
        }));
    }

    static Tensor reference(Model m, Tensor in) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(in);
        }
    }

    static double relL2(float[] want, float[] got) {
        return TransformerCase.relativeL2(Tensor.of(want, want.length), Tensor.of(got, got.length));
    }
}
