package io.srengine.conformance;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.onnx.OnnxTestCase;
import io.srengine.onnx.OnnxTestCase.Result;
import io.srengine.onnx.OnnxTestCase.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs every ONNX backend-test case on one backend; subclass it per backend with {@link
 * #backendName()}. The cases come from ONNX's own test data (Debian {@code libonnx-testdata}: {@code
 * node}, {@code pytorch-converted}, {@code pytorch-operator}) and from the PyTorch fixtures committed
 * under {@code testdata/pytorch} and {@code engine-api/src/test/resources/pytorch-transformer-node} of the
 * repository.
 *
 * <p>A case that uses an op or type srengine lacks is reported as skipped with the reason (which
 * names the op); a supported case that computes the wrong result fails. Every case's outcome is
 * written to {@code target/conformance-<backend>.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnnxConformanceSuite {
    /** Where Debian's libonnx-testdata installs ONNX's backend test cases. */
    public static final Path ONNX_TEST_DATA = Path.of("/usr/share/libonnx-testdata/data");
    /**
     * System property naming another directory in the same layout ({@code node/},
     * {@code pytorch-converted/}, ...), for machines without the Debian package (the GPU kit carries
     * a copy of the cases there).
     */
    public static final String TEST_DATA_PROPERTY = "srengine.onnx.testdata";
    /** The suites of ONNX's test data that are run. */
    public static final List<String> ONNX_SUITES = List.of("node", "pytorch-converted", "pytorch-operator");

    private final List<String> report = Collections.synchronizedList(new ArrayList<>());
    private final Map<Status, Integer> counts = Collections.synchronizedMap(new EnumMap<>(Status.class));

    /** The backend to run the cases on, as {@code SessionOptions.backend} names it. */
    protected abstract String backendName();

    /** Relative tolerance; backends that compute in reduced precision override it and say why. */
    protected double rtol() {
        return OnnxTestCase.DEFAULT_RTOL;
    }

    /** Absolute tolerance; see {@link #rtol()}. */
    protected double atol() {
        return OnnxTestCase.DEFAULT_ATOL;
    }

    @TestFactory
    Stream<DynamicNode> onnxBackendTests() {
        Path data = onnxTestData();
        assumeTrue(Files.isDirectory(data), "ONNX backend test data is not installed at " + data
                + " (Debian/Ubuntu package libonnx-testdata, or set -D" + TEST_DATA_PROPERTY + ")");
        List<DynamicNode> suites = new ArrayList<>();
        for (String suite : ONNX_SUITES) {
            Path root = data.resolve(suite);
            if (Files.isDirectory(root)) {
                suites.add(container(suite, root));
            }
        }
        return suites.stream();
    }

    @TestFactory
    Stream<DynamicNode> pytorchFixtures() {
        Path root = repoRoot().resolve("testdata/pytorch");
        assumeTrue(Files.isDirectory(root), "no PyTorch fixtures at " + root);
        return Stream.of(container("pytorch", root));
    }

    /** Single-node cases for the transformer ops with PyTorch's outputs (tools/pytorch-transformer-op-fixtures). */
    @TestFactory
    Stream<DynamicNode> pytorchNodeFixtures() {
        Path root = repoRoot().resolve("engine-api/src/test/resources/pytorch-transformer-node");
        assumeTrue(Files.isDirectory(root), "no PyTorch node fixtures at " + root);
        return Stream.of(container("pytorch-node", root));
    }

    private DynamicContainer container(String suite, Path root) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : OnnxTestCase.findCases(root)) {
            tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), dir.toUri(), () -> runCase(suite, dir)));
        }
        return DynamicContainer.dynamicContainer(suite, root.toUri(), tests.stream());
    }

    private void runCase(String suite, Path dir) {
        record(suite, OnnxTestCase.open(dir).run(backendName(), rtol(), atol()));
    }

    /**
     * Adds a case's outcome to the report and turns it into the test's outcome: a skip aborts the
     * test with the reason, a failure fails it. For subclasses that run further kinds of cases.
     */
    protected void record(String suite, Result r) {
        report.add(suite + "/" + r.summaryLine());
        counts.merge(r.status(), 1, Integer::sum);
        switch (r.status()) {
            case PASS -> { }
            case SKIP -> abort(r.message());
            case FAIL -> fail(r.message(), r.error());
        }
    }

    @AfterAll
    void writeReport() throws IOException {
        Path file = Path.of("target", "conformance-" + backendName() + ".txt");
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# ONNX conformance on backend '" + backendName() + "' (rtol " + rtol() + ", atol " + atol() + "): "
                + counts.getOrDefault(Status.PASS, 0) + " pass, " + counts.getOrDefault(Status.FAIL, 0) + " fail, "
                + counts.getOrDefault(Status.SKIP, 0) + " skip");
        synchronized (report) {
            List<String> sorted = new ArrayList<>(report);
            Collections.sort(sorted);
            lines.addAll(sorted);
        }
        Files.write(file, lines);
    }

    /** {@link #ONNX_TEST_DATA}, or the directory the system property {@value #TEST_DATA_PROPERTY} names. */
    public static Path onnxTestData() {
        String p = System.getProperty(TEST_DATA_PROPERTY);
        return p != null && !p.isBlank() ? Path.of(p) : ONNX_TEST_DATA;
    }

    /** The repository root: the system property Surefire sets, else the parent of the working directory. */
    static Path repoRoot() {
        String p = System.getProperty("srengine.repo.root");
        return p != null && !p.isBlank() ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    }
}
