package io.srengine.bench;

import io.srengine.Model;
import io.srengine.Tensor;
import io.srengine.cpu.KernelHarness;
import io.srengine.onnx.OnnxExporter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single kernels ({@link KernelGraphs}). {@code srengine-cpu} times the kernels alone, on activations
 * already in the blocked layout, as they run inside a model; {@code srengine-cpu-direct} is the same
 * with Winograd switched off (for the 3×3 direct-convolution target); {@code onnxruntime} times ONNX
 * Runtime's whole run of the one-node model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmark {
    @Param({"conv3x3", "conv1x1", "conv_transpose", "pixel_shuffle", "dense_block"})
    public String kernel;

    @Param({"srengine-cpu", "srengine-cpu-direct", "onnxruntime"})
    public String engine;

    private KernelHarness harness;
    private Engine ort;

    @Setup(Level.Trial)
    public void setup() {
        KernelGraphs.KernelCase k = KernelGraphs.of(kernel);
        Tensor x = BenchModels.input(k.inputShape());
        byte[] onnx = OnnxExporter.toBytes(Model.fromGraph(k.graph(), false).graph());
        if (engine.equals("onnxruntime")) {
            ort = Engine.open(engine, onnx, x);
            return;
        }
        String old = System.getProperty("srengine.cpu.winograd");
        System.setProperty("srengine.cpu.winograd", engine.equals("srengine-cpu-direct") ? "off" : "auto");
        try {
            harness = new KernelHarness(k.graph(), Map.of("x", x), Engine.THREADS);
        } finally {
            if (old == null) {
                System.clearProperty("srengine.cpu.winograd");
            } else {
                System.setProperty("srengine.cpu.winograd", old);
            }
        }
        try (Engine check = Engine.open("onnxruntime", onnx, x)) {
            float[] mine = harness.runAll().values().iterator().next().floats();
            double nmse = Agreement.nmse(mine, check.output());
            System.out.printf("%n%s %s: NMSE against ONNX Runtime %.3g%nplan:%n%s%n", engine, kernel, nmse, harness.plan());
            if (!(nmse < 1e-6)) {
                throw new IllegalStateException(kernel + " disagrees with ONNX Runtime: NMSE " + nmse);
            }
        }
    }

    @Benchmark
    public Object run() {
        if (ort != null) {
            return ort.run();
        }
        harness.runKernels();
        return harness;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (ort != null) {
            ort.close();
        }
        if (harness != null) {
            harness.close();
        }
    }
}
