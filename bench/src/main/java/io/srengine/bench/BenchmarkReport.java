package io.srengine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns a JMH JSON result file (written by {@code bench/run.sh}) into {@code docs/benchmarks.md} (tables, targets) and {@code
 * docs/benchmarks.png} (an XChart bar chart):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.BenchmarkReport \
 *     bench/runs/results.json [docs] [--note "text"]
 * </pre>
 *
 * GFLOP/s come from {@link Flops} (the benchmark models must be where the run found them) and "% of
 * peak" from the {@link FmaPeak} result of the same run. If {@code bench/analysis.md} exists, it is
 * included as the page's explanation of the numbers.
 */
public final class BenchmarkReport {
    private static final List<String> THREE_BY_THREE = List.of("srvgg_x4", "edsr_baseline_x4", "rrdbnet_x4");

    /** One JMH result row. */
    record Row(String benchmark, Map<String, String> params, double score, double error, String unit) {
        String param(String k) {
            return params.getOrDefault(k, "");
        }

        /** Milliseconds per operation, whatever the unit. */
        double ms() {
            return switch (unit) {
                case "ms/op" -> score;
                case "us/op" -> score / 1e3;
                case "s/op" -> score * 1e3;
                default -> Double.NaN;
            };
        }
    }

    private BenchmarkReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BenchmarkReport RESULTS.json [DOCS_DIR] [--note TEXT]");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        Path docs = Path.of(args.length > 1 && !args[1].startsWith("--") ? args[1] : "docs");
        String note = null;
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--note")) {
                note = args[i + 1];
            }
        }
        List<Row> rows = readRows(json);
        Map<String, Object> first = firstRun(json);
        Files.createDirectories(docs);
        String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(
                Instant.ofEpochMilli(Files.getLastModifiedTime(json).toMillis()));
        Report r = new Report(rows, first, date, note, Path.of("bench/analysis.md"));
        Path page = docs.resolve("benchmarks.md");
        // The transformer section comes from its own run (TransformerReport): keep it across regenerations.
        String kept = Files.isRegularFile(page) ? TransformerReport.section(Files.readString(page)) : null;
        Files.writeString(page, r.markdown() + (kept == null ? "" : "\n" + kept + "\n"));
        BitmapEncoder.saveBitmap(r.chart(), docs.resolve("benchmarks").toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + docs.resolve("benchmarks.md") + " and " + docs.resolve("benchmarks.png"));
    }

    /** The result rows of a JMH JSON file. */
    static List<Row> readRows(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Object o : castList(Json.parse(Files.readString(json)))) {
            Map<String, Object> m = castMap(o);
            Map<String, String> params = new LinkedHashMap<>();
            Object p = m.get("params");
            if (p != null) {
                castMap(p).forEach((k, v) -> params.put(k, String.valueOf(v)));
            }
            Map<String, Object> metric = castMap(m.get("primaryMetric"));
            String name = String.valueOf(m.get("benchmark"));
            rows.add(new Row(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), params,
                    (Double) metric.get("score"), metric.get("scoreError") instanceof Double d ? d : Double.NaN,
                    String.valueOf(metric.get("scoreUnit"))));
        }
        return rows;
    }

    /** The first result's run description (JDK, VM), or an empty map. */
    static Map<String, Object> firstRun(Path json) throws IOException {
        List<Object> raw = castList(Json.parse(Files.readString(json)));
        return raw.isEmpty() ? Map.of() : castMap(raw.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }

    /** The page, built from the rows. */
    static final class Report {
        private final List<Row> rows;
        private final Map<String, Object> run;
        private final String date;
        private final String note;
        private final Path analysis;
        private final double peakAll;
        private final double peakOne;

        Report(List<Row> rows, Map<String, Object> run, String date, String note, Path analysis) {
            this.rows = rows;
            this.run = run;
            this.date = date;
            this.note = note;
            this.analysis = analysis;
            int lanes = FloatVector.SPECIES_PREFERRED.length();
            this.peakAll = fma("FmaPeak.allThreads") * 2 * lanes / 1e9;
            this.peakOne = fma("FmaPeak.oneThread") * 2 * lanes / 1e9;
        }

        private double fma(String name) {
            for (Row r : rows) {
                if (r.benchmark().equals(name)) {
                    return r.score();
                }
            }
            return Double.NaN;
        }

        private Row find(String bench, String key, String value, String engine) {
            return find(bench, key, value, engine, null);
        }

        /** The row of a benchmark, parameter value, engine and (when given) shape. */
        private Row find(String bench, String key, String value, String engine, String shape) {
            for (Row r : rows) {
                if (r.benchmark().equals(bench) && r.param(key).equals(value)
                        && (engine == null || r.param("engine").equals(engine))
                        && (shape == null || r.param("shape").equals(shape))) {
                    return r;
                }
            }
            return null;
        }

        /** The shapes a model ran at, in run order. */
        private List<String> shapes(String model) {
            Set<String> s = new LinkedHashSet<>();
            for (Row r : rows) {
                if (r.benchmark().equals("ModelBenchmark.infer") && r.param("model").equals(model)) {
                    s.add(r.param("shape"));
                }
            }
            return new ArrayList<>(s);
        }

        private List<String> values(String bench, String key) {
            Set<String> s = new LinkedHashSet<>();
            for (Row r : rows) {
                if (r.benchmark().equals(bench)) {
                    s.add(r.param(key));
                }
            }
            return new ArrayList<>(s);
        }

        String markdown() throws IOException {
            StringBuilder md = new StringBuilder();
            md.append("# Benchmarks\n\n");
            md.append("Generated by `io.srengine.bench.BenchmarkReport` from one JMH run (").append(date)
                    .append("); do not edit by hand — see *Reproduce* below.\n\n");
            md.append("| | |\n|---|---|\n");
            md.append("| Machine | ").append(Machine.cpu()).append(" |\n");
            md.append("| JDK | ").append(run.getOrDefault("jdkVersion", "?")).append(", ").append(run.getOrDefault("vmName", ""))
                    .append(' ').append(run.getOrDefault("vmVersion", "")).append(" |\n");
            md.append("| srengine | `cpu` backend, ").append(Engine.THREADS).append(" threads, ")
                    .append(FloatVector.SPECIES_PREFERRED.vectorBitSize()).append("-bit vectors (Vector API) |\n");
            md.append("| ONNX Runtime | Java API 1.29.0, CPU execution provider, ").append(Engine.THREADS)
                    .append(" intra-op threads, ORT_ENABLE_ALL |\n");
            md.append(String.format(Locale.ROOT, "| fp32 FMA peak | %.1f GFLOP/s on all cores, %.1f on one (FmaPeak, same run) |%n",
                    peakAll, peakOne));
            if (note != null) {
                md.append("| Conditions | ").append(note).append(" |\n");
            }
            md.append("\nTimes are JMH averages per image (ms, ± the 99.9% confidence half-width); GFLOP counts two per "
                    + "multiply-accumulate of the convolutions as the direct algorithm does them; % of peak is against the "
                    + "all-core FMA peak above. Winograd layers do fewer multiplications than that count, so a model above "
                    + "100% of peak is one where Winograd saves more than the kernels lose.\n");
            models(md);
            kernels(md);
            targets(md);
            if (Files.isRegularFile(analysis)) {
                md.append("\n").append(Files.readString(analysis).strip()).append("\n");
            }
            md.append("\n![throughput by model and engine](benchmarks.png)\n");
            md.append("\n## Reproduce\n\n```\n");
            md.append("bash bench/run.sh   # builds, generates the benchmark models if missing (needs torch), runs JMH\n");
            md.append("                    # (~21 min on 2 cores, on a quiet machine), then rewrites this page\n");
            md.append("```\n\nAny ONNX model: `java -jar bench/target/benchmarks.jar ModelBenchmark -p model=PATH -p shape=NxCxHxW "
                    + "-p engine=srengine-cpu,onnxruntime`.\n");
            return md.toString();
        }

        private void models(StringBuilder md) {
            List<String> models = values("ModelBenchmark.infer", "model");
            if (models.isEmpty()) {
                return;
            }
            md.append("\n## Whole models\n\n");
            md.append("| model | input | GFLOP | srengine-cpu ms | ONNX Runtime ms | reference ms | speedup vs ORT | srengine GFLOP/s | % of peak | ORT GFLOP/s |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String m : models) {
              for (String shape : shapes(m)) {
                Row s = find("ModelBenchmark.infer", "model", m, "srengine-cpu", shape);
                Row o = find("ModelBenchmark.infer", "model", m, "onnxruntime", shape);
                Row ref = find("ReferenceModelBenchmark.infer", "model", m, null);
                int[] dims = BenchModels.shape(m, shape);
                double gflop = gflop(() -> Flops.ofModel(m, dims));
                md.append("| ").append(BenchModels.label(m)).append(" | ").append(dimsText(dims)).append(" | ")
                        .append(fmt(gflop, 2)).append(" | ").append(ms(s)).append(" | ").append(ms(o)).append(" | ")
                        .append(ref == null ? "—" : ms(ref)).append(" | ").append(ratio(o, s)).append(" | ")
                        .append(rate(gflop, s)).append(" | ").append(pct(gflop, s)).append(" | ").append(rate(gflop, o))
                        .append(" |\n");
              }
            }
            md.append("\nThe reference backend (scalar, one thread, double sums) runs only the two small models: "
                    + "the others take minutes per image on it.\n");
        }

        private void kernels(StringBuilder md) {
            List<String> kernels = values("KernelBenchmark.run", "kernel");
            if (kernels.isEmpty()) {
                return;
            }
            md.append("\n## Kernels\n\n");
            md.append("srengine times the kernels alone on data already in its blocked layout (`KernelHarness`); ONNX Runtime "
                    + "runs the one-node model. `srengine-cpu` picks Winograd for 3×3; `direct` forces the direct kernel.\n\n");
            md.append("| kernel | GFLOP | srengine-cpu ms | direct ms | ONNX Runtime ms | speedup vs ORT | srengine GFLOP/s | direct GFLOP/s | direct % of peak | ORT GFLOP/s |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String k : kernels) {
                Row s = find("KernelBenchmark.run", "kernel", k, "srengine-cpu");
                Row d = find("KernelBenchmark.run", "kernel", k, "srengine-cpu-direct");
                Row o = find("KernelBenchmark.run", "kernel", k, "onnxruntime");
                double gflop = gflop(() -> Flops.ofKernel(k));
                md.append("| ").append(k).append(" | ").append(fmt(gflop, 3)).append(" | ").append(ms(s)).append(" | ")
                        .append(ms(d)).append(" | ").append(ms(o)).append(" | ").append(ratio(o, s)).append(" | ")
                        .append(rate(gflop, s)).append(" | ").append(rate(gflop, d)).append(" | ").append(pct(gflop, d))
                        .append(" | ").append(rate(gflop, o)).append(" |\n");
            }
            md.append("\nPixel shuffle does no arithmetic; compare its times only.\n");
        }

        private void targets(StringBuilder md) {
            md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
            for (String m : values("ModelBenchmark.infer", "model")) {
              for (String shape : shapes(m)) {
                double x = speedup(m, shape);
                String label = BenchModels.label(m) + (shapes(m).size() > 1 ? " " + dimsText(BenchModels.shape(m, shape)) : "");
                md.append("| ").append(label).append(": ≥ 1.0× ONNX Runtime | ").append(fmt(x, 2)).append("× | ")
                        .append(verdict(x, 1.0)).append(" |\n");
                // FSRCNN's transposed convolution; the 3×3 (and RDN's 3×3 plus 1×1) networks, Winograd.
                // Real-ESRGAN's ncnn models (issue 15): twice ONNX Runtime
                double want = label.startsWith("fsrcnn") ? 3.0 : label.startsWith("realesrgan-") ? 2.0
                        : THREE_BY_THREE.contains(label) || label.startsWith("esrgan-") ? 1.5 : 0;
                if (want > 0) {
                    md.append("| ").append(label).append(": ≥ ").append(fmt(want, 1)).append("× ONNX Runtime | ")
                            .append(fmt(x, 2)).append("× | ").append(verdict(x, want)).append(" |\n");
                }
              }
            }
            Row d = find("KernelBenchmark.run", "kernel", "conv3x3", "srengine-cpu-direct");
            if (d != null) {
                double p = 100 * Flops.ofKernel("conv3x3") / (d.ms() * 1e6) / peakAll;
                md.append("| direct conv3x3 64→64, 128×128: ≥ 65% of FMA peak | ").append(fmt(p, 1)).append("% | ")
                        .append(verdict(p, 65)).append(" |\n");
            }
        }

        private double speedup(String model, String shape) {
            Row s = find("ModelBenchmark.infer", "model", model, "srengine-cpu", shape);
            Row o = find("ModelBenchmark.infer", "model", model, "onnxruntime", shape);
            return s == null || o == null ? Double.NaN : o.ms() / s.ms();
        }

        private static String verdict(double got, double want) {
            if (Double.isNaN(got)) {
                return "not measured";
            }
            return got >= want ? "yes" : String.format(Locale.ROOT, "no (short by %.0f%%)", 100 * (1 - got / want));
        }

        CategoryChart chart() {
            List<String> models = values("ModelBenchmark.infer", "model");
            CategoryChart c = new CategoryChartBuilder().width(1000).height(560)
                    .title(String.format(Locale.ROOT, "GFLOP/s per model (fp32 FMA peak %.0f GFLOP/s, %d threads)", peakAll,
                            Engine.THREADS))
                    .xAxisTitle("model").yAxisTitle("GFLOP/s").build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            c.getStyler().setLabelsVisible(true);
            c.getStyler().setLabelsFontColorAutomaticEnabled(true);
            c.getStyler().setXAxisLabelRotation(40);
            List<String> labels = new ArrayList<>();
            for (String m : models) {
                labels.add(BenchModels.label(m));
            }
            for (String engine : List.of("srengine-cpu", "onnxruntime")) {
                List<Double> ys = new ArrayList<>();
                for (String m : models) {
                    Row r = find("ModelBenchmark.infer", "model", m, engine);
                    int[] dims = BenchModels.shape(m, r == null ? "auto" : r.param("shape"));
                    double g = gflop(() -> Flops.ofModel(m, dims));
                    ys.add(r == null || Double.isNaN(g) ? 0.0 : round1(g / (r.ms() / 1e3)));
                }
                c.addSeries(engine, labels, ys);
            }
            return c;
        }

        private static double round1(double v) {
            return Math.round(v * 10) / 10.0;
        }

        private static double gflop(java.util.function.DoubleSupplier f) {
            try {
                return f.getAsDouble() / 1e9;
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }

        private static String ms(Row r) {
            if (r == null) {
                return "—";
            }
            return Double.isNaN(r.error()) ? fmt(r.ms(), r.ms() < 10 ? 2 : 1)
                    : fmt(r.ms(), r.ms() < 10 ? 2 : 1) + " ± " + fmt(r.error() * r.ms() / r.score(), r.ms() < 10 ? 2 : 1);
        }

        private static String ratio(Row base, Row mine) {
            return base == null || mine == null ? "—" : fmt(base.ms() / mine.ms(), 2) + "×";
        }

        private static String rate(double gflop, Row r) {
            return r == null || Double.isNaN(gflop) || gflop == 0 ? "—" : fmt(gflop / (r.ms() / 1e3), 1);
        }

        private String pct(double gflop, Row r) {
            return r == null || Double.isNaN(gflop) || gflop == 0 ? "—" : fmt(100 * gflop / (r.ms() / 1e3) / peakAll, 1) + "%";
        }

        private static String dimsText(int[] d) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d.length; i++) {
                sb.append(i == 0 ? "" : "×").append(d[i]);
            }
            return sb.toString();
        }

        private static String fmt(double v, int digits) {
            return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
        }
    }

    /** What the benchmark machine is, from lscpu (or /proc/cpuinfo). */
    static final class Machine {
        private Machine() {}

        static String cpu() {
            String model = null;
            String cpus = null;
            try {
                Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
                for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                    if (line.startsWith("Model name:")) {
                        model = line.substring(line.indexOf(':') + 1).trim();
                    } else if (line.startsWith("CPU(s):")) {
                        cpus = line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException e) {
                // Fall through to the JVM's view.
            }
            if (cpus == null) {
                cpus = String.valueOf(Runtime.getRuntime().availableProcessors());
            }
            return (model == null ? System.getProperty("os.arch") : model) + ", " + cpus + " cores (lscpu), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }
}
