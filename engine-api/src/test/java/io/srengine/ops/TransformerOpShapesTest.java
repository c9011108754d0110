package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shape inference of the transformer ops on symbolic and known shapes, and the errors that every
 * invalid attribute or shape gives (each naming the node and the numbers at fault).
 */
class TransformerOpShapesTest {
    private static final Dim N = Dim.symbol("N");
    private static final Dim L = Dim.symbol("L");

    private static void fails(NodeInference n, ErrorCode code, String... fragments) {
        SrException e = assertThrows(SrException.class, n::inferAll);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("node 'n1'"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void matMulBroadcastsBatchAxesAndDropsVectorAxes() {
        assertEquals(Shape.of(N, Dim.of(3), L, Dim.of(4)),
                NodeInference.of("MatMul").input("N", 1, "L", 7).input(3, 7, 4).infer());
        assertEquals(Shape.of(Dim.of(2), Dim.of(3)), NodeInference.of("MatMul").input(7).input(2, 7, 3).infer());
        assertEquals(Shape.of(Dim.of(2), Dim.of(3)), NodeInference.of("MatMul").input(2, 3, 7).input(7).infer());
        assertEquals(Shape.scalar(), NodeInference.of("MatMul").input(7).input(7).infer());
    }

    @Test
    void matMulErrors() {
        fails(NodeInference.of("MatMul").input(2, 3, 5).input(4, 6), ErrorCode.INVALID_SHAPE, "inner dimensions 5 and 4");
        fails(NodeInference.of("MatMul").input(2, 3, 5).input(4, 5, 6), ErrorCode.INVALID_SHAPE, "do not broadcast");
        fails(NodeInference.of("MatMul").input().input(4), ErrorCode.INVALID_SHAPE, "rank 1 or more");
        fails(NodeInference.of("MatMul").input(2, 3).typed(DataType.INT64, 3, 2), ErrorCode.TYPE_MISMATCH, "INT64");
    }

    @Test
    void gemmShapesAndErrors() {
        assertEquals(Shape.of(5, 4), NodeInference.of("Gemm").input(6, 5).input(4, 6).input(4)
                .attr("transA", 1L).attr("transB", 1L).infer());
        fails(NodeInference.of("Gemm").input(5, 6).input(5, 4), ErrorCode.INVALID_SHAPE, "inner dimensions 6 and 5");
        fails(NodeInference.of("Gemm").input(5, 6, 1).input(6, 4), ErrorCode.INVALID_SHAPE, "must be 2-D");
        fails(NodeInference.of("Gemm").input(5, 6).input(6, 4).input(3), ErrorCode.INVALID_SHAPE, "cannot be broadcast");
        fails(NodeInference.of("Gemm").input(5, 6).input(6, 4).attr("transA", 2L), ErrorCode.INVALID_MODEL,
                "'transA' is 2");
    }

    @Test
    void softmaxAxisIsChecked() {
        assertEquals(Shape.of(N, L, Dim.of(8)), NodeInference.of("Softmax").input("N", "L", 8).infer());
        fails(NodeInference.of("Softmax").input(2, 3).attr("axis", 2L), ErrorCode.INVALID_SHAPE, "axis 2 is out of range");
        fails(NodeInference.of("LogSoftmax").typed(DataType.INT32, 2, 3), ErrorCode.TYPE_MISMATCH, "INT32");
    }

    @Test
    void layerNormalizationStatisticsShapes() {
        List<TensorType> out = NodeInference.of("LayerNormalization").input("N", "L", 8).input(8).input(8)
                .outputs("y", "mean", "inv").inferAll();
        assertEquals(Shape.of(N, L, Dim.of(8)), out.get(0).shape());
        assertEquals(Shape.of(N, L, Dim.of(1)), out.get(1).shape());
        assertEquals(Shape.of(N, Dim.of(1), Dim.of(1)), NodeInference.of("LayerNormalization").input("N", "L", 8)
                .input(8).attr("axis", 1L).outputs("y", "mean").inferAll().get(1).shape());
        fails(NodeInference.of("LayerNormalization").input(2, 5, 8).input(7), ErrorCode.INVALID_SHAPE, "Scale",
                "cannot be broadcast");
        fails(NodeInference.of("LayerNormalization").input(2, 5, 8).input(8).attr("axis", 3L), ErrorCode.INVALID_SHAPE,
                "axis 3 is out of range");
        fails(NodeInference.of("LayerNormalization").input(2, 5, 8).input(8).attr("stash_type", 0L),
                ErrorCode.UNSUPPORTED_OP, "stash_type 0");
    }

    @Test
    void comparisonsGiveBoolAndWhereBroadcastsThree() {
        TensorType t = NodeInference.of("Equal").typed(DataType.INT64, "N", 1).typed(DataType.INT64, 4).inferAll().get(0);
        assertEquals(DataType.BOOL, t.dataType());
        assertEquals(Shape.of(N, Dim.of(4)), t.shape());
        assertEquals(Shape.of(2, 3, 4), NodeInference.of("Where").typed(DataType.BOOL, 3, 1).input(2, 1, 4).input(4)
                .infer());
        fails(NodeInference.of("Less").input(2).typed(DataType.INT64, 2), ErrorCode.TYPE_MISMATCH, "must match");
        fails(NodeInference.of("And").input(2).input(2), ErrorCode.TYPE_MISMATCH, "FLOAT32");
        fails(NodeInference.of("Where").input(2).input(2).input(2), ErrorCode.TYPE_MISMATCH, "FLOAT32");
        fails(NodeInference.of("Where").typed(DataType.BOOL, 3).input(2).input(2), ErrorCode.INVALID_SHAPE,
                "do not broadcast");
    }

    @Test
    void modRequiresFmodForFloats() {
        fails(NodeInference.of("Mod").input(3).input(3), ErrorCode.INVALID_MODEL, "fmod", "1 for floating-point");
        fails(NodeInference.of("Mod").typed(DataType.INT64, 3).typed(DataType.INT64, 3).attr("fmod", 2L),
                ErrorCode.INVALID_MODEL, "'fmod' is 2");
    }

    @Test
    void rangeLengthIsKnownOnlyFromConstants() {
        assertEquals(Shape.of(3), NodeInference.of("Range").constant(Tensor.ofLongs(new long[] {1}))
                .constant(Tensor.ofLongs(new long[] {10})).constant(Tensor.ofLongs(new long[] {4})).infer());
        assertEquals(Shape.of(0), NodeInference.of("Range").constant(Tensor.scalar(5)).constant(Tensor.scalar(1))
                .constant(Tensor.scalar(1)).infer());
        assertTrue(!NodeInference.of("Range").typed(DataType.INT64).typed(DataType.INT64).typed(DataType.INT64)
                .infer().dim(0).isKnown());
        fails(NodeInference.of("Range").constant(Tensor.ofLongs(new long[] {1})).constant(Tensor.ofLongs(new long[] {5}))
                .constant(Tensor.ofLongs(new long[] {0})), ErrorCode.INVALID_SHAPE, "delta is 0");
        fails(NodeInference.of("Range").constant(Tensor.scalar(0)).constant(Tensor.scalar(1e30f))
                .constant(Tensor.scalar(1)), ErrorCode.INVALID_SHAPE, "more than srengine allows");
        fails(NodeInference.of("Range").typed(DataType.INT64, 2).typed(DataType.INT64).typed(DataType.INT64),
                ErrorCode.INVALID_SHAPE, "start", "must be a scalar");
    }

    @Test
    void scatterNdChecksUpdateShape() {
        assertEquals(Shape.of(4, 5, 6), NodeInference.of("ScatterND").input(4, 5, 6).typed(DataType.INT64, 3, 2)
                .input(3, 6).infer());
        fails(NodeInference.of("ScatterND").input(4, 5, 6).typed(DataType.INT64, 3, 2).input(3, 5),
                ErrorCode.INVALID_SHAPE, "do not match");
        fails(NodeInference.of("ScatterND").input(4, 5).typed(DataType.INT64, 3, 3).input(3),
                ErrorCode.INVALID_SHAPE, "address 3 axes of data of rank 2");
        fails(NodeInference.of("ScatterND").input(4, 5).typed(DataType.INT64, 1, 1).input(1, 5)
                .attr("reduction", "avg"), ErrorCode.INVALID_MODEL, "'reduction'");
    }

    @Test
    void reductionsFollowAxesAndKeepdims() {
        assertEquals(Shape.of(N, Dim.of(1)), NodeInference.of("ReduceL2").input("N", 8)
                .constant(Tensor.ofLongs(new long[] {-1}, 1)).infer());
        assertEquals(Shape.of(N), NodeInference.of("ReduceSum").input("N", 8)
                .constant(Tensor.ofLongs(new long[] {1}, 1)).attr("keepdims", 0L).infer());
        assertEquals(DataType.INT64, NodeInference.of("ReduceMax").typed(DataType.INT64, 3, 4).inferAll().get(0)
                .dataType());
        fails(NodeInference.of("ReduceL2").typed(DataType.INT64, 3, 4), ErrorCode.UNSUPPORTED_OP, "floating-point");
        fails(NodeInference.of("ReduceSum").input(3, 4).constant(Tensor.ofLongs(new long[] {2}, 1)),
                ErrorCode.INVALID_SHAPE, "out of range for rank 2");
    }

    @Test
    void einsumShapesAndErrors() {
        assertEquals(Shape.of(N, Dim.of(2), Dim.of(5), Dim.of(7)), NodeInference.of("Einsum").input("N", 2, 5, 3)
                .input("N", 2, 7, 3).attr("equation", "bhid,bhjd->bhij").infer());
        assertEquals(Shape.of(2, 4), NodeInference.of("Einsum").input(2, 3).input(3, 4).attr("equation", "ij,jk")
                .infer());
        assertEquals(Shape.of(6, 2), NodeInference.of("Einsum").input(6, 2, 2).attr("equation", "...ii->...i").infer());
        fails(NodeInference.of("Einsum").input(2, 3).input(4, 5).attr("equation", "ij,jk->ik"), ErrorCode.INVALID_SHAPE,
                "label 'j' has sizes 3 and 4");
        fails(NodeInference.of("Einsum").input(2, 3).attr("equation", "ijk->i"), ErrorCode.INVALID_SHAPE,
                "does not fit its term of 3 labels");
        fails(NodeInference.of("Einsum").input(2, 3).input(3, 4).attr("equation", "ij->i"), ErrorCode.INVALID_MODEL,
                "1 input terms for 2 inputs");
        fails(NodeInference.of("Einsum").input(2, 3).attr("equation", "ij->iz"), ErrorCode.INVALID_MODEL,
                "output label 'z'");
        fails(NodeInference.of("Einsum").input(2, 3).attr("equation", "i1->i"), ErrorCode.INVALID_MODEL, "not a letter");
        fails(NodeInference.of("Einsum").input(2, 3), ErrorCode.INVALID_MODEL, "'equation' is missing");
    }

    @Test
    void geluApproximateIsChecked() {
        assertEquals(Shape.of(N), NodeInference.of("Gelu").input("N").attr("approximate", "tanh").infer());
        fails(NodeInference.of("Gelu").input(3).attr("approximate", "sigmoid"), ErrorCode.INVALID_MODEL,
                "'approximate'");
    }
}
