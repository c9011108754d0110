package io.srengine.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load-time rewrites for transformer exports on small graphs: each rewritten model computes what
 * the original does (reference backend, unoptimised graph as the oracle), and the forms that must not
 * be rewritten are left alone. The PyTorch exports of SwinIR, HAT, DAT and OmniSR exercise the common
 * forms (TransformerReferenceTest); these cover the others.
 */
class TransformerRewritesTest {
    private static Tensor run(Graph g, boolean optimize, Tensor x) {
        try (Session s = Model.fromGraph(g, optimize).newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(x);
        }
    }

    private static void assertSameResult(Graph g, Tensor x) {
        float[] want = run(g, false, x).floats();
        float[] got = run(g, true, x).floats();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), "element " + i);
        }
    }

    private static Map<String, List<String>> ops(Graph g) {
        return Model.fromGraph(g, true).graph().opUsage();
    }

    @Test
    void geluWithTheHalfTakenFirst() {
        GraphBuilder b = new GraphBuilder("gelu", 13);
        String x = b.input("x", 2, 7);
        String erf = b.op("Erf", b.op("Mul", x, b.constant("r", Tensor.scalar((float) Math.sqrt(0.5)))));
        String one = b.op("Add", b.constant("one", Tensor.scalar(1f)), erf);
        String half = b.op("Mul", b.constant("h", Tensor.scalar(0.5f)), x);
        b.output(b.op("Mul", half, one));
        Graph g = b.build();
        assertEquals(Map.of("Gelu", 1), counts(ops(g)));
        assertSameResult(g, GraphBuilder.randomTensor(1, 4, 2, 7));
    }

    @Test
    void geluPatternWithAnotherReaderStays() {
        GraphBuilder b = new GraphBuilder("gelu-shared", 13);
        String x = b.input("x", 5);
        String erf = b.op("Erf", b.op("Div", x, b.constant("s", Tensor.scalar((float) Math.sqrt(2)))));
        String plus = b.op("Add", erf, b.constant("one", Tensor.scalar(1f)));
        String y = b.op("Mul", b.op("Mul", x, plus), b.constant("h", Tensor.scalar(0.5f)));
        b.output(b.op("Add", y, erf));
        assertTrue(ops(b.build()).containsKey("Erf"), "erf is read twice, so the pattern must stay");
    }

    @Test
    void layerNormWithSquareAsMulAndNoAffine() {
        GraphBuilder b = new GraphBuilder("ln", 13);
        String x = b.input("x", 3, 4, 9);
        String axes = b.ints("axes", -1);
        String d = b.op("Sub", x, b.op("ReduceMean", List.of(x, axes), Map.of("keepdims", 1L)));
        String var = b.op("ReduceMean", List.of(b.op("Mul", d, d), axes), Map.of("keepdims", 1L));
        String std = b.op("Sqrt", b.op("Add", var, b.constant("eps", Tensor.scalar(1e-6f))));
        b.output(b.op("Div", d, std));
        Graph g = b.build();
        assertEquals(Map.of("LayerNormalization", 1), counts(ops(g)));
        assertSameResult(g, GraphBuilder.randomTensor(2, 3, 3, 4, 9));
    }

    @Test
    void normalisationOverChannelsIsNotLayerNormalization() {
        GraphBuilder b = new GraphBuilder("ln2d", 13);
        String x = b.input("x", 1, 6, 3, 5);
        String axes = b.ints("axes", 1);
        String d = b.op("Sub", x, b.op("ReduceMean", List.of(x, axes), Map.of("keepdims", 1L)));
        String var = b.op("ReduceMean", List.of(b.op("Pow", d, b.constant("two", Tensor.scalar(2f))), axes),
                Map.of("keepdims", 1L));
        b.output(b.op("Div", d, b.op("Sqrt", b.op("Add", var, b.constant("eps", Tensor.scalar(1e-6f))))));
        Graph g = b.build();
        assertFalse(ops(g).containsKey("LayerNormalization"), "axis 1 of 4 is not a trailing run of axes");
        assertSameResult(g, GraphBuilder.randomTensor(3, 2, 1, 6, 3, 5));
    }

    @Test
    void commonSubexpressionsMergeButKeepOutputs() {
        GraphBuilder b = new GraphBuilder("cse", 13);
        String x = b.input("x", 2, 3);
        String c1 = b.constant("c", Tensor.of(new float[] {1, 2, 3}, 3));
        String c2 = b.constant("c", Tensor.of(new float[] {1, 2, 3}, 3));
        String a = b.op("Mul", b.op("Add", x, c1), x);
        String bb = b.op("Mul", b.op("Add", x, c2), x);
        b.output(a).output(bb);
        Graph g = Model.fromGraph(b.build(), true).graph();
        assertEquals(1, g.initializers().size(), "equal constants merge");
        assertEquals(Map.of("Add", 1, "Mul", 2), counts(g.opUsage()), "the Adds merge; both outputs are kept");
    }

    @Test
    void einsumThatIsNotAMatrixProductStays() {
        GraphBuilder b = new GraphBuilder("einsum", 13);
        String x = b.input("x", 3, 4, 4);
        b.output(b.op("Einsum", List.of(x), Map.of("equation", "bii->bi")));
        assertTrue(ops(b.build()).containsKey("Einsum"));
        GraphBuilder m = new GraphBuilder("einsum-mm", 13);
        String p = m.input("p", 2, 5, 3);
        String q = m.input("q", 2, 4, 3);
        m.output(m.op("Einsum", List.of(p, q), Map.of("equation", "bik,bjk->bji")));
        Graph g = m.build();
        assertEquals(Map.of("MatMul", 1, "Transpose", 2), counts(ops(g)));
    }

    private static Map<String, Integer> counts(Map<String, List<String>> usage) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        usage.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }
}
