package io.srengine.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.testing.TransformerCase;
import io.srengine.testing.TransformerFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SwinIR, HAT, DAT and OmniSR (PyTorch exports at opsets 13 and 17, random weights) on the cpu
 * backend, where transformer blocks run fused (Linear, Attention, LayerNorm kernels): within relative
 * L2 1e-5 of PyTorch at a size that is a multiple of the window (batch 1) and one that is not (batch
 * 2), at every vector width the module's test runs use.
 */
class TransformerCpuTest {
    @TestFactory
    Stream<DynamicTest> matchesPytorch() {
        List<Path> dirs = TransformerFixtures.cases();
        assumeTrue(!dirs.isEmpty(), () -> TransformerFixtures.unavailableReason());
        return dirs.stream().map(TransformerCase::open).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Model model = c.load();
            try (Session s = model.newSession(SessionOptions.builder().backend("cpu").threads(2).build())) {
                for (int i = 0; i < c.inputs().size(); i++) {
                    Tensor y = s.run(c.inputs().get(i));
                    double err = TransformerCase.relativeL2(c.expected().get(i), y);
                    assertTrue(err <= 1e-5, c.name() + " data set " + i + ": relative L2 error " + err);
                }
            }
        }));
    }
}
