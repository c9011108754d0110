package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.spi.Backends;
import io.srengine.testing.GraphBuilder;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole graphs on the CPU backend against the reference backend. */
class CpuBackendTest {
    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of("espcn rgb", (Supplier<Graph>) () -> GraphFixtures.espcn(3), new int[] {1, 3, 13, 17}),
                Arguments.of("espcn luma", (Supplier<Graph>) () -> GraphFixtures.espcn(1), new int[] {1, 1, 16, 9}),
                Arguments.of("fsrcnn", (Supplier<Graph>) GraphFixtures::fsrcnn, new int[] {1, 1, 11, 14}),
                Arguments.of("edsr", (Supplier<Graph>) () -> GraphFixtures.edsr(16, 2), new int[] {2, 3, 9, 12}),
                Arguments.of("edsr 17", (Supplier<Graph>) () -> GraphFixtures.edsr(17, 1), new int[] {1, 3, 7, 8}),
                Arguments.of("dense block", (Supplier<Graph>) () -> GraphFixtures.denseBlock(32, 16), new int[] {1, 32, 11, 10}),
                Arguments.of("attention+resize", (Supplier<Graph>) GraphFixtures::attentionAndResize, new int[] {1, 16, 9, 7}));
    }

    static Tensor input(int[] shape) {
        return GraphBuilder.randomTensor(7, 1f, shape);
    }

    static Tensor run(Graph g, String backend, Tensor x, int threads) {
        Model m = Model.fromGraph(g, true);
        try (Session s = m.newSession(SessionOptions.builder().backend(backend).threads(threads).build())) {
            return s.run(x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void matchesReference(String name, Supplier<Graph> graph, int[] shape) {
        Tensor x = input(shape);
        Tensor expected = run(graph.get(), "reference", x, 1);
        Tensor actual = run(graph.get(), "cpu", x, 2);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        TestData.assertClose(actual.floats(), expected.floats(), TestData.DIRECT_NMSE, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void sameResultEveryRunAndThreadCount(String name, Supplier<Graph> graph, int[] shape) {
        Tensor x = input(shape);
        Model m = Model.fromGraph(graph.get(), true);
        float[] first;
        try (Session s = m.newSession(SessionOptions.builder().backend("cpu").threads(2).build())) {
            first = s.run(x).floats();
            // Enough runs for C2 to compile the kernels: exp and tanh once differed in the last bit
            // between interpreted and compiled vector code (the JDK's fallback vs SVML).
            for (int run = 2; run <= 40; run++) {
                assertArrayEquals(first, s.run(x).floats(), name + ": run " + run);
            }
        }
        try (Session s = m.newSession(SessionOptions.builder().backend("cpu").threads(1).build())) {
            assertArrayEquals(first, s.run(x).floats(), name + ": one thread");
        }
    }

    @Test
    void chosenByDefaultWhenTheVectorApiIsThere() {
        assertTrue(Backends.unavailableReason(new CpuBackendProvider()).isEmpty());
        assertEquals("cpu", Backends.select(null).name());
        assertEquals(100, new CpuBackendProvider().priority());
    }

    @Test
    void anotherInputSizeGetsItsOwnPlanAndSameWeights() {
        Model m = Model.fromGraph(GraphFixtures.espcn(3), true);
        try (Session cpu = m.newSession(SessionOptions.builder().backend("cpu").build());
                Session ref = m.newSession(SessionOptions.builder().backend("reference").build())) {
            for (int[] shape : new int[][] {{1, 3, 8, 8}, {1, 3, 21, 5}, {1, 3, 8, 8}}) {
                Tensor x = input(shape);
                TestData.assertClose(cpu.run(x).floats(), ref.run(x).floats(), TestData.DIRECT_NMSE,
                        java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void denseBlockConcatsAreViewsAndResidualsAreFused() {
        Graph g = Model.fromGraph(GraphFixtures.denseBlock(32, 16), true).graph();
        CpuCompiledModel cm = new CpuCompiledModel(g, new WorkerPool(1));
        cm.run(Map.of("x", input(new int[] {1, 32, 6, 5})));
        String plan = cm.lastPlanSummary();
        assertEquals(4, plan.lines().filter(l -> l.startsWith("concat as view")).count(), plan);
        assertFalse(plan.contains("(copy)"), plan);
        assertFalse(plan.contains("Add node"), "residual adds fold into the last conv:\n" + plan);
        assertFalse(plan.contains("Mul node"), "residual scales fold into the last conv:\n" + plan);
        cm.close();
    }
}
