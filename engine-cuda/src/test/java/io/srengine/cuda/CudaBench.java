package io.srengine.cuda;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.cuda.plan.ConvTiling;
import io.srengine.cuda.plan.PlanBuilder;
import io.srengine.cuda.plan.PlanOp;
import io.srengine.cuda.testing.SrGraphs;
import io.srengine.graph.Graph;
import io.srengine.testing.GraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GPU benchmark of the CUDA backend: single convolutions (per tiling) and whole SR models at
 * 1280x720, timed with CUDA events around the plan's device work (input conversion to the last
 * output write, a CUDA graph replay), after warm-up; the median of the repetitions is reported,
 * plus the end-to-end {@code run} time with host copies. Run on a GPU machine:
 *
 * <pre>bash .devicekit/run.sh main io.srengine.cuda.CudaBench [OUT_DIR] [models|kernels|all]</pre>
 *
 * Writes cuda_bench.tsv to OUT_DIR (default the working directory) and prints a table.
 */
public final class CudaBench {
    private static final int W = 1280;
    private static final int H = 720;
    private static final List<String[]> ROWS = new ArrayList<>();

    private CudaBench() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        String what = args.length > 1 ? args[1] : "all";
        CudaProbe.Result probe = CudaProbe.probe();
        if (probe.device() == null) {
            System.out.println("CudaBench: no GPU: " + probe.reason());
            return;
        }
        System.out.println("CudaBench on " + probe.device());
        if (what.equals("ncu")) {
            // One plan run of the two convolution paths, for Nsight Compute to profile.
            for (int[] s : new int[][] {{64, 64}, {3, 64}}) {
                try (CudaBackend backend = (CudaBackend) new CudaBackendProvider().create(
                        SessionOptions.builder().backend("cuda").precision(Precision.FP16).build());
                        CudaCompiledModel m = (CudaCompiledModel) backend.compile(
                                Model.fromGraph(singleConv(s[0], s[1], 3), true).graph())) {
                    Map<String, Tensor> in = Map.of("x", SrGraphs.input(1, 1, s[0], H, W));
                    m.plan(in).run(in);
                }
            }
            return;
        }
        if (!what.equals("models")) {
            kernels();
        }
        if (!what.equals("kernels")) {
            for (Precision p : Precision.values()) {
                model("srvgg_x4 64f/32c", SrGraphs.srvgg(64, 32, 4, 1), p);
            }
            for (Precision p : Precision.values()) {
                model("rrdbnet_x4 64f/23b", SrGraphs.rrdbnet(64, 23, 32, 2), p);
            }
        }
        StringBuilder tsv = new StringBuilder("what\tprecision\tconfig\tmedian_ms\tmin_ms\textra\n");
        for (String[] r : ROWS) {
            tsv.append(String.join("\t", r)).append('\n');
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("cuda_bench.tsv"), tsv.toString());
        System.out.println();
        System.out.println("== CudaBench summary (" + probe.device().name() + ", driver CUDA "
                + CudaDevice.versionString(probe.device().driverVersion()) + ") ==");
        for (String[] r : ROWS) {
            System.out.printf(Locale.ROOT, "%-28s %-5s %-10s %9s ms (min %s) %s%n", (Object[]) r);
        }
    }

    private static Graph singleConv(int cin, int cout, int k) {
        GraphBuilder b = new GraphBuilder("conv", 17);
        String x = b.input("x", "N", cin, "H", "W");
        String w = b.random("w", 1, (float) Math.sqrt(3.0 / (cin * k * k)), cout, cin, k, k);
        String bias = b.random("b", 2, 0.1f, cout);
        String y = b.op("Conv", List.of(x, w, bias), Map.of("kernel_shape", new long[] {k, k}, "pads",
                new long[] {k / 2, k / 2, k / 2, k / 2}));
        // Read twice by one Add, the conv output cannot be fused into the graph output's float32 NCHW
        // conversion: the conv writes NHWC in the session precision, as inside a network.
        b.output(b.op("Add", y, y));
        return b.build();
    }

    /** Times the conv launch of single-convolution models: every tiling for the SR layer shapes. */
    private static void kernels() {
        int[][] shapes = {{64, 64, 3}, {3, 64, 3}, {64, 48, 3}, {96, 32, 3}, {192, 64, 3}};
        for (int[] s : shapes) {
            Graph g = singleConv(s[0], s[1], s[2]);
            Tensor x = SrGraphs.input(1, 1, s[0], H, W);
            double gflop = 2.0 * H * W * s[0] * s[1] * s[2] * s[2] / 1e9;
            for (Precision p : Precision.values()) {
                List<String> tiles = new ArrayList<>();
                tiles.add(null);
                if (p == Precision.FP16 && s[0] % 8 == 0) {
                    ConvTiling.ALL.forEach(t -> tiles.add(t.name()));
                }
                for (String tile : tiles) {
                    SessionOptions.Builder o = SessionOptions.builder().backend("cuda").precision(p);
                    if (tile != null) {
                        o.property("cuda.conv.tile", tile);
                    }
                    try (CudaBackend backend = (CudaBackend) new CudaBackendProvider().create(o.build());
                            CudaCompiledModel m = (CudaCompiledModel) backend.compile(Model.fromGraph(g, true).graph())) {
                        Map<String, Tensor> in = Map.of("x", x);
                        CudaPlan plan = m.plan(in);
                        plan.run(in);
                        float[] t = plan.profileLaunches(20);
                        int conv = convLaunch(plan);
                        String fn = plan.spec().launches().get(conv).function();
                        row("conv" + s[2] + "x" + s[2] + " " + s[0] + "->" + s[1] + " 720p", p, tile == null ? "auto" : tile,
                                t[conv], t[conv], String.format(Locale.ROOT, "%.0f TFLOP/s %s", gflop / t[conv], fn));
                    } catch (RuntimeException e) {
                        row("conv " + s[0] + "->" + s[1], p, tile == null ? "auto" : tile, Float.NaN, Float.NaN, "FAILED " + e);
                    }
                }
            }
        }
    }

    private static int convLaunch(CudaPlan plan) {
        List<PlanBuilder.LaunchSpec> l = plan.spec().launches();
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).module().equals("conv2d")) {
                return i;
            }
        }
        throw new IllegalStateException("no convolution launch");
    }

    private static void model(String name, Graph graph, Precision p) {
        Tensor x = SrGraphs.input(3, 1, 3, H, W);
        Map<String, Tensor> in = Map.of("input", x);
        SessionOptions o = SessionOptions.builder().backend("cuda").precision(p).build();
        try (CudaBackend backend = (CudaBackend) new CudaBackendProvider().create(o);
                CudaCompiledModel m = (CudaCompiledModel) backend.compile(Model.fromGraph(graph, true).graph())) {
            long t0 = System.nanoTime();
            CudaPlan plan = m.plan(in);
            plan.run(in);
            double compileMs = (System.nanoTime() - t0) / 1e6;
            CudaContext ctx = backend.context();
            float[] a = replayTimes(ctx, plan, 25, 4.0);
            long e0 = System.nanoTime();
            plan.run(in);
            double e2e = (System.nanoTime() - e0) / 1e6;
            row(name + " 720p", p, plan.launchCount() + " launches", a[a.length / 2], a[0], String.format(Locale.ROOT,
                    "n=%d, end-to-end %.1f ms, first run %.0f ms, peak device %.0f MiB", a.length, e2e, compileMs,
                    ctx.allocator().peakBytes() / 1048576.0));
            if (p == Precision.FP16) {
                profile(name, plan);
            }
        } catch (RuntimeException e) {
            row(name, p, "", Float.NaN, Float.NaN, "FAILED " + e);
            e.printStackTrace();
        }
    }

    /**
     * CUDA-event times of whole-plan replays (input conversion to the last output write), sorted
     * ascending: 3 warm-ups, then up to {@code reps} replays, at least 3, within {@code budgetS}.
     */
    static float[] replayTimes(CudaContext ctx, CudaPlan plan, int reps, double budgetS) {
        for (int i = 0; i < 3; i++) {
            plan.enqueue();
        }
        ctx.synchronize("warm-up");
        List<Float> times = new ArrayList<>();
        long budget = System.nanoTime() + (long) (budgetS * 1e9);
        try (CudaTimer t = new CudaTimer()) {
            while (times.size() < reps && (times.size() < 3 || System.nanoTime() < budget)) {
                t.start(ctx.stream());
                plan.enqueue();
                times.add(t.stop(ctx.stream()));
            }
        }
        float[] a = new float[times.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = times.get(i);
        }
        Arrays.sort(a);
        return a;
    }

    /** Time per kind of launch in one pass of the plan (each launch timed alone). */
    static void profile(String name, CudaPlan plan) {
        float[] t = plan.profileLaunches(3);
        Map<String, double[]> byKernel = new LinkedHashMap<>();
        List<PlanBuilder.LaunchSpec> l = plan.spec().launches();
        for (int i = 0; i < t.length; i++) {
            double[] acc = byKernel.computeIfAbsent(l.get(i).function(), k -> new double[2]);
            acc[0] += t[i];
            acc[1]++;
        }
        double total = 0;
        for (float v : t) {
            total += v;
        }
        System.out.printf(Locale.ROOT, "profile %s fp16: sum of launches %.2f ms%n", name, total);
        byKernel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf(Locale.ROOT, "  %-28s x%-4d %8.3f ms%n", e.getKey(), (int) e.getValue()[1], e.getValue()[0]));
        PlanOp last = plan.spec().ops().getLast();
        System.out.println("  last step: " + last.describe());
    }

    private static void row(String what, Precision p, String config, float median, float min, String extra) {
        ROWS.add(new String[] {what, p.name(), config, String.format(Locale.ROOT, "%.3f", median),
            String.format(Locale.ROOT, "%.3f", min), extra});
        System.out.printf(Locale.ROOT, "%-28s %-5s %-10s %9.3f ms  %s%n", what, p, config, median, extra);
    }
}
