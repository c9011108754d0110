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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the CPU backend's time goes in the transformer benchmark models: the share of fused
 * attention, of the Linear layers, of the convolutions and of everything else, from per-step timings
 * of whole runs ({@link KernelHarness#profile}), and the model's GFLOP for the report:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.TransformerProfile OUT.tsv [RUNS]}.
 * Writes one line per model and size: model, size, GFLOP, then the percentages; and next to it
 * {@code OUT-by-kind.tsv}, the time per kind of step (op type, or layout conversion) per run.
 */
public final class TransformerProfile {
    /** A step line of {@code KernelHarness.profile}: milliseconds, percent, what the step is. */
    private static final Pattern STEP = Pattern.compile("([0-9.]+) ms +[0-9.]+%  (.*)");

    private TransformerProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TransformerProfile OUT.tsv [RUNS]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> lines = new ArrayList<>();
        lines.add("model\tsize\tgflop\tattention%\tlinear%\tconv%\tother%");
        List<String> kinds = new ArrayList<>();
        kinds.add("model\tsize\tkind\tms\tpercent");
        for (String model : TransformerBenchmark.MODELS) {
            for (int size : new int[] {64, 128}) {
                Graph g = Model.load(TransformerBenchmark.onnx(model)).graph();
                Tensor x = TransformerBenchmark.input(size);
                double gflop = Flops.of(g, x.shape()) / 1e9;
                try (KernelHarness h = new KernelHarness(g, Map.of(g.inputs().get(0).name(), x), Engine.THREADS)) {
                    h.profile(Math.max(1, runs / 2));
                    String profile = h.profile(runs);
                    double[] share = shares(profile);
                    Map<String, Double> kind = byKind(profile);
                    double total = kind.values().stream().mapToDouble(Double::doubleValue).sum();
                    kind.forEach((k, ms) -> kinds.add(String.format(Locale.ROOT, "%s\t%d\t%s\t%.3f\t%.1f", model, size, k,
                            ms, 100 * ms / total)));
                    String line = String.format(Locale.ROOT, "%s\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f", model, size, gflop,
                            share[0], share[1], share[2], share[3]);
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        Files.write(Path.of(args[0]), lines);
        Files.write(Path.of(args[0].replaceFirst("(\\.tsv)?$", "-by-kind.tsv")), kinds);
    }

    /**
     * Percent of the time in Attention, Linear, Conv and other steps, from a profile's step lines
     * ({@code "  1.234 ms  5.6%  what"}); the total line above them ({@code "N ms per run in M steps"})
     * is not a step, and counting it once made "other" read as half of every model.
     */
    static double[] shares(String profile) {
        double[] t = new double[4];
        for (Map.Entry<String, Double> e : byKind(profile).entrySet()) {
            String kind = e.getKey();
            int k = kind.equals("Attention") ? 0 : kind.equals("Linear") ? 1 : kind.equals("Conv") ? 2 : 3;
            t[k] += e.getValue();
        }
        double total = t[0] + t[1] + t[2] + t[3];
        for (int i = 0; i < 4; i++) {
            t[i] = total == 0 ? 0 : 100 * t[i] / total;
        }
        return t;
    }

    /**
     * Milliseconds per kind of step, largest first: the op type of a node's step ({@code "Transpose
     * node '/x'"} is a Transpose), or the name of a step that is no node's (a layout conversion).
     */
    static Map<String, Double> byKind(String profile) {
        Map<String, Double> ms = new java.util.HashMap<>();
        for (String line : profile.split("\n")) {
            Matcher m = STEP.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String what = m.group(2);
            int node = what.indexOf(" node ");
            String kind = node >= 0 ? what.substring(0, node) : what.split(" ")[0];
            ms.merge(kind, Double.parseDouble(m.group(1)), Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        ms.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
