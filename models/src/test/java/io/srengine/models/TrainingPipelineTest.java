package io.srengine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the training pipeline's own Python tests (tools/train/test_train.py: a few steps of a tiny
 * network, resume, export) so that {@code mvn verify} catches a broken pipeline. They need
 * Debian's python3-torch, python3-onnx and python3-pil, which CI installs; where no interpreter
 * with torch exists the test is skipped and says so.
 */
class TrainingPipelineTest {
    /** Debian's interpreter first: on machines with pyenv, the first python3 on PATH may lack torch. */
    static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");

    static String pythonWithTorch() throws InterruptedException {
        for (String py : INTERPRETERS) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch, onnx, PIL").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return py;
                }
            } catch (IOException e) {
                // not installed under this name; try the next
            }
        }
        return null;
    }

    @Test
    void pythonTestsPass() throws IOException, InterruptedException {
        String py = pythonWithTorch();
        assumeTrue(py != null, "no python3 with torch, onnx and PIL (Debian: apt-get install python3-torch python3-onnx python3-pil)");
        Path root = Path.of(System.getProperty("srengine.repo.root", ".."));
        Path log = Files.createTempFile("srengine-train-tests", ".log");
        try {
            Process p = new ProcessBuilder(py, "-m", "unittest", "discover", "-s", "tools/train", "-p", "test_*.py")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(10, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, done ? p.exitValue() : -1, "tools/train tests failed:\n" + out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
