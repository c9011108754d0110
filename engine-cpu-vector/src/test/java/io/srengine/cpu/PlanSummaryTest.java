package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.graph.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which kernel each node of the fixtures gets: every SR op has a vector path, only Transpose falls back. */
class PlanSummaryTest {
    private static String plan(Graph graph, int[] shape) {
        Graph g = Model.fromGraph(graph, true).graph();
        try (WorkerPool pool = new WorkerPool(1)) {
            CpuCompiledModel cm = new CpuCompiledModel(g, pool);
            cm.run(Map.of(g.inputs().get(0).name(), CpuBackendTest.input(shape)));
            String s = cm.lastPlanSummary();
            System.out.println("plan of " + graph.name() + ":\n" + s);
            return s;
        }
    }

    @Test
    void everySrOpRunsOnAVectorKernel() {
        String espcn = plan(GraphFixtures.espcn(3), new int[] {1, 3, 8, 8});
        assertTrue(espcn.contains("planar"), espcn);
        assertFalse(espcn.contains("reference"), espcn);
        String fsrcnn = plan(GraphFixtures.fsrcnn(), new int[] {1, 1, 8, 8});
        assertTrue(fsrcnn.contains("(sub-pixel)"), fsrcnn);
        assertFalse(fsrcnn.contains("reference"), fsrcnn);
        String edsr = plan(GraphFixtures.edsr(16, 2), new int[] {1, 3, 8, 8});
        assertTrue(edsr.contains("winograd"), edsr);
        assertFalse(edsr.contains("reference"), edsr);
        String rcan = plan(GraphFixtures.attentionAndResize(), new int[] {1, 16, 8, 8});
        assertTrue(rcan.lines().filter(l -> l.startsWith("reference")).allMatch(l -> l.contains("Transpose")), rcan);
        assertFalse(rcan.contains("Relu node") || rcan.contains("Div node"), "Relu after the residual add and the"
                + " division by a constant fold into their producers:\n" + rcan);
    }
}
