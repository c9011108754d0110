package io.srengine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark page's arithmetic: FLOP counts, speed-ups, share of the peak and the target verdicts. */
class BenchmarkReportTest {
    @TempDir
    Path dir;

    @Test
    void flopsOfTheConvKernelAreTwoPerMultiplyAccumulate() {
        // 64 -> 64 channels, 3x3 taps, 128x128 output pixels.
        assertEquals(2.0 * 64 * 64 * 9 * 128 * 128, Flops.ofKernel("conv3x3"), 0.0);
        assertEquals(2.0 * 64 * 64 * 128 * 128, Flops.ofKernel("conv1x1"), 0.0);
    }

    @Test
    void flopsOfATransposedConvolutionCountEveryTapOfEveryInputPixel() {
        // 56 -> 3 channels, 9x9 taps, stride 2, on a 128x128 input: no zeros are counted.
        assertEquals(2.0 * 56 * 3 * 81 * 128 * 128, Flops.ofKernel("conv_transpose"), 0.0);
    }

    @Test
    void pageComputesSpeedupsPeakShareAndVerdicts() throws Exception {
        double ops = 5e9;  // FMA vector operations per second on all cores
        List<BenchmarkReport.Row> rows = List.of(
                new BenchmarkReport.Row("FmaPeak.allThreads", Map.of(), ops, 0, "ops/s"),
                new BenchmarkReport.Row("FmaPeak.oneThread", Map.of(), ops / 2, 0, "ops/s"),
                model("esrgan-slim-x4", "srengine-cpu", 50),
                model("esrgan-slim-x4", "onnxruntime", 75),
                model("esrgan-medium-x4", "srengine-cpu", 100),
                model("esrgan-medium-x4", "onnxruntime", 93),
                new BenchmarkReport.Row("KernelBenchmark.run", Map.of("kernel", "conv3x3", "engine", "srengine-cpu-direct"),
                        6.0, 0.1, "ms/op"));
        String md = new BenchmarkReport.Report(rows, Map.of("jdkVersion", "25"), "2026-01-01", "quiet",
                dir.resolve("no-analysis.md")).markdown();
        assertTrue(md.contains("| esrgan-slim-x4: ≥ 1.0× ONNX Runtime | 1.50× | yes |"), md);
        assertTrue(md.contains("| esrgan-slim-x4: ≥ 1.5× ONNX Runtime | 1.50× | yes |"), md);
        assertTrue(md.contains("| esrgan-medium-x4: ≥ 1.0× ONNX Runtime | 0.93× | no (short by 7%) |"), md);
        double peak = ops * 2 * FloatVector.SPECIES_PREFERRED.length() / 1e9;
        double share = 100 * Flops.ofKernel("conv3x3") / 6.0e6 / peak;
        String want = String.format(Locale.ROOT, "| direct conv3x3 64→64, 128×128: ≥ 65%% of FMA peak | %.1f%% | %s |",
                share, share >= 65 ? "yes" : String.format(Locale.ROOT, "no (short by %.0f%%)", 100 * (1 - share / 65)));
        assertTrue(md.contains(want), want + "\n" + md);
        assertTrue(md.contains("| Conditions | quiet |"), md);
    }

    private static BenchmarkReport.Row model(String model, String engine, double ms) {
        return new BenchmarkReport.Row("ModelBenchmark.infer", Map.of("model", model, "engine", engine, "shape", "auto"),
                ms, 1, "ms/op");
    }
}
