package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Tensor;
import io.srengine.onnx.OnnxTensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The small commands: exit codes and what they print. */
class CommandsTest {
    private static final Path ESPCN = Path.of(System.getProperty("srengine.repo.root", ".."),
            "testdata/pytorch/espcn_x3_opset13");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void onnxTestPassesOnAFixture() {
        Run r = run("onnx-test", "--backend", "reference", ESPCN.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("PASS espcn_x3_opset13"), r.out());
        assertTrue(r.out().contains("1 passed, 0 failed, 0 skipped"), r.out());
    }

    @Test
    void onnxTestFailsWithNonZeroExitWhenOutputsDiffer(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("espcn_broken");
        try (Stream<Path> files = Files.walk(ESPCN)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(ESPCN.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path out = copy.resolve("test_data_set_0/output_0.pb");
        Tensor expected = OnnxTensors.readFile(out);
        expected.floats()[7] += 0.5f;
        OnnxTensors.writeFile(out, "output", expected);
        Run r = run("onnx-test", "--backend", "reference", copy.toString());
        assertEquals(Main.EXIT_FAILED, r.exit(), r.out());
        assertTrue(r.out().startsWith("FAIL espcn_broken"), r.out());
        assertTrue(r.out().contains("0 passed, 1 failed"), r.out());
    }

    @Test
    void onnxTestRejectsMissingDirectory(@TempDir Path tmp) {
        Run r = run("onnx-test", tmp.resolve("nope").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("no such test case directory"), r.err());
    }

    @Test
    void onnxTestRejectsNegativeTolerance() {
        Run r = run("onnx-test", "--atol", "-1", ESPCN.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("tolerances"), r.err());
    }

    @Test
    void unknownBackendIsBadInput() {
        Run r = run("onnx-test", "--backend", "quantum", ESPCN.toString());
        assertEquals(0, r.exit(), "a case that cannot run on an unavailable backend is skipped, not failed");
        assertTrue(r.out().startsWith("SKIP"), r.out());
        assertTrue(r.out().contains("quantum"), r.out());
    }

    @Test
    void modelsListsEveryBundledModelAndTheDefault() {
        Run r = run("models");
        assertEquals(0, r.exit(), r.err());
        for (String name : new String[] {"srvgg-x2", "srvgg-x3", "srvgg-x4", "espcn-x2", "espcn-x3", "espcn-x4",
                "fsrcnn-x2", "fsrcnn-x3", "fsrcnn-x4", "esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4",
                "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4"}) {
            assertTrue(r.out().contains(name), name + " missing from:\n" + r.out());
        }
        assertTrue(r.out().contains("(default)") && r.out().contains("MIT") && r.out().contains("SRVGGNetCompact"), r.out());
    }

    @Test
    void backendsListsReference() {
        Run r = run("backends");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("reference") && r.out().contains("available"), r.out());
    }

    @Test
    void precisionTheBackendLacksIsBadInput(@TempDir Path tmp) {
        Run r = run("upscale", "--backend", "reference", "--precision", "fp16",
                Path.of(System.getProperty("srengine.repo.root", ".."), "models/samples/astronaut.png").toString(),
                tmp.resolve("out.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("FP32 only"), r.err());
        assertTrue(!Files.exists(tmp.resolve("out.png")));
    }

    @Test
    void unknownOptionIsBadInput() {
        Run r = run("models", "--frobnicate");
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }
}
