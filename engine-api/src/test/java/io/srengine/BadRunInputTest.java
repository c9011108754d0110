package io.srengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxExporter;
import io.srengine.ops.OpRegistry;
import io.srengine.reference.ReferenceBackend;
import io.srengine.reference.ReferenceKernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs that only show when a model is run, or when its shapes are computed: wrong rank,
 * channel count or element type, a convolution whose output would be empty, and an output too
 * large to index.
 *
 * <p>NEEDS OPS: these tests use Relu, Conv and Resize and their reference kernels. Each test skips
 * (with the op it lacks as the reason) until those ops are registered, and runs from then on.
 */
class BadRunInputTest {
    private static final SessionOptions REFERENCE = SessionOptions.builder().backend(ReferenceBackend.NAME).build();

    private static void needs(String... ops) {
        for (String op : ops) {
            assumeTrue(OpRegistry.get(op) != null && ReferenceKernels.get(op) != null,
                    "needs the " + op + " op and its reference kernel");
        }
    }

    private static SrException fails(ErrorCode code, Runnable r) {
        SrException e = assertThrows(SrException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static void assertMentions(SrException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention " + p + ": " + e.getMessage());
        }
    }

    /** NCHW float input with 3 channels and symbolic height and width. */
    private static ValueInfo image(String name, int channels) {
        return new ValueInfo(name, new TensorType(DataType.FLOAT32,
                Shape.of(Dim.of(1), Dim.of(channels), Dim.symbol("H"), Dim.symbol("W"))));
    }

    private static Model load(Graph g) {
        return Model.load(OnnxExporter.toBytes(g));
    }

    private static Model relu() {
        Graph g = new Graph("relu", 13);
        g.inputs().add(image("x", 3));
        g.outputs().add(image("y", 3));
        g.nodes().add(new Node("act", "Relu", List.of("x"), List.of("y"), Attributes.empty()));
        return load(g);
    }

    @Test
    void wrongRank() {
        needs("Relu");
        try (Session s = relu().newSession(REFERENCE)) {
            SrException e = fails(ErrorCode.INVALID_INPUT, () -> s.run(Tensor.zeros(3, 8, 8)));
            assertMentions(e, "'x'", "rank 3", "rank 4");
        }
    }

    @Test
    void wrongChannelCount() {
        needs("Relu");
        try (Session s = relu().newSession(REFERENCE)) {
            SrException e = fails(ErrorCode.INVALID_INPUT, () -> s.run(Tensor.zeros(1, 4, 8, 8)));
            assertMentions(e, "'x'", "4 channels", "expects 3");
        }
    }

    @Test
    void wrongElementType() {
        needs("Relu");
        try (Session s = relu().newSession(REFERENCE)) {
            SrException e = fails(ErrorCode.TYPE_MISMATCH, () -> s.run(Tensor.zeros(1, 3, 8, 8).to(DataType.FLOAT64)));
            assertMentions(e, "'x'", "FLOAT64", "FLOAT32");
        }
    }

    private static Graph conv5x5(ValueInfo input) {
        Graph g = new Graph("conv", 13);
        g.inputs().add(input);
        g.outputs().add(image("y", 8));
        g.initializers().put("w", Tensor.zeros(8, 3, 5, 5));
        g.nodes().add(new Node("conv", "Conv", List.of("x", "w"), List.of("y"),
                Attributes.of(Map.of("kernel_shape", new long[] {5, 5}))));
        return g;
    }

    @Test
    void imageSmallerThanTheKernelAtRunTime() {
        needs("Conv");
        try (Session s = load(conv5x5(image("x", 3))).newSession(REFERENCE)) {
            SrException e = fails(ErrorCode.INVALID_SHAPE, () -> s.run(Tensor.zeros(1, 3, 3, 3)));
            assertMentions(e, "'conv'");
        }
    }

    @Test
    void imageSmallerThanTheKernelAtLoadTime() {
        needs("Conv");
        Graph g = conv5x5(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 3, 3, 3)));
        SrException e = fails(ErrorCode.INVALID_SHAPE, () -> load(g));
        assertMentions(e, "'conv'");
    }

    @Test
    void outputTooLargeToIndex() {
        needs("Resize");
        Graph g = new Graph("huge", 13);
        g.inputs().add(image("x", 1));
        g.outputs().add(image("y", 1));
        g.initializers().put("scales", Tensor.of(new float[] {1, 1, 65536, 65536}, 4));
        g.nodes().add(new Node("up", "Resize", List.of("x", "", "scales"), List.of("y"),
                Attributes.of(Map.of("mode", "nearest"))));
        // 64 x 64 pixels scaled by 65536 on each axis is 1.7e13 elements, far past Integer.MAX_VALUE.
        SrException e = fails(ErrorCode.TENSOR_TOO_LARGE, () -> {
            try (Session s = load(g).newSession(REFERENCE)) {
                s.run(Tensor.zeros(1, 1, 64, 64));
            }
        });
        assertMentions(e, "4194304");
    }
}
