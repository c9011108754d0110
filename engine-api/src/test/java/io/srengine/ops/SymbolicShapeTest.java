package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.reference.ReferenceBackend;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.spi.CompiledModel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Shape inference on symbolic dimensions, as a model exported with dynamic axes needs it. */
class SymbolicShapeTest {
    private static final Dim N = Dim.symbol("N");
    private static final Dim C = Dim.symbol("C");
    private static final Dim H = Dim.symbol("H");
    private static final Dim W = Dim.symbol("W");

    /** PyTorch's pixel_shuffle as exported with dynamic axes (opset 11+), upscale factor r. */
    private static Graph pixelShuffleChain(TensorType input, int r) {
        Graph g = new Graph("pixel_shuffle", 13);
        g.inputs().add(new ValueInfo("x", input));
        g.outputs().add(new ValueInfo("y", input));
        g.initializers().put("axes23", Tensor.ofLongs(new long[] {2, 3}, 2));
        g.initializers().put("s1", Tensor.ofLongs(new long[] {0, -1, r, r, 0, 0}, 6));
        g.initializers().put("s2", Tensor.ofLongs(new long[] {0, 0, -1, 1, 0, 0}, 6));
        g.initializers().put("s3", Tensor.ofLongs(new long[] {0, 0, 0, 0, -1, 1}, 6));
        g.initializers().put("axes35", Tensor.ofLongs(new long[] {3, 5}, 2));
        g.nodes().add(node("u", "Unsqueeze", List.of("x", "axes23"), "a", Map.of()));
        g.nodes().add(node("r1", "Reshape", List.of("a", "s1"), "b", Map.of()));
        g.nodes().add(node("t", "Transpose", List.of("b"), "c", Map.of("perm", new long[] {0, 1, 4, 2, 5, 3})));
        g.nodes().add(node("r2", "Reshape", List.of("c", "s2"), "d", Map.of()));
        g.nodes().add(node("r3", "Reshape", List.of("d", "s3"), "e", Map.of()));
        g.nodes().add(node("s", "Squeeze", List.of("e", "axes35"), "y", Map.of()));
        return g;
    }

    private static Node node(String name, String op, List<String> in, String out, Map<String, ?> attrs) {
        return new Node(name, op, in, List.of(out), Attributes.of(attrs));
    }

    @Test
    void pixelShuffleChainInfersTheUpscaledShapeSymbolically() {
        Graph g = pixelShuffleChain(new TensorType(DataType.FLOAT32, Shape.of(N, C, H, W)), 3);
        ShapeInference.infer(g);
        assertEquals(Shape.of(N, C, Dim.of(1), Dim.of(1), H, W), g.valueTypes().get("a").shape());
        assertEquals(Shape.of(N, C.floorDiv(9), Dim.of(3), Dim.of(3), H, W), g.valueTypes().get("b").shape());
        assertEquals(Shape.of(N, C.floorDiv(9), H, Dim.of(3), W, Dim.of(3)), g.valueTypes().get("c").shape());
        assertEquals(Shape.of(N, C.floorDiv(9), H.times(3), Dim.of(1), W, Dim.of(3)), g.valueTypes().get("d").shape());
        assertEquals(Shape.of(N, C.floorDiv(9), H.times(3), W.times(3)), g.valueTypes().get("y").shape());
    }

    @Test
    void pixelShuffleChainWithKnownChannelsInfersThemExactly() {
        Graph g = pixelShuffleChain(new TensorType(DataType.FLOAT32, Shape.of(N, Dim.of(12), H, W)), 2);
        ShapeInference.infer(g);
        assertEquals(Shape.of(N, Dim.of(3), H.times(2), W.times(2)), g.valueTypes().get("y").shape());
    }

    @Test
    void pixelShuffleChainRunsLikeDepthToSpaceInCrdMode() {
        Graph chain = GraphPreparer.prepare(pixelShuffleChain(new TensorType(DataType.FLOAT32, Shape.of(N, C, H, W)), 2), false);
        Tensor x = random(new int[] {2, 8, 3, 5}, 7);
        Tensor viaChain;
        try (CompiledModel m = new ReferenceBackend().compile(chain)) {
            viaChain = m.run(Map.of("x", x)).get("y");
        }
        Tensor viaD2s = SingleNodeGraph.op("DepthToSpace").attr("blocksize", 2L).attr("mode", "CRD").input(x).run();
        assertArrayEquals(new int[] {2, 2, 6, 10}, viaChain.shape());
        TensorAssert.assertTensorEquals(viaD2s, viaChain);
    }

    @Test
    void elementwiseOpsKeepEqualSymbols() {
        TensorType t = SingleNodeGraph.op("Add").symbolic(DataType.FLOAT32, N, C, H, W)
                .symbolic(DataType.FLOAT32, Dim.of(1), C, Dim.of(1), Dim.of(1)).infer();
        assertEquals(Shape.of(N, C, H, W), t.shape());
        t = SingleNodeGraph.op("PRelu").symbolic(DataType.FLOAT32, N, Dim.of(16), H, W)
                .constant(Tensor.zeros(16, 1, 1)).infer();
        assertEquals(Shape.of(N, Dim.of(16), H, W), t.shape());
    }

    @Test
    void concatSumsSymbolicAxes() {
        TensorType t = SingleNodeGraph.op("Concat").attr("axis", 1L).symbolic(DataType.FLOAT32, N, C, H, W)
                .symbolic(DataType.FLOAT32, N, Dim.of(4), H, W).symbolic(DataType.FLOAT32, N, C, H, W).infer();
        assertEquals(Shape.of(N, C.times(2).plus(4), H, W), t.shape());
    }

    @Test
    void depthToSpaceAndTransposeOnSymbols() {
        TensorType t = SingleNodeGraph.op("DepthToSpace").attr("blocksize", 4L)
                .symbolic(DataType.FLOAT32, N, Dim.of(48), H, W).infer();
        assertEquals(Shape.of(N, Dim.of(3), H.times(4), W.times(4)), t.shape());
        t = SingleNodeGraph.op("SpaceToDepth").attr("blocksize", 2L).symbolic(DataType.FLOAT32, N, C, H.times(2), W.times(2)).infer();
        assertEquals(Shape.of(N, C.times(4), H, W), t.shape());
        t = SingleNodeGraph.op("Transpose").attr("perm", new long[] {0, 2, 3, 1}).symbolic(DataType.FLOAT32, N, C, H, W).infer();
        assertEquals(Shape.of(N, H, W, C), t.shape());
        t = SingleNodeGraph.op("Flatten").symbolic(DataType.FLOAT32, N, C, H, W).infer();
        assertEquals(Shape.of(N, C.times(H).times(W)), t.shape());
    }

    @Test
    void reshapeInfersMinusOneByCancellingSymbols() {
        TensorType t = SingleNodeGraph.op("Reshape").symbolic(DataType.FLOAT32, N, Dim.of(6), H, W).constant(0, 2, -1, 0).infer();
        assertEquals(Shape.of(N, Dim.of(2), H.times(3), W), t.shape());
        t = SingleNodeGraph.op("Reshape").symbolic(DataType.FLOAT32, N, C, H, W).constant(0, -1).infer();
        assertEquals(Shape.of(N, C.times(H).times(W)), t.shape());
    }

    @Test
    void sliceKeepsSymbolsOnlyForWholeAxes() {
        TensorType t = SingleNodeGraph.op("Slice").symbolic(DataType.FLOAT32, N, C, H, W)
                .constant(0, 1).constant(Long.MAX_VALUE, 3).constant(1, 2).infer();
        assertEquals(C, t.shape().dim(1));
        assertFalse(t.shape().dim(2).isKnown());
        assertFalse(t.shape().dim(2).equals(H));
        assertEquals(N, t.shape().dim(0));
        t = SingleNodeGraph.op("Slice").symbolic(DataType.FLOAT32, N, C, H, W)
                .constant(-1).constant(Long.MIN_VALUE).constant(3).constant(-1).infer();
        assertEquals(W, t.shape().dim(3));
    }

    @Test
    void shapeFoldsOnlyTheKnownPart() {
        Graph g = SingleNodeGraph.op("Shape").attr("end", 2L).symbolic(DataType.FLOAT32, Dim.of(1), Dim.of(3), H, W).graph();
        ShapeInference.infer(g, (node, inputs, types, opset) -> null);
        Tensor folded = g.initializers().get("out0");
        assertNotNull(folded, "Shape of the known dims [1, 3] folds to a constant");
        assertArrayEquals(new long[] {1, 3}, folded.longs());
        assertTrue(g.nodes().isEmpty());

        g = SingleNodeGraph.op("Shape").symbolic(DataType.FLOAT32, Dim.of(1), Dim.of(3), H, W).graph();
        ShapeInference.infer(g, (node, inputs, types, opset) -> null);
        assertFalse(g.initializers().containsKey("out0"), "H and W are not known yet");
        assertEquals(TensorType.of(DataType.INT64, 4), g.valueTypes().get("out0"));
    }

    /** x.view(x.size(0), -1) as exported with dynamic axes: the shape is computed by Shape, Gather and Concat. */
    @Test
    void reshapeToAComputedShapeIsUnknownUntilSpecialised() {
        Graph g = new Graph("flatten", 13);
        g.inputs().add(new ValueInfo("x", new TensorType(DataType.FLOAT32, Shape.of(N, C, H, W))));
        g.outputs().add(new ValueInfo("y", TensorType.of(DataType.FLOAT32)));
        g.initializers().put("zero", Tensor.ofLongs(new long[] {0}));
        g.initializers().put("axis0", Tensor.ofLongs(new long[] {0}, 1));
        g.initializers().put("minus1", Tensor.ofLongs(new long[] {-1}, 1));
        g.nodes().add(node("shape", "Shape", List.of("x"), "s", Map.of()));
        g.nodes().add(node("gather", "Gather", List.of("s", "zero"), "n", Map.of("axis", 0L)));
        g.nodes().add(node("unsqueeze", "Unsqueeze", List.of("n", "axis0"), "n1", Map.of()));
        g.nodes().add(node("concat", "Concat", List.of("n1", "minus1"), "target", Map.of("axis", 0L)));
        g.nodes().add(node("reshape", "Reshape", List.of("x", "target"), "y", Map.of()));
        GraphPreparer.prepare(g, false);
        Shape y = g.valueTypes().get("y").shape();
        assertEquals(2, y.rank());
        assertFalse(y.isKnown());
        Tensor x = random(new int[] {2, 3, 4, 5}, 1);
        try (CompiledModel m = new ReferenceBackend().compile(g)) {
            Tensor out = m.run(Map.of("x", x)).get("y");
            assertArrayEquals(new int[] {2, 60}, out.shape());
            assertArrayEquals(x.floats(), out.floats());
        }
    }

    static Tensor random(int[] shape, long seed) {
        Random r = new Random(seed);
        Tensor t = Tensor.zeros(shape);
        float[] f = t.floats();
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextFloat() * 2 - 1;
        }
        return t;
    }
}
