package io.srengine.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.onnx.OnnxImporter;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.testing.TransformerCase;
import io.srengine.testing.TransformerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SwinIR, HAT, DAT and OmniSR exported from PyTorch (random weights, opsets 13 and 17, dynamic
 * height and width) run on the reference backend and match PyTorch's own output within a relative L2
 * error of 1e-5, at a size that is a multiple of the window (batch 1) and one that is not (batch 2).
 * Also checks what the preparation promises for these graphs: the older exports' LayerNorm and GELU
 * patterns become single nodes, OmniSR's Einsums become MatMuls, the per-block copies of the shift
 * mask computation are merged, and once the input size is known no integer arithmetic is left.
 */
class TransformerReferenceTest {
    static final double REL_L2 = 1e-5;

    static Stream<TransformerCase> cases() {
        List<Path> dirs = TransformerFixtures.cases();
        assumeTrue(!dirs.isEmpty(), () -> TransformerFixtures.unavailableReason());
        return dirs.stream().map(TransformerCase::open);
    }

    @TestFactory
    Stream<DynamicTest> matchesPytorch() {
        return cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Model model = c.load();
            try (Session s = model.newSession(SessionOptions.builder().backend("reference").build())) {
                for (int i = 0; i < c.inputs().size(); i++) {
                    Tensor y = s.run(c.inputs().get(i));
                    double err = TransformerCase.relativeL2(c.expected().get(i), y);
                    assertTrue(err <= REL_L2, c.name() + " data set " + i + ": relative L2 error " + err);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> preparedGraphs() {
        return cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Graph raw = OnnxImporter.read(Files.readAllBytes(c.model()), null, c.name());
            Graph prepared = c.load().graph();
            Map<String, List<String>> ops = prepared.opUsage();
            if (c.name().endsWith("opset13") && !c.name().startsWith("omnisr")) {
                assertTrue(ops.containsKey("LayerNormalization"), "LayerNorm pattern not recognised: " + ops.keySet());
            }
            assertTrue(!ops.containsKey("Erf"), "GELU pattern left: " + ops.keySet());
            assertTrue(!ops.containsKey("Einsum"), "Einsum left: " + ops.keySet());
            // A shift mask takes 9 ScatterNDs (one per region); one mask per window shape should remain:
            // SwinIR and HAT have one shape, DAT two (its windows are rectangles in both orientations).
            int rawScatter = raw.opUsage().getOrDefault("ScatterND", List.of()).size();
            int scatter = ops.getOrDefault("ScatterND", List.of()).size();
            int shapes = c.name().startsWith("dat") ? 2 : c.name().startsWith("omnisr") ? 0 : 1;
            assertEquals(9 * shapes, scatter, "shift-mask subgraphs not merged (" + rawScatter + " in the file)");
            Graph specialised = ShapeSpecializer.forInputs(prepared, Map.of(prepared.inputs().get(0).name(),
                    c.inputs().getLast()));
            for (Node n : specialised.nodes()) {
                for (String o : n.outputs()) {
                    if (!o.isEmpty()) {
                        assertTrue(specialised.typeOf(o).dataType().isFloatingPoint(), n.describe()
                                + " computes " + specialised.typeOf(o) + " at run time");
                    }
                }
            }
            assertEquals(0, specialised.opUsage().getOrDefault("ScatterND", List.of()).size());
        }));
    }
}
