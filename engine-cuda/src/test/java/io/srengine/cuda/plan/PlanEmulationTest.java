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

    /** One graph per op around a 16-channel feature map, each checked in all three precisions. */
    @Test
    void everyOtherOp() {
        for (int i = 0; i < OpGraphs.COUNT; i++) {
            Model m = Model.fromGraph(OpGraphs.build(i), false);
            check(m, SrGraphs.input(100 + i, 1, 16, 6, 7), 1e-5, 4e-3);
        }
    }
}
