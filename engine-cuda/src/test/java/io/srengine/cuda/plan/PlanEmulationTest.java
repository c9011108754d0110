package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.cuda.testing.SrGraphs;
import io.srengine.graph.Graph;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compiles graphs with {@link PlanBuilder} and runs the launches on {@link KernelEmulator}, against
 * the reference backend. In fp32 the only difference is summation order (1e-5 relative); in fp16 and
 * bf16 every stored activation is rounded, which bounds the error by a few units of the format's
 * precision relative to the output's range.
 */
class PlanEmulationTest {
    static Tensor reference(Model m, Tensor x) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(x);
        }
    }

    static PlanBuilder.Plan compile(Model m, Tensor x, DeviceType t, KernelEmulator emu) {
        Graph g = ShapeSpecializer.specialize(m.graph(), Map.of(m.inputs().get(0).name(), x.shape()));
        return PlanBuilder.build(g, t, emu);
    }

    static Tensor emulate(Model m, Tensor x, DeviceType t) {
        KernelEmulator emu = new KernelEmulator(4);
        PlanBuilder.Plan plan = compile(m, x, t, emu);
        emu.write(plan.inputs().get(0).address(), x.floats());
        emu.run(plan, t);
        PlanBuilder.Staging o = plan.outputs().get(0);
        return Tensor.of(emu.read(o.address(), (int) (o.bytes() / 4)), o.shape());
    }

    /** Largest |a - e| over the range of e. */
    static double relErr(Tensor a, Tensor e) {
        float[] x = a.floats();
        float[] y = e.floats();
        assertEquals(y.length, x.length);
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE, worst = 0;
        for (int i = 0; i < y.length; i++) {
            assertFalse(Float.isNaN(x[i]), "element " + i + " is NaN (never written?)");
            lo = Math.min(lo, y[i]);
            hi = Math.max(hi, y[i]);
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst / Math.max(hi - lo, 1e-6);
    }

    static void check(Model m, Tensor x, double f32Tol, double f16Tol) {
        Tensor ref = reference(m, x);
        double e32 = relErr(emulate(m, x, DeviceType.F32), ref);
        assertTrue(e32 <= f32Tol, "fp32 error " + e32);
        double e16 = relErr(emulate(m, x, DeviceType.F16), ref);
        assertTrue(e16 <= f16Tol, "fp16 error " + e16);
        double eb16 = relErr(emulate(m, x, DeviceType.BF16), ref);
        assertTrue(eb16 <= f16Tol * 8, "bf16 error " + eb16);
    }

    private static Model convModel(int cin, int cout, int k, int stride, int dil, int group, String act) {
        GraphBuilder b = new GraphBuilder("conv", 17);
        String x = b.input("x", "N", cin, "H", "W");
        String w = b.random("w", 1, 0.5f, cout, cin / group, k, k);
        String bias = b.random("b", 2, 0.1f, cout);
        String y = b.op("Conv", List.of(x, w, bias), Map.of("kernel_shape", new long[] {k, k}, "strides",
                new long[] {stride, stride}, "dilations", new long[] {dil, dil}, "group", (long) group, "pads",
                new long[] {k / 2, 1, k / 2, 0}));
        if (act != null) {
            y = b.op(act, y);
        }
        b.output(y);
        return Model.fromGraph(b.build(), true);
    }

    @Test
    void convolutionsOfOddShapes() {
        int[][] cases = {{3, 16, 3, 1, 1, 1}, {16, 17, 3, 1, 1, 1}, {17, 8, 3, 2, 1, 1}, {8, 33, 1, 1, 1, 1},
            {16, 16, 3, 1, 2, 1}, {16, 16, 3, 1, 1, 4}, {7, 7, 5, 1, 1, 7}, {64, 32, 3, 2, 1, 1}};
        for (int[] c : cases) {
            Model m = convModel(c[0], c[1], c[2], c[3], c[4], c[5], c[0] == 16 ? "Relu" : null);
            check(m, SrGraphs.input(c[0], 1, c[0], 7, 9), 1e-5, 4e-3);
        }
    }

    @Test
    void srvggFusesEverythingIntoItsConvolutions() {
        Model m = Model.fromGraph(SrGraphs.srvgg(16, 3, 2, 5), true);
        Tensor x = SrGraphs.input(3, 1, 3, 9, 11);
        KernelEmulator emu = new KernelEmulator(4);
        PlanBuilder.Plan plan = compile(m, x, DeviceType.F16, emu);
        List<String> fns = plan.launches().stream().map(PlanBuilder.LaunchSpec::function).toList();
        assertEquals("nchw_f32_to_nhwc_f16", fns.get(0));
        assertEquals(6, fns.size(), "input conversion and five convolutions, nothing else: " + fns);
        assertTrue(fns.get(1).startsWith("conv2d_tc_f16_"), "the 8-channel RGB input packs taps: " + fns);
        assertTrue(fns.subList(2, 6).stream().allMatch(f -> f.startsWith("conv2d_tcp_f16_")), "3x3 layers use halo tiles: " + fns);
        ConvOp last = (ConvOp) plan.ops().getLast();
        assertEquals(2, last.epilogue().pixelShuffle());
        assertEquals(2, last.epilogue().residualDiv());
        assertTrue(last.epilogue().nchwOutput());
        assertEquals(8, plan.views().get("input").cs(), "the RGB input is stored as 8 channels for the tensor cores");
        check(m, x, 1e-5, 4e-3);
    }

    @Test
    void denseBlocksConcatenateWithoutCopies() {
        Model m = Model.fromGraph(SrGraphs.rrdbnet(16, 1, 8, 9), true);
        Tensor x = SrGraphs.input(4, 1, 3, 5, 6);
        KernelEmulator emu = new KernelEmulator(4);
        PlanBuilder.Plan plan = compile(m, x, DeviceType.F32, emu);
        for (PlanBuilder.LaunchSpec l : plan.launches()) {
            assertFalse(l.function().startsWith("eltwise") && l.node().startsWith("Concat"),
                    "a Concat was copied: " + l.node());
        }
        long concats = plan.ops().stream().filter(o -> o instanceof ConcatOp).count();
        assertEquals(12, concats);
        check(m, x, 1e-5, 4e-3);
    }

    private static List<String> functions(PlanBuilder.Plan plan) {
        return plan.launches().stream().map(l -> l.node() + ":" + l.function()).toList();
    }

    private static String kernelOf(PlanBuilder.Plan plan, String node) {
        return plan.launches().stream().filter(l -> l.node().equals(node)).findFirst().orElseThrow().function();
    }

    /**
     * The bundled slim models' shape: 4-channel growth convolutions written into 68-channel
     * concatenations, 68 -> 64 1x1 fusions, 12 (x2) or 27 (x3) channels resized and convolved to 3.
     * In 16-bit precisions every buffer is stored with a multiple of 8 channels, the pad channels
     * the convolutions read are written as zeros, and every convolution runs on tensor cores.
     */
    @Test
    void narrowAndUnalignedChannelCountsRunOnTensorCores() {
        for (int r : new int[] {2, 3}) {
            Model m = Model.fromGraph(SrGraphs.denseResize(64, 4, 2, r, 40 + r), true);
            Tensor x = SrGraphs.input(r, 1, 3, 5, 7);
            PlanBuilder.Plan plan = compile(m, x, DeviceType.F16, new KernelEmulator(4));
            List<String> fns = functions(plan);
            assertTrue(fns.stream().noneMatch(f -> f.contains("conv2d_simt")), "every conv on tensor cores: " + fns);
            long narrow = fns.stream().filter(f -> f.endsWith("_128x16")).count();
            assertEquals(r == 2 ? 4 : 3, narrow, "growth convs and the RGB conv (and x2's 12-channel conv) use 16-wide tiles: " + fns);
            for (TensorView v : plan.views().values()) {
                assertTrue(v.nchwF32() || v.cs() % 8 == 0, "channel stride " + v);
            }
            String grown = plan.ops().stream().filter(o -> o instanceof ConcatOp).map(o -> ((ConcatOp) o).inputs().get(1))
                    .findFirst().orElseThrow();
            assertEquals(72, plan.views().get(grown).cs(), "68 concatenated channels stored as 72");
            // Twelve layers of fp16 rounding: the plan without pad channels emulates to the same 4.2e-3 (x2).
            check(m, x, 1e-5, 6e-3);
        }
    }

    private static Model chain(String mid, int cin) {
        GraphBuilder b = new GraphBuilder("pad_" + mid, 17);
        String x = b.input("x", "N", cin, "H", "W");
        String y = switch (mid) {
            case "mul" -> b.op("Mul", x, b.constant("s", Tensor.of(new float[] {3f})));
            case "sigmoid" -> b.op("Sigmoid", x);
            case "clip" -> b.op("Clip", x, b.constant("lo", Tensor.of(new float[] {-0.5f})),
                    b.constant("hi", Tensor.of(new float[] {0.5f})));
            case "shift" -> b.op("Add", x, b.constant("s", Tensor.of(new float[] {0.25f})));
            case "linear" -> b.op("Resize", List.of(x, "", b.constant("sc", Tensor.of(new float[] {1, 1, 2, 2}, 4))),
                    Map.of("mode", "linear"));
            case "shuffle" -> b.op("DepthToSpace", List.of(x), Map.of("blocksize", 2L, "mode", "DCR"));
            default -> throw new IllegalArgumentException(mid);
        };
        int c = mid.equals("shuffle") ? cin / 4 : cin;
        String w = b.random("w", 3, 0.4f, 4, c, 3, 3);
        b.output(b.op("Conv", List.of(y, w), Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1})));
        return Model.fromGraph(b.build(), true);
    }

    /**
     * Zeros in the pad channels pass through steps that map 0 to 0 (a scalar multiple, a clip
     * around 0, interpolation); a sigmoid, an added constant or a pixel shuffle does not produce
     * them, and the convolution after it stays on CUDA cores. The emulator's arena starts as NaN,
     * so a pad channel read but never zeroed would show as NaN.
     */
    @Test
    void padChannelsCarryZerosOnlyThroughStepsThatKeepThem() {
        Object[][] cases = {{"mul", 3, true}, {"clip", 12, true}, {"linear", 27, true}, {"sigmoid", 3, false},
            {"shift", 12, false}, {"shuffle", 12, false}};
        for (Object[] c : cases) {
            Model m = chain((String) c[0], (int) c[1]);
            Tensor x = SrGraphs.input(7, 1, (int) c[1], 6, 5);
            PlanBuilder.Plan plan = compile(m, x, DeviceType.BF16, new KernelEmulator(4));
            String conv = kernelOf(plan, plan.launches().getLast().node());
            assertEquals((boolean) c[2], conv.startsWith("conv2d_tc"), c[0] + ": " + functions(plan));
            check(m, x, 1e-5, 4e-3);
        }
    }

    /** One graph per op around a 16-channel feature map, each checked in all three precisions. */
    @Test
    void everyOtherOp() {
        for (int i = 0; i < OpGraphs.COUNT; i++) {
            Model m = Model.fromGraph(OpGraphs.build(i), false);
            check(m, SrGraphs.input(100 + i, 1, 16, 6, 7), 1e-5, 4e-3);
        }
    }
}
