package io.srengine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.ops.OpRegistry;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.spi.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs ONNX's own backend test cases (Debian libonnx-testdata) for the spatial ops through shape
 * inference, constant folding and the reference kernels, and compares with ONNX's expected outputs.
 */
class SpatialOpsConformanceTest {
    /** Root of the test data; {@code -Dsrengine.onnx.testdata=DIR} points at another copy or a newer export. */
    static final Path DATA = Path.of(System.getProperty("srengine.onnx.testdata", "/usr/share/libonnx-testdata/data"));
    static final Set<String> OPS = Set.of("Conv", "ConvTranspose", "AveragePool", "MaxPool", "GlobalAveragePool",
            "GlobalMaxPool", "BatchNormalization", "ReduceMean", "Resize", "Upsample");

    /** Cases that use a feature outside srengine's scope, with the error they must give. */
    static final Map<String, ErrorCode> REJECTED = Map.of(
            "test_maxpool_2d_uint8", ErrorCode.UNSUPPORTED_OP,
            "test_maxpool_with_argmax_2d_precomputed_pads", ErrorCode.UNSUPPORTED_OP,
            "test_maxpool_with_argmax_2d_precomputed_strides", ErrorCode.UNSUPPORTED_OP,
            "test_batchnorm_epsilon_training_mode", ErrorCode.UNSUPPORTED_OP,
            "test_batchnorm_example_training_mode", ErrorCode.UNSUPPORTED_OP);

    /** Newer ONNX cases for these ops, exported by tools/onnx-node-fixtures. */
    static final Path BUNDLED = Path.of("src/test/resources/onnx-node");
    /** Odd-sized cases with PyTorch's results, written by tools/pytorch-spatial-fixtures. */
    static final Path PYTORCH = Path.of("src/test/resources/pytorch-node");

    /**
     * Cases whose expected values ONNX wrote as 4-decimal literals, so they match only to ONNX's own
     * test tolerance (rtol 1e-3).
     */
    static final Set<String> FOUR_DECIMALS = Set.of("test_averagepool_2d_ceil_last_window_starts_on_pad");

    static Stream<Path> libonnxCases() throws IOException {
        assumeTrue(Files.isDirectory(DATA.resolve("node")), "libonnx-testdata is not installed at " + DATA);
        List<Path> found = new ArrayList<>();
        for (String suite : List.of("node", "pytorch-converted", "pytorch-operator")) {
            found.addAll(casesIn(DATA.resolve(suite)));
        }
        return found.stream();
    }

    static Stream<Path> bundledCases() throws IOException {
        return casesIn(BUNDLED).stream();
    }

    static Stream<Path> pytorchCases() throws IOException {
        return casesIn(PYTORCH).stream();
    }

    private static List<Path> casesIn(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    if (Files.exists(p.resolve("model.onnx")) && usesSpatialOp(p)) {
                        found.add(p);
                    }
                }
            }
        }
        return found;
    }

    private static boolean usesSpatialOp(Path p) throws IOException {
        return OnnxCaseReader.opTypes(p).stream().anyMatch(OPS::contains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libonnxCases")
    void matchesLibonnxTestdata(Path dir) throws IOException {
        check(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundledCases")
    void matchesBundledOnnxCases(Path dir) throws IOException {
        check(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchCases")
    void matchesPytorch(Path dir) throws IOException {
        check(dir);
    }

    private static void check(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        ErrorCode rejected = REJECTED.get(name);
        OnnxCaseReader.Case c;
        try {
            c = OnnxCaseReader.read(dir);
        } catch (SrException e) {
            if (rejected != null) {
                assertEquals(rejected, e.code(), e.getMessage());
                return;
            }
            // ONNX's opset-1 Global*Pool cases; their opset-21 exports are among the bundled cases.
            assumeTrue(e.code() != ErrorCode.UNSUPPORTED_OP || !e.getMessage().contains("opset"), e.getMessage());
            throw e;
        }
        Set<String> missing = new TreeSet<>();
        for (String op : OnnxCaseReader.opTypes(c.graph())) {
            if (OpRegistry.get(op) == null) {
                missing.add(op);
            }
        }
        assumeTrue(missing.isEmpty(), name + " also needs " + missing + ", not available in this build");
        if (rejected != null) {
            SrException e = assertThrows(SrException.class, () -> GraphPreparer.prepare(c.graph(), false));
            assertEquals(rejected, e.code(), e.getMessage());
            return;
        }
        Graph g = GraphPreparer.prepare(c.graph(), false);
        Map<String, Tensor> actual;
        try (var backend = new ReferenceBackend(); CompiledModel compiled = backend.compile(g)) {
            actual = compiled.run(c.inputs());
        }
        for (int i = 0; i < c.outputs().size(); i++) {
            String out = g.outputs().get(i).name();
            double rtol = FOUR_DECIMALS.contains(name) ? 1e-3 : 1e-4;
            assertClose(name + " output '" + out + "'", c.outputs().get(i), actual.get(out), rtol);
        }
    }

    /** |a - e| <= 1e-5 + rtol |e| everywhere; float32 sums in a different order differ by a few ulps. */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (!(Math.abs(a - e) <= 1e-5 + rtol * Math.abs(e)) && !(Double.isNaN(e) && Double.isNaN(a))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }
}
