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
 * The reference backend (scalar Java, double accumulation, one thread) on the two small models only:
 * it runs at well under 1 GFLOP/s, so the larger models (tens to hundreds of GFLOP per image) would
 * take minutes per iteration. Single-shot timing, since one run already lasts seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ReferenceModelBenchmark {
    @Param({"espcn_x3", "fsrcnn_x2"})
    public String model;

    @Param({"auto"})
    public String shape;

    private Engine e;

    @Setup(Level.Trial)
    public void setup() {
        e = Engine.open("srengine-reference", BenchModels.bytes(model), BenchModels.input(BenchModels.shape(model, shape)));
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
