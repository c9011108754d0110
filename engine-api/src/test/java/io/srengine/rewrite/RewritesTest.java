package io.srengine.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.FusedActivation;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rewrite changes the graph as intended and leaves its results unchanged. */
class RewritesTest {
    private static final SessionOptions REF = SessionOptions.builder().backend("reference").build();

    private static Tensor run(Model m, Tensor x) {
        try (Session s = m.newSession(REF)) {
            return s.run(x);
        }
    }

    private static List<String> ops(Model m) {
        return m.graph().nodes().stream().map(Node::opType).toList();
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        float[] e = expected.floats();
        float[] a = actual.floats();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol + tol * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void constantFoldingEvaluatesConstantSubgraphs() {
        Tensor w = GraphBuilder.randomTensor(1, 1f, 2, 2, 3, 3);
        GraphBuilder b = new GraphBuilder("fold", 13);
        String x = b.input("x", 1, 2, 3, 3);
        String wName = b.constant("w", w);
        String twice = b.op("Add", wName, wName);
        String y = b.op("Conv", List.of(x, twice), Map.of("pads", new long[] {1, 1, 1, 1}));
        Model folded = Model.fromGraph(b.output(y).build(), false);
        assertEquals(List.of("Conv"), ops(folded), "the Add of two constants is folded away");

        float[] doubled = w.toFloatArray();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        GraphBuilder e = new GraphBuilder("direct", 13);
        String x2 = e.input("x", 1, 2, 3, 3);
        String y2 = e.op("Conv", List.of(x2, e.constant("w2", Tensor.of(doubled, 2, 2, 3, 3))),
                Map.of("pads", new long[] {1, 1, 1, 1}));
        Model direct = Model.fromGraph(e.output(y2).build(), false);
        Tensor in = GraphBuilder.randomTensor(2, 1f, 1, 2, 3, 3);
        assertClose(run(direct, in), run(folded, in), 0);
    }

    @Test
    void batchNormIsFoldedIntoConv() {
        GraphBuilder b = new GraphBuilder("bn", 13);
        String x = b.input("x", "N", 3, "H", "W");
        String conv = b.op("Conv", List.of(x, b.random("w", 1, 0.5f, 4, 3, 3, 3), b.random("b", 2, 0.5f, 4)),
                Map.of("pads", new long[] {1, 1, 1, 1}));
        String bn = b.op("BatchNormalization", List.of(conv, b.random("g", 3, 1f, 4), b.random("beta", 4, 1f, 4),
                b.random("mean", 5, 1f, 4), b.constant("var", Tensor.of(new float[] {0.5f, 1f, 2f, 0.1f}, 4))),
                Map.of("epsilon", 1e-3f));
        Graph g = b.output(bn).build();
        Model plain = Model.fromGraph(g, false);
        Model opt = Model.fromGraph(g, true);
        assertTrue(ops(plain).contains("BatchNormalization"));
        assertEquals(List.of("Conv"), ops(opt));
        Tensor in = GraphBuilder.randomTensor(6, 1f, 2, 3, 5, 7);
        assertClose(run(plain, in), run(opt, in), 1e-5);
    }

    @Test
    void batchNormIsFoldedIntoGroupedConvTranspose() {
        GraphBuilder b = new GraphBuilder("bnt", 13);
        String x = b.input("x", 1, 4, 3, 3);
        String conv = b.op("ConvTranspose", List.of(x, b.random("w", 1, 0.5f, 4, 3, 2, 2)),
                Map.of("strides", new long[] {2, 2}, "group", 2L));
        String bn = b.op("BatchNormalization", List.of(conv, b.random("g", 3, 1f, 6), b.random("beta", 4, 1f, 6),
                b.random("mean", 5, 1f, 6), b.constant("var", Tensor.of(new float[] {0.5f, 1f, 2f, 0.1f, 3f, 1f}, 6))));
        Graph g = b.output(bn).build();
        Model plain = Model.fromGraph(g, false);
        Model opt = Model.fromGraph(g, true);
        assertEquals(List.of("ConvTranspose"), ops(opt));
        Tensor in = GraphBuilder.randomTensor(7, 1f, 1, 4, 3, 3);
        assertClose(run(plain, in), run(opt, in), 1e-5);
    }

    @Test
    void activationsAreFusedIntoConv() {
        for (String act : List.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "PRelu")) {
            GraphBuilder b = new GraphBuilder("act", 13);
            String x = b.input("x", 1, 3, "H", "W");
            String conv = b.op("Conv", List.of(x, b.random("w", 1, 0.5f, 5, 3, 3, 3)), Map.of("pads", new long[] {1, 1, 1, 1}));
            String y = switch (act) {
                case "LeakyRelu" -> b.op(act, List.of(conv), Map.of("alpha", 0.2f));
                case "Clip" -> b.op(act, conv, b.constant("lo", Tensor.scalar(-0.3f)), b.constant("hi", Tensor.scalar(0.4f)));
                case "PRelu" -> b.op(act, conv, b.random("slope", 9, 0.5f, 5, 1, 1));
                default -> b.op(act, conv);
            };
            Graph g = b.output(y).build();
            Model plain = Model.fromGraph(g, false);
            Model opt = Model.fromGraph(g, true);
            assertEquals(List.of("Conv"), ops(opt), act);
            assertEquals(act, opt.graph().nodes().getFirst().attrString(FusedActivation.ATTR_KIND, null));
            Tensor in = GraphBuilder.randomTensor(8, 1f, 1, 3, 6, 5);
            assertClose(run(plain, in), run(opt, in), 1e-6);
        }
    }

    @Test
    void activationReadTwiceIsNotFused() {
        GraphBuilder b = new GraphBuilder("shared", 13);
        String x = b.input("x", 1, 2, 4, 4);
        String conv = b.op("Conv", x, b.random("w", 1, 0.5f, 2, 2, 1, 1));
        String relu = b.op("Relu", conv);
        String sum = b.op("Add", relu, conv);
        Model opt = Model.fromGraph(b.output(sum).build(), true);
        assertEquals(List.of("Conv", "Relu", "Add"), ops(opt));
    }

    @Test
    void staticPixelShuffleBecomesDepthToSpace() {
        GraphBuilder b = new GraphBuilder("ps", 9);
        String x = b.input("x", 1, 8, 3, 5);
        String r1 = b.op("Reshape", x, b.ints("s1", 1, 2, 2, 2, 3, 5));
        String t = b.op("Transpose", List.of(r1), Map.of("perm", new long[] {0, 1, 4, 2, 5, 3}));
        String r2 = b.op("Reshape", t, b.ints("s2", 1, 2, 6, 10));
        Graph g = b.output(r2).build();
        Model plain = Model.fromGraph(g, false);
        Model opt = Model.fromGraph(g, true);
        assertEquals(List.of("DepthToSpace"), ops(opt));
        assertEquals("CRD", opt.graph().nodes().getFirst().attrString("mode", null));
        Tensor in = GraphBuilder.randomTensor(3, 1f, 1, 8, 3, 5);
        assertClose(run(plain, in), run(opt, in), 0);
    }

    @Test
    void dynamicPixelShuffleChainBecomesDepthToSpace() {
        // What PyTorch emits for nn.PixelShuffle(2) at opset 9 with dynamic height and width.
        GraphBuilder b = new GraphBuilder("psdyn", 9);
        String x = b.input("x", "N", 12, "H", "W");
        String u = b.op("Unsqueeze", x, b.ints("axes", 2, 3));
        String r1 = b.op("Reshape", u, b.ints("s1", 0, -1, 2, 2, 0, 0));
        String t = b.op("Transpose", List.of(r1), Map.of("perm", new long[] {0, 1, 4, 2, 5, 3}));
        String r2 = b.op("Reshape", t, b.ints("s2", 0, 0, -1, 1, 0, 0));
        String r3 = b.op("Reshape", r2, b.ints("s3", 0, 0, 0, 0, -1, 1));
        String y = b.op("Squeeze", sq(b, r3));
        Graph g = b.output(y).build();
        Model plain = Model.fromGraph(g, false);
        Model opt = Model.fromGraph(g, true);
        assertEquals(List.of("DepthToSpace"), ops(opt));
        Tensor in = GraphBuilder.randomTensor(4, 1f, 2, 12, 3, 5);
        Tensor expected = run(plain, in);
        assertEquals("[2, 3, 6, 10]", java.util.Arrays.toString(expected.shape()));
        assertClose(expected, run(opt, in), 0);
    }

    private static String[] sq(GraphBuilder b, String in) {
        return new String[] {in, b.ints("sq", 3, 5)};
    }

    @Test
    void tensorflowDepthToSpaceOrderIsRecognisedAsDcr() {
        GraphBuilder b = new GraphBuilder("dcr", 13);
        String x = b.input("x", 1, 12, 2, 3);
        String r1 = b.op("Reshape", x, b.ints("s1", 1, 2, 2, 3, 2, 3));
        String t = b.op("Transpose", List.of(r1), Map.of("perm", new long[] {0, 3, 4, 1, 5, 2}));
        String r2 = b.op("Reshape", t, b.ints("s2", 1, 3, 4, 6));
        Graph g = b.output(r2).build();
        Model plain = Model.fromGraph(g, false);
        Model opt = Model.fromGraph(g, true);
        assertEquals(List.of("DepthToSpace"), ops(opt));
        assertEquals("DCR", opt.graph().nodes().getFirst().attrString("mode", null));
        Tensor in = GraphBuilder.randomTensor(5, 1f, 1, 12, 2, 3);
        assertClose(run(plain, in), run(opt, in), 0);
    }

    @Test
    void reshapeTransposeThatIsNotAShuffleIsLeftAlone() {
        GraphBuilder b = new GraphBuilder("notps", 13);
        String x = b.input("x", 1, 8, 3, 5);
        String r1 = b.op("Reshape", x, b.ints("s1", 1, 2, 2, 2, 3, 5));
        String t = b.op("Transpose", List.of(r1), Map.of("perm", new long[] {0, 2, 1, 3, 4, 5}));
        String r2 = b.op("Reshape", t, b.ints("s2", 1, 8, 3, 5));
        Model opt = Model.fromGraph(b.output(r2).build(), true);
        assertEquals(List.of("Reshape", "Transpose", "Reshape"), ops(opt));
    }
}
