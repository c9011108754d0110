package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.testing.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every architecture, in every file format and weight type, against PyTorch: the checkpoints and
 * PyTorch's outputs come from {@code tools/checkpoints/make_checkpoints.py} (random weights, random
 * input in [0, 1]); srengine reads the file, detects the architecture, builds the network and runs
 * it on the reference backend, the oracle. (The cli module, which has every backend, runs the same
 * cases on the cpu backend.) Relative L2 error at most 1e-5, the bound of srengine's ONNX export
 * checks, for float16, bfloat16 and float64 weights too: both sides compute in float32 from the same
 * widened values.
 */
public class CheckpointParityTest {
    public static final double TOLERANCE = 1e-5;

    @TestFactory
    Stream<DynamicTest> matchesPytorch() {
        return tests("reference");
    }

    /** One dynamic test per fixture case on the given backend. */
    public static Stream<DynamicTest> tests(String backend) {
        List<DynamicTest> tests = new ArrayList<>();
        for (CheckpointFixtures.Case c : CheckpointFixtures.cases()) {
            tests.add(DynamicTest.dynamicTest(c.name() + " on " + backend, () -> check(c, backend)));
        }
        return tests.stream();
    }

    static void check(CheckpointFixtures.Case c, String backend) {
        StateDict sd = CheckpointReader.read(c.file());
        assertEquals(c.dtype(), sd.floatingTypes().iterator().next().torchName(), "stored weight type");
        Architecture arch = Architectures.detect(sd);
        assertEquals(c.arch(), arch.name(), "detected architecture");
        Network net = arch.build(sd, c.buildOptions());
        assertEquals(c.scale(), net.scale(), "scale");
        Model model = Model.fromGraph(net.graph(), true);
        Tensor x = Tensor.of(c.inputValues(), c.inputShape());
        try (Session s = model.newSession(SessionOptions.builder().backend(backend).threads(2).build())) {
            Tensor y = s.run(x);
            assertArrayEquals(c.outputShape(), y.shape(), backend + ": output shape");
            double err = Errors.relativeL2(y.floats(), c.outputValues());
            System.out.printf("%s on %s (%s): relative L2 %.2e to PyTorch%n", c, backend, net.description(), err);
            assertTrue(err <= TOLERANCE, backend + ": relative L2 error " + err + " > " + TOLERANCE + " for " + c
                    + " (" + net.description() + ")");
        }
    }
}
