package io.srengine.ops;

import static io.srengine.ops.SingleNodeGraph.fails;
import static io.srengine.ops.SingleNodeGraph.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;

/** Reshape, Squeeze, Unsqueeze, Flatten, Transpose, Concat, DepthToSpace and SpaceToDepth. */
class LayoutOpsTest {
    /** 0, 1, 2, ... in the given shape. */
    private static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.floats()[i] = i;
        }
        return t;
    }

    private static void assertShape(int[] expected, Tensor t) {
        assertArrayEquals(expected, t.shape());
    }

    private static void assertMessage(SrException e, ErrorCode code, String... parts) {
        assertEquals(code, e.code(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void reshapeCopiesZerosAndInfersMinusOne() {
        Tensor x = iota(2, 3, 4);
        Tensor y = op("Reshape").input(x).constant(0, -1).run();
        assertShape(new int[] {2, 12}, y);
        assertArrayEquals(x.floats(), y.floats());
        assertShape(new int[] {4, 3, 2}, op("Reshape").input(x).constant(4, 0, -1).run());
        assertShape(new int[] {24}, op("Reshape").input(x).constant(-1).run());
        assertShape(new int[] {0, 3, 4}, op("Reshape").attr("allowzero", 1L).input(Tensor.zeros(0, 3, 4)).constant(0, 3, 4).run());
        assertShape(new int[] {3, 4, 0}, op("Reshape").attr("allowzero", 1L).input(Tensor.zeros(0, 3, 4)).constant(3, 4, 0).run());
    }

    @Test
    void reshapeRejectsShapesThatDoNotCompute() {
        Tensor x = iota(2, 3, 4);
        assertMessage(fails(() -> op("Reshape").input(x).constant(5, -1).run()), ErrorCode.INVALID_SHAPE,
                "Reshape node 'n'", "24", "5");
        assertMessage(fails(() -> op("Reshape").input(x).constant(5, 5).run()), ErrorCode.INVALID_SHAPE, "[5, 5]", "24");
        assertMessage(fails(() -> op("Reshape").input(x).constant(-1, -1).run()), ErrorCode.INVALID_SHAPE, "more than one -1");
        assertMessage(fails(() -> op("Reshape").input(x).constant(2, -2, 12).run()), ErrorCode.INVALID_SHAPE, "-2");
        assertMessage(fails(() -> op("Reshape").input(x).constant(0, 0, 0, 0).run()), ErrorCode.INVALID_SHAPE, "index 3");
        assertMessage(fails(() -> op("Reshape").attr("allowzero", 1L).input(x).constant(0, -1).run()),
                ErrorCode.INVALID_SHAPE, "0 and -1");
        assertMessage(fails(() -> op("Reshape").input(Tensor.zeros(0, 3)).constant(0, -1).run()),
                ErrorCode.INVALID_SHAPE, "multiply to 0");
        assertMessage(fails(() -> op("Reshape").attr("allowzero", 2L).input(x).constant(24).run()),
                ErrorCode.INVALID_MODEL, "allowzero");
    }

    @Test
    void squeezeAndUnsqueezeTakeNegativeAxes() {
        Tensor x = iota(1, 3, 1, 2);
        assertShape(new int[] {3, 2}, op("Squeeze").input(x).constant(0, -2).run());
        assertShape(new int[] {3, 2}, op("Squeeze").input(x).run());
        assertShape(new int[] {1, 3, 2}, op("Squeeze").input(x).constant(2).run());
        assertShape(new int[] {1, 1, 3, 1, 2, 1}, op("Unsqueeze").input(x).constant(-1, 1).run());
        assertShape(new int[] {1, 3, 4, 1}, op("Unsqueeze").input(iota(3, 4)).constant(3, 0).run());
        assertShape(new int[] {1}, op("Unsqueeze").input(Tensor.scalar(5)).constant(0).run());
        assertMessage(fails(() -> op("Squeeze").input(x).constant(1).run()), ErrorCode.INVALID_SHAPE, "axis 1", "3");
        assertMessage(fails(() -> op("Squeeze").input(x).constant(4).run()), ErrorCode.INVALID_SHAPE, "out of range");
        assertMessage(fails(() -> op("Unsqueeze").input(x).constant(1, -5).run()), ErrorCode.INVALID_SHAPE, "twice");
        assertMessage(fails(() -> op("Unsqueeze").input(x).constant(6).run()), ErrorCode.INVALID_SHAPE, "6", "rank 5");
    }

    @Test
    void flattenSplitsAtTheAxis() {
        Tensor x = iota(2, 3, 4);
        assertShape(new int[] {1, 24}, op("Flatten").attr("axis", 0L).input(x).run());
        assertShape(new int[] {2, 12}, op("Flatten").input(x).run());
        assertShape(new int[] {6, 4}, op("Flatten").attr("axis", -1L).input(x).run());
        assertShape(new int[] {24, 1}, op("Flatten").attr("axis", 3L).input(x).run());
        assertMessage(fails(() -> op("Flatten").attr("axis", 4L).input(x).run()), ErrorCode.INVALID_SHAPE, "axis 4");
    }

    @Test
    void transposePermutesAxes() {
        Tensor x = iota(2, 3);
        Tensor y = op("Transpose").input(x).run();
        assertShape(new int[] {3, 2}, y);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, y.floats());
        Tensor z = op("Transpose").attr("perm", new long[] {1, 2, 0}).input(iota(2, 1, 3)).run();
        assertShape(new int[] {1, 3, 2}, z);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, z.floats());
        assertMessage(fails(() -> op("Transpose").attr("perm", new long[] {0, 0}).input(x).run()),
                ErrorCode.INVALID_SHAPE, "[0, 0]", "permutation");
        assertMessage(fails(() -> op("Transpose").attr("perm", new long[] {0, 1, 2}).input(x).run()),
                ErrorCode.INVALID_SHAPE, "[0, 1, 2]");
        assertMessage(fails(() -> op("Transpose").attr("perm", new long[] {-1, 0}).input(x).run()),
                ErrorCode.INVALID_SHAPE, "[-1, 0]");
    }

    @Test
    void concatJoinsAlongAnyAxis() {
        Tensor a = iota(2, 2);
        Tensor b = Tensor.of(new float[] {10, 11}, 2, 1);
        Tensor y = op("Concat").attr("axis", -1L).input(a).input(b).run();
        assertShape(new int[] {2, 3}, y);
        assertArrayEquals(new float[] {0, 1, 10, 2, 3, 11}, y.floats());
        Tensor z = op("Concat").attr("axis", 0L).input(a).input(Tensor.zeros(0, 2)).input(Tensor.of(new float[] {7, 8}, 1, 2)).run();
        assertArrayEquals(new float[] {0, 1, 2, 3, 7, 8}, z.floats());
        Tensor ints = op("Concat").attr("axis", 0L).constant(1, 2).constant(3).run();
        assertArrayEquals(new long[] {1, 2, 3}, ints.longs());
        assertMessage(fails(() -> op("Concat").attr("axis", 0L).input(a).input(b).run()), ErrorCode.INVALID_SHAPE,
                "axis 1", "[2, 1]");
        assertMessage(fails(() -> op("Concat").attr("axis", 2L).input(a).input(a).run()), ErrorCode.INVALID_SHAPE, "axis 2");
        assertMessage(fails(() -> op("Concat").input(a).run()), ErrorCode.INVALID_MODEL, "axis");
        assertMessage(fails(() -> op("Concat").attr("axis", 0L).input(a).input(iota(4)).run()), ErrorCode.INVALID_SHAPE, "rank");
    }

    @Test
    void depthToSpaceModesOrderChannelsDifferently() {
        Tensor x = iota(1, 8, 1, 1);
        Tensor dcr = op("DepthToSpace").attr("blocksize", 2L).input(x).run();
        assertShape(new int[] {1, 2, 2, 2}, dcr);
        assertArrayEquals(new float[] {0, 2, 4, 6, 1, 3, 5, 7}, dcr.floats());
        Tensor crd = op("DepthToSpace").attr("blocksize", 2L).attr("mode", "CRD").input(x).run();
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, crd.floats());
        Tensor wide = op("DepthToSpace").attr("blocksize", 2L).input(iota(1, 4, 1, 2)).run();
        assertArrayEquals(new float[] {0, 2, 1, 3, 4, 6, 5, 7}, wide.floats());
    }

    @Test
    void spaceToDepthInvertsDepthToSpaceDcr() {
        Tensor x = SymbolicShapeTest.random(new int[] {2, 3, 4, 6}, 3);
        Tensor deep = op("SpaceToDepth").attr("blocksize", 2L).input(x).run();
        assertShape(new int[] {2, 12, 2, 3}, deep);
        Tensor back = op("DepthToSpace").attr("blocksize", 2L).attr("mode", "DCR").input(deep).run();
        TensorAssert.assertTensorEquals(x, back);
    }

    @Test
    void blockOpsRejectIndivisibleShapes() {
        assertMessage(fails(() -> op("DepthToSpace").attr("blocksize", 2L).input(iota(1, 6, 2, 2)).run()),
                ErrorCode.INVALID_SHAPE, "DepthToSpace node 'n'", "6", "4");
        assertMessage(fails(() -> op("SpaceToDepth").attr("blocksize", 2L).input(iota(1, 1, 3, 4)).run()),
                ErrorCode.INVALID_SHAPE, "height 3");
        assertMessage(fails(() -> op("DepthToSpace").attr("blocksize", 2L).input(iota(4, 2, 2)).run()),
                ErrorCode.INVALID_SHAPE, "4-D");
        assertMessage(fails(() -> op("DepthToSpace").attr("blocksize", 0L).input(iota(1, 4, 2, 2)).run()),
                ErrorCode.INVALID_MODEL, "blocksize");
        assertMessage(fails(() -> op("DepthToSpace").attr("blocksize", 2L).attr("mode", "XYZ").input(iota(1, 4, 2, 2)).run()),
                ErrorCode.UNSUPPORTED_OP, "XYZ");
    }
}
