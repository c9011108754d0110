package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.conformance.ConstantInputCases;
import io.srengine.conformance.OnnxConformanceSuite;
import io.srengine.graph.Graph;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxTensors;
import io.srengine.onnx.OnnxTestCase;
import io.srengine.rewrite.ShapeSpecializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ONNX cases CudaConformanceTest runs on the GPU, compiled as the CUDA backend compiles them
 * (specialised to the data set's inputs, {@link PlanBuilder} in fp32) and run on {@link
 * KernelEmulator}: without a GPU this checks everything but the kernels' machine code. A case may be
 * refused while compiling ({@code UNSUPPORTED_OP}, which the suite reports as a skip); any other
 * exception or a result outside the suite's tolerances fails.
 */
class ConformanceEmulationTest {
    private static final double RTOL = OnnxTestCase.DEFAULT_RTOL;
    private static final double ATOL = 1e-5;

    @Test
    void acceptedCasesComputeTheExpectedOutputs() {
        Path data = OnnxConformanceSuite.onnxTestData();
        assumeTrue(Files.isDirectory(data.resolve("node")), "ONNX backend test data is not installed at " + data);
        List<String> failures = new ArrayList<>();
        int passed = 0;
        int constant = 0;
        for (String suite : OnnxConformanceSuite.ONNX_SUITES) {
            Path root = data.resolve(suite);
            if (!Files.isDirectory(root)) {
                continue;
            }
            for (Path dir : OnnxTestCase.findCases(root)) {
                Model m;
                try {
                    m = Model.load(dir.resolve("model.onnx"));
                } catch (SrException e) {
                    continue;
                }
                boolean asIs = Lowering.unsupported(m.graph()).isEmpty();
                boolean withConstants = !asIs && suite.equals("node") && ConstantInputCases.qualifies(dir);
                if (!asIs && !withConstants) {
                    continue;
                }
                String result;
                try {
                    result = runCase(dir, m, withConstants);
                } catch (AssertionError | RuntimeException e) {
                    result = "threw " + e;
                }
                if (result == null) {
                    passed++;
                    constant += withConstants ? 1 : 0;
                } else if (!result.isEmpty()) {
                    failures.add(suite + "/" + dir.getFileName() + ": " + result);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
        // 271 and 61 since the token ops (MatMul, Softmax, LayerNormalization, Transpose, Gather...).
        assertTrue(passed >= 265 && constant >= 60, passed + " cases passed, " + constant + " with constant inputs");
    }

    /** null when every data set matches, "" when compiling refused the case, else what went wrong. */
    private static String runCase(Path dir, Model model, boolean withConstants) {
        for (Path set : OnnxTestCase.open(dir).dataSets()) {
            Model m = withConstants ? Model.fromGraph(ConstantInputCases.withConstantInputs(dir, set), true) : model;
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (int i = 0; i < m.inputs().size(); i++) {
                in.put(m.inputs().get(i).name(), OnnxTensors.readFile(set.resolve("input_" + i + ".pb")));
            }
            Map<String, Tensor> out;
            try {
                out = emulate(m, in);
            } catch (SrException e) {
                return e.code() == ErrorCode.UNSUPPORTED_OP ? "" : set.getFileName() + ": " + e;
            }
            List<ValueInfo> outs = m.outputs();
            for (int i = 0; i < outs.size(); i++) {
                Tensor want = OnnxTensors.readFile(set.resolve("output_" + i + ".pb"));
                OnnxTestCase.Comparison c = OnnxTestCase.compare(want, out.get(outs.get(i).name()), RTOL, ATOL);
                if (!c.matches()) {
                    return set.getFileName() + ", output '" + outs.get(i).name() + "': " + c.message();
                }
            }
        }
        return null;
    }

    /** What CudaCompiledModel.plan and CudaPlan.run do, with the emulator for the device. */
    private static Map<String, Tensor> emulate(Model m, Map<String, Tensor> inputs) {
        Graph g = ShapeSpecializer.forInputs(m.graph(), inputs);
        KernelEmulator emu = new KernelEmulator(4);
        PlanBuilder.Plan plan = PlanBuilder.build(g, DeviceType.F32, emu);
        for (PlanBuilder.Staging s : plan.inputs()) {
            emu.write(s.address(), inputs.get(s.name()).floats());
        }
        emu.run(plan, DeviceType.F32);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (PlanBuilder.Staging s : plan.outputs()) {
            out.put(s.name(), Tensor.of(emu.read(s.address(), (int) (s.bytes() / 4)), s.shape()));
        }
        return out;
    }
}
