package io.srengine.bench;

import io.srengine.Model;
import io.srengine.Tensor;
import io.srengine.cpu.KernelHarness;
import io.srengine.graph.Graph;
import java.util.Map;

/**
 * Where a model's time goes on the CPU backend, step by step:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.ProfileModel MODEL [N,C,H,W] [RUNS]}.
 * MODEL is a benchmark model name or an ONNX path, as for {@link ModelBenchmark}.
 */
public final class ProfileModel {
    private ProfileModel() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ProfileModel MODEL [N,C,H,W] [RUNS]");
            System.exit(2);
        }
        String model = args[0];
        int[] shape = BenchModels.shape(model, args.length > 1 ? args[1] : "auto");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Graph g = Model.load(BenchModels.bytes(model)).graph();
        Tensor x = BenchModels.input(shape);
        try (KernelHarness h = new KernelHarness(g, Map.of(g.inputs().get(0).name(), x), Engine.THREADS)) {
            h.profile(Math.max(1, runs / 2));
            System.out.println(h.profile(runs));
        }
    }
}
