package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.onnx.OnnxTestCase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs ONNX backend test cases ({@code model.onnx} + {@code test_data_set_N/input_*.pb, output_*.pb})
 * and prints one line per case, like ONNX Runtime's {@code onnx_test_runner}.
 */
@Command(name = "onnx-test", mixinStandardHelpOptions = true,
        description = {"Run ONNX backend test cases and compare with their expected outputs.",
                "Each CASE_DIR is a case (holding model.onnx) or a directory of cases, e.g."
                        + " /usr/share/libonnx-testdata/data/node.",
                "Prints PASS, FAIL or SKIP (with the reason, e.g. an unsupported op) and the maximum absolute"
                        + " error per case; exits 1 if any case fails, 2 on bad arguments."})
final class OnnxTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: best available).")
    String backend;

    @Option(names = "--atol", paramLabel = "A", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    double atol = OnnxTestCase.DEFAULT_ATOL;

    @Option(names = "--rtol", paramLabel = "R", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    double rtol = OnnxTestCase.DEFAULT_RTOL;

    @Parameters(arity = "1..*", paramLabel = "CASE_DIR", description = "Test case directories or directories of cases.")
    List<Path> dirs;

    @Override
    public Integer call() {
        if (atol < 0 || rtol < 0 || Double.isNaN(atol) || Double.isNaN(rtol)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "tolerances must be non-negative numbers");
        }
        List<Path> cases = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve("model.onnx"))) {
                cases.add(d);
            } else if (Files.isDirectory(d)) {
                List<Path> found = OnnxTestCase.findCases(d);
                if (found.isEmpty()) {
                    throw new SrException(ErrorCode.IO_ERROR, "no test cases (directories with model.onnx) in " + d);
                }
                cases.addAll(found);
            } else {
                throw new SrException(ErrorCode.IO_ERROR, "no such test case directory: " + d);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int pass = 0;
        int fail = 0;
        int skip = 0;
        for (Path c : cases) {
            OnnxTestCase.Result r = OnnxTestCase.open(c).run(backend, rtol, atol);
            String err = Double.isNaN(r.maxAbsError()) ? "-" : String.format("%.3g", r.maxAbsError());
            out.printf("%-4s %-50s max_abs_err=%-10s %s%n", r.status(), r.name(), err,
                    r.status() == OnnxTestCase.Status.PASS ? "" : r.message().replace('\n', ' '));
            out.flush();
            switch (r.status()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case SKIP -> skip++;
            }
        }
        out.printf("%d passed, %d failed, %d skipped%n", pass, fail, skip);
        out.flush();
        return fail > 0 ? Main.EXIT_FAILED : 0;
    }
}
