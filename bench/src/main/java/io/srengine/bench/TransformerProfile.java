package io.srengine.bench;

import io.srengine.Model;
import io.srengine.Tensor;
import io.srengine.cpu.KernelHarness;
import io.srengine.graph.Graph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CPU backend's time goes in the transformer benchmark models: the share of fused
 * attention, of the Linear layers, of the convolutions and of everything else, from per-step timings
 * of whole runs ({@link KernelHarness#profile}), and the model's GFLOP for the report:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.TransformerProfile OUT.tsv [RUNS]}.
 * Writes one line per model and size: model, size, GFLOP, then the percentages.
 */
public final class TransformerProfile {
    private TransformerProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TransformerProfile OUT.tsv [RUNS]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> lines = new ArrayList<>();
        lines.add("model\tsize\tgflop\tattention%\tlinear%\tconv%\tother%");
        for (String model : TransformerBenchmark.MODELS) {
            for (int size : new int[] {64, 128}) {
                Graph g = Model.load(TransformerBenchmark.onnx(model)).graph();
                Tensor x = TransformerBenchmark.input(size);
                double gflop = Flops.of(g, x.shape()) / 1e9;
                try (KernelHarness h = new KernelHarness(g, Map.of(g.inputs().get(0).name(), x), Engine.THREADS)) {
                    h.profile(Math.max(1, runs / 2));
                    double[] share = shares(h.profile(runs));
                    String line = String.format(Locale.ROOT, "%s\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f", model, size, gflop,
                            share[0], share[1], share[2], share[3]);
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        Files.write(Path.of(args[0]), lines);
    }

    /** Percent of the time in Attention, Linear, Conv and other steps, from a profile's step lines. */
    static double[] shares(String profile) {
        double[] t = new double[4];
        for (String line : profile.split("\n")) {
            String s = line.strip();
            if (!s.matches("^[0-9.]+ ms .*")) {
                continue;
            }
            double ms = Double.parseDouble(s.substring(0, s.indexOf(' ')));
            int k = s.contains("Attention node") ? 0 : s.contains("Linear node") ? 1 : s.contains("Conv node") ? 2 : 3;
            t[k] += ms;
        }
        double total = t[0] + t[1] + t[2] + t[3];
        for (int i = 0; i < 4; i++) {
            t[i] = total == 0 ? 0 : 100 * t[i] / total;
        }
        return t;
    }
}
