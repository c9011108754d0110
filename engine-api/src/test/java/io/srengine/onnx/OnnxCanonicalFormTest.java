package io.srengine.onnx;

import static io.srengine.onnx.OnnxImporterTest.fails;
import static io.srengine.onnx.OnnxImporterTest.read;
import static io.srengine.onnx.OnnxProtos.attr;
import static io.srengine.onnx.OnnxProtos.floats;
import static io.srengine.onnx.OnnxProtos.graphXY;
import static io.srengine.onnx.OnnxProtos.ints;
import static io.srengine.onnx.OnnxProtos.node;
import static io.srengine.onnx.OnnxProtos.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.onnx.proto.Onnx.AttributeProto;
import io.srengine.onnx.proto.Onnx.GraphProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The importer's rewrites of old-opset operator forms into the newest ones. */
class OnnxCanonicalFormTest {
    /** The single node of a one-op model x -> y at {@code opset}, after import. */
    private static Node single(int opset, String op, List<String> in, AttributeProto... attrs) {
        Graph g = read(opset, graphXY().addNode(node("n", op, in, List.of("y"), attrs)));
        assertEquals(1, g.nodes().size(), g.toString());
        return g.nodes().getFirst();
    }

    private static Graph graphOf(int opset, String op, List<String> in, AttributeProto... attrs) {
        return read(opset, graphXY().addNode(node("n", op, in, List.of("y"), attrs)));
    }

    private static Tensor input(Graph g, Node n, int i) {
        Tensor t = g.initializers().get(n.input(i));
        assertTrue(t != null, "input " + i + " of " + n + " should be an initializer");
        return t;
    }

    @Test
    void clipBoundsBecomeInputs() {
        Graph g = graphOf(6, "Clip", List.of("x"), attr("min", -1f), attr("max", 6f));
        Node n = g.nodes().getFirst();
        assertTrue(n.attributes().isEmpty());
        assertEquals(3, n.inputs().size());
        assertEquals(0, input(g, n, 1).rank());
        assertEquals(-1.0, input(g, n, 1).getDouble(0));
        assertEquals(6.0, input(g, n, 2).getDouble(0));

        g = graphOf(9, "Clip", List.of("x"), attr("max", 6f));
        n = g.nodes().getFirst();
        assertEquals("", n.input(1));
        assertEquals(6.0, input(g, n, 2).getDouble(0));

        g = graphOf(9, "Clip", List.of("x"), attr("min", 0f));
        assertEquals(2, g.nodes().getFirst().inputs().size());

        // From opset 11 on the bounds are inputs already.
        assertEquals(List.of("x"), single(11, "Clip", List.of("x")).inputs());
    }

    @Test
    void clipBoundsTakeTheElementTypeOfTheInput() {
        GraphProto.Builder gb = GraphProto.newBuilder().addInput(value("x", DataType.FLOAT16, 4))
                .addOutput(value("y", DataType.FLOAT16, 4))
                .addNode(node("n", "Clip", List.of("x"), List.of("y"), attr("min", 0f)));
        Graph g = read(9, gb);
        assertEquals(DataType.FLOAT16, input(g, g.nodes().getFirst(), 1).dataType());
    }

    @Test
    void padAttributesBecomeInputs() {
        Graph g = graphOf(9, "Pad", List.of("x"), ints("pads", 0, 0, 1, 2, 0, 0, 3, 4), attr("mode", "reflect"));
        Node n = g.nodes().getFirst();
        assertEquals("reflect", n.attrString("mode", null));
        assertFalse(n.attributes().has("pads"));
        assertEquals(DataType.INT64, input(g, n, 1).dataType());
        assertArrayEquals(new long[] {0, 0, 1, 2, 0, 0, 3, 4}, input(g, n, 1).longs());
        assertEquals(2, n.inputs().size(), "a zero fill value is the default and is left out");

        g = graphOf(9, "Pad", List.of("x"), ints("pads", 0, 0, 1, 1, 0, 0, 1, 1), attr("value", 1.5f));
        n = g.nodes().getFirst();
        assertEquals(1.5, input(g, n, 2).getDouble(0));
        assertEquals(0, input(g, n, 2).rank());
        assertFalse(n.attributes().has("value"));

        SrException e = fails(ErrorCode.INVALID_MODEL, () -> graphOf(9, "Pad", List.of("x")));
        assertTrue(e.getMessage().contains("'n'") && e.getMessage().contains("pads"), e.getMessage());
    }

    @Test
    void axesBecomeAnInput() {
        for (String op : List.of("Squeeze", "Unsqueeze", "ReduceMean")) {
            Graph g = graphOf(11, op, List.of("x"), ints("axes", 0, 2), attr("keepdims", 1L));
            Node n = g.nodes().getFirst();
            assertArrayEquals(new long[] {0, 2}, input(g, n, 1).longs(), op);
            assertFalse(n.attributes().has("axes"), op);
        }
        assertEquals(1, single(11, "Squeeze", List.of("x")).inputs().size());
        assertEquals(1, single(13, "ReduceMean", List.of("x")).inputs().size());
        // ReduceMean keeps its attribute form until opset 18, Squeeze until 13.
        assertEquals(2, single(17, "ReduceMean", List.of("x"), ints("axes", 1)).inputs().size());
        assertEquals(List.of("x", "a"), single(13, "Squeeze", List.of("x", "a")).inputs());
        fails(ErrorCode.INVALID_MODEL, () -> graphOf(11, "Unsqueeze", List.of("x")));
    }

    @Test
    void sliceAttributesBecomeInputs() {
        Graph g = graphOf(9, "Slice", List.of("x"), ints("starts", 1), ints("ends", 3), ints("axes", 2));
        Node n = g.nodes().getFirst();
        assertEquals(4, n.inputs().size());
        assertArrayEquals(new long[] {1}, input(g, n, 1).longs());
        assertArrayEquals(new long[] {3}, input(g, n, 2).longs());
        assertArrayEquals(new long[] {2}, input(g, n, 3).longs());
        assertTrue(n.attributes().isEmpty());
        assertEquals(3, single(9, "Slice", List.of("x"), ints("starts", 0), ints("ends", 1)).inputs().size());
    }

    @Test
    void upsampleBecomesResize() {
        Graph g = graphOf(7, "Upsample", List.of("x"), floats("scales", 1, 1, 2, 2), attr("mode", "nearest"));
        Node n = g.nodes().getFirst();
        assertEquals("Resize", n.opType());
        assertEquals("n", n.name());
        assertEquals("", n.input(1));
        assertArrayEquals(new float[] {1, 1, 2, 2}, input(g, n, 2).floats());
        assertEquals("nearest", n.attrString("mode", null));
        assertEquals("asymmetric", n.attrString("coordinate_transformation_mode", null));
        assertEquals("simple", n.attrString("nearest_mode", null));

        n = single(8, "Upsample", List.of("x"), floats("scales", 1, 1, 2, 2), attr("mode", "bilinear"));
        assertEquals("linear", n.attrString("mode", null));

        n = single(9, "Upsample", List.of("x", "s"), attr("mode", "linear"));
        assertEquals(List.of("x", "", "s"), n.inputs());
        assertEquals("linear", n.attrString("mode", null));
        assertEquals("asymmetric", n.attrString("coordinate_transformation_mode", null));

        n = single(10, "Resize", List.of("x", "s"));
        assertEquals(List.of("x", "", "s"), n.inputs());
        assertEquals("nearest", n.attrString("mode", null));
        assertEquals("simple", n.attrString("nearest_mode", null));
    }

    @Test
    void resize11EmptyTensorsMeanAbsent() {
        GraphProto.Builder gb = graphXY()
                .addInitializer(OnnxTensors.toProto("roi", Tensor.of(new float[0], 0)))
                .addInitializer(OnnxTensors.toProto("scales", Tensor.of(new float[0], 0)))
                .addInitializer(OnnxTensors.toProto("sizes", Tensor.ofLongs(new long[] {1, 3, 8, 8}, 4)))
                .addNode(node("n", "Resize", List.of("x", "roi", "scales", "sizes"), List.of("y")));
        assertEquals(List.of("x", "", "", "sizes"), read(11, gb).nodes().getFirst().inputs());
        Node same = single(13, "Resize", List.of("x", "", "s"), attr("mode", "cubic"));
        assertEquals(List.of("x", "", "s"), same.inputs());
        assertEquals(1, same.attributes().names().size());
    }

    @Test
    void dropoutBecomesIdentity() {
        Node n = single(7, "Dropout", List.of("x"), attr("ratio", 0.3f));
        assertEquals("Identity", n.opType());
        assertEquals(List.of("x"), n.inputs());
        assertEquals(List.of("y"), n.outputs());
        assertTrue(n.attributes().isEmpty());

        // An unused mask is dropped; a used one cannot be produced.
        GraphProto.Builder unusedMask = graphXY().addNode(node("d", "Dropout", List.of("x"), List.of("y", "mask")));
        assertEquals(List.of("y"), read(13, unusedMask).nodes().getFirst().outputs());
        GraphProto.Builder usedMask = graphXY().addOutput(value("mask", DataType.BOOL, 1, 3, 4, 4))
                .addNode(node("d", "Dropout", List.of("x"), List.of("y", "mask")));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, usedMask));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("mask"), e.getMessage());

        GraphProto.Builder training = graphXY()
                .addInitializer(OnnxTensors.toProto("t", Tensor.ofBytes(DataType.BOOL, new byte[] {1})))
                .addNode(node("d", "Dropout", List.of("x", "", "t"), List.of("y")));
        fails(ErrorCode.UNSUPPORTED_OP, () -> read(13, training));
        GraphProto.Builder inference = graphXY()
                .addInitializer(OnnxTensors.toProto("t", Tensor.ofBytes(DataType.BOOL, new byte[] {0})))
                .addNode(node("d", "Dropout", List.of("x", "", "t"), List.of("y")));
        assertEquals("Identity", read(13, inference).nodes().getFirst().opType());
    }

    @Test
    void batchNormLosesItsTrainingForms() {
        List<String> in = List.of("x", "s", "b", "m", "v");
        Node n = single(6, "BatchNormalization", in, attr("is_test", 1L), attr("spatial", 1L), attr("epsilon", 1e-3f));
        assertEquals(List.of("epsilon"), List.copyOf(n.attributes().names()));
        assertEquals(List.of("y"), n.outputs());

        GraphProto.Builder unused = graphXY().addNode(node("bn", "BatchNormalization", in, List.of("y", "rm", "rv")));
        assertEquals(List.of("y"), read(9, unused).nodes().getFirst().outputs());
        GraphProto.Builder used = graphXY().addOutput(value("rm", DataType.FLOAT32, 3))
                .addNode(node("bn", "BatchNormalization", in, List.of("y", "rm", "rv")));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(9, used));
        assertTrue(e.getMessage().contains("'bn'") && e.getMessage().contains("'rm'"), e.getMessage());
        fails(ErrorCode.UNSUPPORTED_OP, () -> graphOf(7, "BatchNormalization", in, attr("spatial", 0L)));
        fails(ErrorCode.UNSUPPORTED_OP, () -> graphOf(15, "BatchNormalization", in, attr("training_mode", 1L)));
    }

    @Test
    void opset6BroadcastingBecomesNumpyStyle() {
        // B of shape [3] at axis 1 of A [1, 3, 4, 4] needs two trailing ones to broadcast numpy-style.
        GraphProto.Builder constant = graphXY()
                .addInitializer(OnnxTensors.toProto("b", Tensor.of(new float[] {1, 2, 3}, 3)))
                .addNode(node("add", "Add", List.of("x", "b"), List.of("y"), attr("broadcast", 1L), attr("axis", 1L)));
        Graph g = read(6, constant);
        assertEquals(7, g.opsetVersion());
        Node add = g.nodes().getFirst();
        assertTrue(add.attributes().isEmpty());
        assertArrayEquals(new int[] {3, 1, 1}, input(g, add, 1).shape());
        assertArrayEquals(new int[] {3}, g.initializers().get("b").shape(), "the original stays as it was");

        GraphProto.Builder computed = graphXY().addInput(value("b", DataType.FLOAT32, 3))
                .addNode(node("mul", "Mul", List.of("x", "b"), List.of("y"), attr("broadcast", 1L), attr("axis", 1L)));
        g = read(6, computed);
        assertEquals(2, g.nodes().size());
        Node unsqueeze = g.nodes().get(0);
        Node mul = g.nodes().get(1);
        assertEquals("Unsqueeze", unsqueeze.opType());
        assertEquals("b", unsqueeze.input(0));
        assertArrayEquals(new long[] {1, 2}, input(g, unsqueeze, 1).longs());
        assertEquals(unsqueeze.output(0), mul.input(1));

        // Suffix alignment (no axis) already is numpy-style.
        Node sub = single(6, "Sub", List.of("x", "x"), attr("broadcast", 1L));
        assertEquals(List.of("x", "x"), sub.inputs());
        assertTrue(sub.attributes().isEmpty());
        assertTrue(single(6, "Gemm", List.of("x", "x", "x"), attr("broadcast", 1L)).attributes().isEmpty());

        GraphProto.Builder unknownRank = graphXY()
                .addNode(node("r", "Relu", List.of("x"), List.of("r")))
                .addNode(node("add", "Add", List.of("x", "r"), List.of("y"), attr("broadcast", 1L), attr("axis", 1L)));
        fails(ErrorCode.UNSUPPORTED_OP, () -> read(6, unknownRank));
    }

    @Test
    void opset6PreluSlopeIsPerChannel() {
        GraphProto.Builder gb = graphXY()
                .addInitializer(OnnxTensors.toProto("slope", Tensor.of(new float[] {0.1f, 0.2f, 0.3f}, 3)))
                .addNode(node("p", "PRelu", List.of("x", "slope"), List.of("y")));
        Graph g = read(6, gb);
        Node p = g.nodes().getFirst();
        assertArrayEquals(new int[] {3, 1, 1}, input(g, p, 1).shape());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, input(g, p, 1).floats());
        // A single shared slope, and the opset-7 form, stay as they are.
        GraphProto.Builder shared = graphXY()
                .addInitializer(OnnxTensors.toProto("slope", Tensor.of(new float[] {0.1f}, 1)))
                .addNode(node("p", "PRelu", List.of("x", "slope"), List.of("y")));
        assertEquals(List.of("x", "slope"), read(6, shared).nodes().getFirst().inputs());
        assertEquals(List.of("x", "slope"), read(7, gb).nodes().getFirst().inputs());
    }

    @Test
    void newestFormsAreLeftAlone() {
        GraphProto.Builder gb = graphXY().addNode(node("n", "Clip", List.of("x", "lo", "hi"), List.of("y")));
        Graph g = read(13, gb);
        assertEquals(List.of("x", "lo", "hi"), g.nodes().getFirst().inputs());
        Node relu = single(21, "Relu", List.of("x"));
        assertEquals(List.of("x"), relu.inputs());
        assertTrue(relu.attributes().isEmpty());
    }
}
