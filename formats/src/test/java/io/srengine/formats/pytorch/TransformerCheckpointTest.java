package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.onnx.OnnxTensors;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.rewrite.TransformerFusion;
import io.srengine.testing.Errors;
import io.srengine.testing.TransformerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SwinIR, HAT, DAT and OmniSR from checkpoints against PyTorch: the state dicts ({@code model.pth}) that
 * tools/export_transformer_fixtures.py saves beside its ONNX exports (SwinIR classical x2, lightweight
 * x3, real-world x4 with 3conv; HAT base- and S-shaped; DAT base-, light- and 2-shaped; OmniSR x2 with
 * two groups and position bias; random weights), read, detected, built and run on both data sets (a size
 * that is a multiple of the window at batch 1, one that is not at batch 2), within relative L2 1e-5
 * of PyTorch's output and of the same network's ONNX export run by srengine. The graphs must fuse
 * on the cpu backend exactly as the exports do. (The cli module runs the same cases on the cpu backend.)
 */
public class TransformerCheckpointTest {
    /** Fixture case and the architecture it must be detected as. */
    public static final Map<String, String> CASES = new java.util.LinkedHashMap<>(Map.of(
            "swinir_classical_x2", "SwinIR", "swinir_light_x3", "SwinIR", "swinir_real_x4", "SwinIR",
            "hat_x2", "HAT", "hat_s_x3", "HAT", "dat_x2", "DAT", "dat_light_x4", "DAT", "dat_2_x3", "DAT",
            "omnisr_x2", "OmniSR"));
    private static final double TOLERANCE = 1e-5;

    @TestFactory
    Stream<DynamicTest> matchesPytorchAndTheOnnxExport() {
        return tests("reference");
    }

    public static Stream<DynamicTest> tests(String backend) {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : CASES.keySet()) {
            tests.add(DynamicTest.dynamicTest(c + " on " + backend, () -> check(c, backend)));
        }
        return tests.stream();
    }

    static void check(String name, String backend) throws Exception {
        assumeTrue(TransformerFixtures.root() != null, TransformerFixtures.unavailableReason());
        Path dir = TransformerFixtures.root().resolve(name + "_opset17");
        StateDict sd = CheckpointReader.read(dir.resolve("model.pth"));
        Architecture arch = Architectures.detect(sd);
        assertEquals(CASES.get(name), arch.name());
        Network net = arch.build(sd, BuildOptions.DEFAULTS);
        int scale = Integer.parseInt(name.substring(name.lastIndexOf('x') + 1));
        assertEquals(scale, net.scale(), net.description());
        Model checkpoint = Model.fromGraph(net.graph(), true);
        Model export = Model.load(dir.resolve("model.onnx"));
        // The cpu backend fuses what it recognises of an export; the checkpoint's graph must fuse alike.
        Map<String, Tensor> in0 = Map.of(NetBuilder.INPUT,
                OnnxTensors.readFile(dir.resolve("test_data_set_0").resolve("input_0.pb")));
        TransformerFusion.Report fused = TransformerFusion.apply(ShapeSpecializer.forInputs(checkpoint.graph(), in0));
        TransformerFusion.Report fusedExport = TransformerFusion.apply(ShapeSpecializer.forInputs(export.graph(),
                Map.of(export.inputs().getFirst().name(), in0.get(NetBuilder.INPUT))));
        System.out.println(name + ": fused " + fused + ", the export " + fusedExport);
        assertEquals(fusedExport, fused, "fusion of the checkpoint's graph against the export's");
        assertTrue(fused.attentions() > 0 && fused.linears() > 0, fused.toString());
        SessionOptions options = SessionOptions.builder().backend(backend).threads(2).build();
        try (Session fromCheckpoint = checkpoint.newSession(options);
                Session fromOnnx = export.newSession(options)) {
            for (int i = 0; Files.isDirectory(dir.resolve("test_data_set_" + i)); i++) {
                Path data = dir.resolve("test_data_set_" + i);
                Tensor x = OnnxTensors.readFile(data.resolve("input_0.pb"));
                Tensor want = OnnxTensors.readFile(data.resolve("output_0.pb"));
                Tensor y = fromCheckpoint.run(x);
                String what = name + " data set " + i + " " + java.util.Arrays.toString(x.shape()) + " on " + backend
                        + " (" + net.description() + ")";
                assertArrayEquals(want.shape(), y.shape(), what);
                double err = Errors.relativeL2(y.floats(), want.floats());
                double onnx = Errors.relativeL2(y.floats(), fromOnnx.run(x).floats());
                System.out.printf("%s: relative L2 %.2e to PyTorch, %.2e to the ONNX export%n", what, err, onnx);
                assertTrue(err <= TOLERANCE, what + ": relative L2 " + err + " to PyTorch");
                assertTrue(onnx <= TOLERANCE, what + ": relative L2 " + onnx + " to the ONNX export");
            }
        }
    }
}
