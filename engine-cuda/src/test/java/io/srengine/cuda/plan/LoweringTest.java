package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.testing.SrGraphs;
import io.srengine.graph.Graph;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoweringTest {
    private static Map<String, String> unsupported(GraphBuilder b, String y) {
        b.output(y);
        return Lowering.unsupported(Model.fromGraph(b.build(), true).graph());
    }

    @Test
    void srNetworksAreFullySupported() {
        assertTrue(Lowering.unsupported(Model.fromGraph(SrGraphs.srvgg(8, 2, 4, 1), true).graph()).isEmpty());
        assertTrue(Lowering.unsupported(Model.fromGraph(SrGraphs.rrdbnet(8, 1, 4, 1), true).graph()).isEmpty());
        for (int i = 0; i < OpGraphs.COUNT; i++) {
            assertTrue(Lowering.unsupported(Model.fromGraph(OpGraphs.build(i), false).graph()).isEmpty(), "op graph " + i);
        }
    }

    @Test
    void namesTheNodeAndWhy() {
        GraphBuilder b = new GraphBuilder("s2d", 17);
        String x = b.input("x", "N", 4, "H", "W");
        Map<String, String> u = unsupported(b, b.op("SpaceToDepth", List.of(x), Map.of("blocksize", 2L)));
        assertEquals(1, u.size());
        String why = u.values().iterator().next();
        assertTrue(why.contains("SpaceToDepth") && why.contains("no CUDA kernel"), why);

        b = new GraphBuilder("padc", 17);
        x = b.input("x", "N", 4, "H", "W");
        u = unsupported(b, b.op("Pad", x, b.ints("p", 0, 1, 0, 0, 0, 1, 0, 0)));
        assertTrue(u.values().iterator().next().contains("only H and W can be padded"), u.toString());

        b = new GraphBuilder("mean", 17);
        x = b.input("x", "N", 4, "L");
        u = unsupported(b, b.op("ReduceMean", List.of(x, b.ints("a", 1)), Map.of("keepdims", 0L)));
        assertTrue(u.values().iterator().next().contains("only the last axis"), u.toString());

        b = new GraphBuilder("crop", 17);
        x = b.input("x", "N", 4, "H", "W");
        String roi = b.constant("roi", Tensor.of(new float[] {0, 0, 0.1f, 0.1f, 1, 1, 0.9f, 0.9f}, 8));
        String scales = b.constant("sc", Tensor.of(new float[] {1, 1, 2, 2}, 4));
        u = unsupported(b, b.op("Resize", List.of(x, roi, scales), Map.of("mode", "linear",
                "coordinate_transformation_mode", "tf_crop_and_resize")));
        assertTrue(u.values().iterator().next().contains("tf_crop_and_resize"), u.toString());

        b = new GraphBuilder("conv1d", 17);
        x = b.input("x", "N", 4, "L");
        u = unsupported(b, b.op("Conv", List.of(x, b.random("w", 1, 1f, 4, 4, 3)), Map.of("kernel_shape", new long[] {3})));
        assertTrue(u.values().iterator().next().contains("rank 3"), u.toString());
    }

    @Test
    void loweringAnUnsupportedNodeFailsWithUnsupportedOp() {
        GraphBuilder b = new GraphBuilder("s2d", 17);
        String x = b.input("x", "N", 4, "H", "W");
        b.output(b.op("SpaceToDepth", List.of(x), Map.of("blocksize", 2L)));
        Graph g = ShapeSpecializer.specialize(Model.fromGraph(b.build(), true).graph(), Map.of("x", new int[] {1, 4, 4, 4}));
        SrException e = assertThrows(SrException.class, () -> PlanBuilder.build(g, DeviceType.F16, new KernelEmulator(1)));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("SpaceToDepth"), e.getMessage());
    }
}
