package io.srengine.cuda;

import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.models.BundledModels;
import io.srengine.models.BundledModels.BundledModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GPU benchmark of the bundled models producing a 1920x1080 image (input 960x540 for x2, 640x360
 * for x3, 480x270 for x4) in each precision: CUDA-event times of the plan's device work (a CUDA
 * graph replay, as {@link CudaBench} times it), the plan's {@code run} with host copies, and
 * {@code Session.run} end to end as a user calls it. The float32 input and the FP32 output of each
 * model are written as .npy files to WORK_DIR, so that bench/pytorch_gpu_bench.py can check its
 * PyTorch execution of the same ONNX files against srengine before timing it.
 *
 * <pre>bash .devicekit/run.sh main io.srengine.cuda.BundledModelsBench OUT_DIR WORK_DIR [MODEL...]</pre>
 *
 * Writes cuda_bundled.tsv to OUT_DIR and prints a table. The system property
 * {@code srengine.bench.precisions} (e.g. {@code FP16}) limits the precisions measured.
 */
public final class BundledModelsBench {
    private static final int OUT_W = 1920;
    private static final int OUT_H = 1080;
    private static final List<String> ROWS = new ArrayList<>();

    private BundledModelsBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BundledModelsBench OUT_DIR WORK_DIR [MODEL...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path work = Path.of(args[1]);
        List<String> only = Arrays.asList(args).subList(2, args.length);
        List<Precision> precisions = Arrays.stream(System.getProperty("srengine.bench.precisions", "FP16,BF16,FP32")
                .split(",")).map(String::strip).map(Precision::valueOf).toList();
        CudaProbe.Result probe = CudaProbe.probe();
        if (probe.device() == null) {
            System.out.println("BundledModelsBench: no GPU: " + probe.reason());
            System.exit(1);
        }
        System.out.println("BundledModelsBench on " + probe.device());
        Files.createDirectories(out);
        Files.createDirectories(work);
        ROWS.add("model\tinput\tprecision\twhat\tmedian_ms\tmin_ms\tn\textra");
        for (BundledModel b : BundledModels.all()) {
            if (!only.isEmpty() && !only.contains(b.name())) {
                continue;
            }
            Model m = b.load();
            Tensor x = image(b.scale(), 1, 3, OUT_H / b.scale(), OUT_W / b.scale());
            writeNpy(work.resolve(b.name() + "_input.npy"), x);
            for (Precision p : precisions) {
                plan(b, m, x, p, work);
            }
            for (Precision p : precisions) {
                if (p == Precision.FP16 || b.name().equals(BundledModels.DEFAULT)) {
                    session(b, m, x, p);
                }
            }
        }
        Files.write(out.resolve("cuda_bundled.tsv"), ROWS);
        System.out.println();
        System.out.println("== BundledModelsBench summary (" + probe.device().name() + ", driver CUDA "
                + CudaDevice.versionString(probe.device().driverVersion()) + ", output 1920x1080) ==");
        ROWS.forEach(r -> System.out.println(r.replace('\t', ' ')));
    }

    /** The plan's device work (CUDA events) and its run() with host copies, in one precision. */
    private static void plan(BundledModel b, Model m, Tensor x, Precision p, Path work) {
        String in = m.inputs().getFirst().name();
        Map<String, Tensor> inputs = Map.of(in, x);
        String shape = x.dim(3) + "x" + x.dim(2);
        SessionOptions o = SessionOptions.builder().backend("cuda").precision(p).build();
        try (CudaBackend backend = (CudaBackend) new CudaBackendProvider().create(o);
                CudaCompiledModel cm = (CudaCompiledModel) backend.compile(m.graph())) {
            long t0 = System.nanoTime();
            CudaPlan plan = cm.plan(inputs);
            Tensor y = plan.run(inputs).values().iterator().next();
            double firstMs = (System.nanoTime() - t0) / 1e6;
            if (y.dim(2) != OUT_H || y.dim(3) != OUT_W) {
                throw new IllegalStateException(b.name() + " produced " + Arrays.toString(y.shape()));
            }
            if (p == Precision.FP32) {
                writeNpy(work.resolve(b.name() + "_srengine_fp32.npy"), y);
            }
            float[] t = CudaBench.replayTimes(backend.context(), plan, 50, 3.0);
            double[] e2e = new double[7];
            for (int i = 0; i < e2e.length; i++) {
                long e0 = System.nanoTime();
                plan.run(inputs);
                e2e[i] = (System.nanoTime() - e0) / 1e6;
            }
            Arrays.sort(e2e);
            row(b.name(), shape, p, "device", t[t.length / 2], t[0], t.length, String.format(Locale.ROOT,
                    "%d launches, peak device %.0f MiB, first run (compile+run) %.0f ms", plan.launchCount(),
                    backend.context().allocator().peakBytes() / 1048576.0, firstMs));
            row(b.name(), shape, p, "plan.run", e2e[e2e.length / 2], e2e[0], e2e.length, "with host copies");
            if (p == Precision.FP16) {
                CudaBench.profile(b.name(), plan);
            }
        } catch (RuntimeException | IOException e) {
            row(b.name(), shape, p, "device", Double.NaN, Double.NaN, 0, "FAILED " + e);
            e.printStackTrace();
        }
    }

    /** Session.run end to end, as a user calls it: first call (compiles) and the median of later ones. */
    private static void session(BundledModel b, Model m, Tensor x, Precision p) {
        String shape = x.dim(3) + "x" + x.dim(2);
        try (Session s = m.newSession(SessionOptions.builder().backend("cuda").precision(p).build())) {
            long t0 = System.nanoTime();
            s.run(x);
            double first = (System.nanoTime() - t0) / 1e6;
            s.run(x);
            double[] t = new double[10];
            for (int i = 0; i < t.length; i++) {
                long e0 = System.nanoTime();
                s.run(x);
                t[i] = (System.nanoTime() - e0) / 1e6;
            }
            Arrays.sort(t);
            row(b.name(), shape, p, "Session.run", t[t.length / 2], t[0], t.length,
                    String.format(Locale.ROOT, "first call %.0f ms", first));
        } catch (RuntimeException e) {
            row(b.name(), shape, p, "Session.run", Double.NaN, Double.NaN, 0, "FAILED " + e);
            e.printStackTrace();
        }
    }

    private static void row(String model, String input, Precision p, String what, double median, double min, int n,
            String extra) {
        String r = String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%.3f\t%.3f\t%d\t%s", model, input, p, what, median, min,
                n, extra);
        ROWS.add(r);
        System.out.println(r.replace('\t', ' '));
    }

    /**
     * A seeded image-like input in [0, 1]: smooth gradients and waves (so the network sees edges and
     * flat areas) plus a little noise.
     */
    static Tensor image(long seed, int n, int c, int h, int w) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * c * h * w];
        int i = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double s = 0.5 + 0.3 * Math.sin(xx * 0.031 * (ch + 1) + y * 0.017) * Math.cos(y * 0.023 - ch)
                                + 0.15 * ((double) xx / w - 0.5) + 0.05 * (r.nextDouble() - 0.5);
                        v[i++] = (float) Math.min(1, Math.max(0, s));
                    }
                }
            }
        }
        return Tensor.of(v, n, c, h, w);
    }

    /** Writes a float32 tensor as a NumPy .npy file (format 1.0, little-endian, C order). */
    static void writeNpy(Path file, Tensor t) throws IOException {
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.toString().strip() + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        float[] v = t.floats();
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(v);
        Files.write(file, buf.array());
    }
}
