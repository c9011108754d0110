package io.srengine.bench;

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
 * Whole models end to end (input tensor in, output tensor out) on srengine's CPU backend and on ONNX
 * Runtime, side by side in one run. Any ONNX file works:
 * {@code java -jar bench/target/benchmarks.jar ModelBenchmark -p model=PATH -p shape=NxCxHxW -p engine=srengine-cpu,onnxruntime}
 * (several shapes: {@code -p shape=1x3x64x64,1x3x128x128}; JMH splits values at commas). Each engine
 * runs in forks of its own.
 * Before timing, srengine's output is compared with ONNX Runtime's and the normalised MSE printed, so a
 * fast but wrong result cannot go unnoticed. Two forks: C2 does not compile the kernels identically in
 * every JVM (the order of compilations decides which profile a shared kernel is compiled with), so one
 * JVM's number can be off by more than its error bar; two average over that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ModelBenchmark {
    @Param({"espcn_x3", "fsrcnn_x2", "srvgg_x4", "edsr_baseline_x4", "rrdbnet_x4", "esrgan-slim-x2", "esrgan-slim-x3",
        "esrgan-slim-x4", "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4"})
    public String model;

    @Param({"auto"})
    public String shape;

    @Param({"srengine-cpu", "onnxruntime"})
    public String engine;

    private Engine e;

    @Setup(Level.Trial)
    public void setup() {
        byte[] onnx = BenchModels.bytes(model);
        var input = BenchModels.input(BenchModels.shape(model, shape));
        e = Engine.open(engine, onnx, input);
        if (!engine.equals("onnxruntime")) {
            // srengine's session is built (and has run) before ONNX Runtime loads: in one process, EDSR
            // sessions built after an ORT session had run measured 310-420 ms against 190-310 ms.
            e.run();
            try (Engine ort = Engine.open("onnxruntime", onnx, input)) {
                double nmse = Agreement.nmse(e.output(), ort.output());
                System.out.printf("%n%s on %s: NMSE against ONNX Runtime %.3g%n", engine, BenchModels.label(model), nmse);
                if (!(nmse < 1e-6)) {
                    throw new IllegalStateException(engine + " disagrees with ONNX Runtime on " + model + ": NMSE " + nmse);
                }
            }
        }
    }

    @Benchmark
    public Object infer() {
        return e.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        e.close();
    }
}
