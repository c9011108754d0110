package io.srengine.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.reference.ReferenceBackend;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.rewrite.TransformerFusion;
import io.srengine.spi.CompiledModel;
import io.srengine.testing.TransformerCase;
import io.srengine.testing.TransformerFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TransformerFusion} on the PyTorch exports: the fused graph, run by the reference kernels of
 * the internal ops, still matches PyTorch within relative L2 1e-5 at both data-set sizes (one a
 * multiple of the window, one not, with batch 2), and every window attention was fused: no Softmax
 * is left except DAT's channel attention (which attends over channels, not windows), and no
 * Transpose or Slice is left between the transformer blocks' projections.
 */
class TransformerFusionTest {
    @TestFactory
    Stream<DynamicTest> fusedGraphsMatchPytorch() {
        List<Path> dirs = TransformerFixtures.cases();
        assumeTrue(!dirs.isEmpty(), () -> TransformerFixtures.unavailableReason());
        return dirs.stream().map(TransformerCase::open).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Graph prepared = c.load().graph();
            for (int i = 0; i < c.inputs().size(); i++) {
                Tensor in = c.inputs().get(i);
                Graph g = ShapeSpecializer.forInputs(prepared, Map.of(prepared.inputs().get(0).name(), in));
                TransformerFusion.Report r = TransformerFusion.apply(g);
                assertTrue(r.attentions() > 0, c.name() + ": no attention fused: " + r);
                // What Softmax remains must be channel attention (DAT, OmniSR): scores scaled by a learnt
                // per-head temperature, a non-scalar constant, which the fused op does not take.
                Map<String, Node> producers = g.producers();
                for (Node n : g.nodes()) {
                    if (n.opType().equals("Softmax")) {
                        Node p = producers.get(n.input(0));
                        assertTrue(p != null && p.opType().equals("Mul") && g.isInitializer(p.input(1))
                                && g.initializers().get(p.input(1)).size() > 1, c.name() + ": " + n.describe()
                                + " is not channel attention and was not fused");
                    }
                }
                if (c.name().startsWith("swinir") || c.name().startsWith("hat")) {
                    assertTrue(r.linears() > 0, c.name() + ": " + r);
                    for (Node n : g.nodes()) {
                        assertTrue(!n.opType().equals("Softmax"), n.describe());
                    }
                }
                Tensor y;
                try (CompiledModel m = new ReferenceBackend().compile(g)) {
                    y = m.run(Map.of(g.inputs().get(0).name(), in)).values().iterator().next();
                }
                double err = TransformerCase.relativeL2(c.expected().get(i), y);
                assertTrue(err <= 1e-5, c.name() + " data set " + i + ": relative L2 " + err + " after fusion " + r);
            }
        }));
    }
}
