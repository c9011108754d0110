package io.srengine.bench;

import io.srengine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Transformer SR models end to end on srengine's CPU backend and on ONNX Runtime, from the same ONNX
 * file: SwinIR-light x4 and DAT-light x4 at their released sizes (random weights; speed does not
 * depend on the values), written by {@code tools/export_transformer_fixtures.py --bench bench/models}.
 * Before timing, srengine's output is compared with ONNX Runtime's (NMSE), as in {@link ModelBenchmark}.
 * Each engine runs in forks of its own, so neither shares a JVM with the other's threads or memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TransformerBenchmark {
    /** The models this benchmark knows, by name (directories under {@link BenchModels#dir()}). */
    static final String[] MODELS = {"swinir_light_x4", "dat_light_x4"};

    @Param({"swinir_light_x4", "dat_light_x4"})
    public String model;

    @Param({"64", "128"})
    public int size;

    @Param({"srengine-cpu", "onnxruntime"})
    public String engine;

    private Engine e;

    static byte[] onnx(String model) {
        Path p = BenchModels.dir().resolve(model).resolve("model.onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no model file " + p.toAbsolutePath() + "; generate the transformer"
                    + " benchmark models with /usr/bin/python3 tools/export_transformer_fixtures.py --bench "
                    + BenchModels.dir());
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Tensor input(int size) {
        return BenchModels.input(new int[] {1, 3, size, size});
    }

    @Setup(Level.Trial)
    public void setup() {
        byte[] bytes = onnx(model);
        Tensor input = input(size);
        e = Engine.open(engine, bytes, input);
        e.run();
        if (!engine.equals("onnxruntime")) {
            try (Engine ort = Engine.open("onnxruntime", bytes, input)) {
                double nmse = Agreement.nmse(e.output(), ort.output());
                System.out.printf("%n%s on %s %dx%d: NMSE against ONNX Runtime %.3g%n", engine, model, size, size, nmse);
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
