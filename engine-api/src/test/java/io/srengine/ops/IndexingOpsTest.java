package io.srengine.ops;

import static io.srengine.ops.SingleNodeGraph.fails;
import static io.srengine.ops.SingleNodeGraph.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;

/** Pad, Slice, Gather, Shape, ConstantOfShape, Expand and Tile. */
class IndexingOpsTest {
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, 4}, 4);

    private static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.floats()[i] = i;
        }
        return t;
    }

    private static float[] pad(String mode, long... pads) {
        return op("Pad").attr("mode", mode).input(X).constant(pads).run().floats();
    }

    private static void assertMessage(SrException e, ErrorCode code, String... parts) {
        assertEquals(code, e.code(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void padModes() {
        assertArrayEquals(new float[] {9, 9, 1, 2, 3, 4, 9},
                op("Pad").input(X).constant(2, 1).constant(Tensor.scalar(9)).run().floats());
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 0}, pad("constant", 2, 1));
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 4, 3}, pad("reflect", 2, 1));
        assertArrayEquals(new float[] {4, 3, 2, 1, 2, 3, 4}, pad("reflect", 3, 0));
        assertArrayEquals(new float[] {1, 1, 1, 2, 3, 4, 4}, pad("edge", 2, 1));
        assertArrayEquals(new float[] {3, 4, 1, 2, 3, 4, 1}, pad("wrap", 2, 1));
        assertArrayEquals(new float[] {4, 1, 2, 3, 4, 1, 2, 3, 4}, pad("wrap", 5, 0));
    }

    @Test
    void negativePadsCropBeforePadding() {
        assertArrayEquals(new float[] {2, 3, 4, 0, 0}, pad("constant", -1, 2));
        assertArrayEquals(new float[] {2, 3, 4, 3, 2}, pad("reflect", -1, 2));
        assertArrayEquals(new float[] {1, 1, 2}, pad("edge", 1, -2));
        assertArrayEquals(new float[] {2, 3, 4, 2}, pad("wrap", -1, 1));
        assertArrayEquals(new float[] {0}, pad("constant", -5, 2), "a crop past the end leaves only the constant");
    }

    @Test
    void padAlongChosenAxes() {
        Tensor y = op("Pad").input(iota(2, 3)).constant(1, 1).constant(Tensor.scalar(-1)).constant(-1).run();
        assertArrayEquals(new int[] {2, 5}, y.shape());
        assertArrayEquals(new float[] {-1, 0, 1, 2, -1, -1, 3, 4, 5, -1}, y.floats());
        Tensor z = op("Pad").input(iota(2, 3)).constant(1, 0, 0, 0).run();
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4, 5}, z.floats());
    }

    @Test
    void padRejectsAmountsThatDoNotCompute() {
        assertMessage(fails(() -> pad("reflect", 4, 0)), ErrorCode.INVALID_SHAPE, "Pad node 'n'", "reflect");
        assertMessage(fails(() -> pad("constant", -3, -2)), ErrorCode.INVALID_SHAPE, "size -1");
        assertMessage(fails(() -> pad("edge", -5, 2)), ErrorCode.INVALID_SHAPE, "crop");
        assertMessage(fails(() -> pad("edge", -4, 1)), ErrorCode.INVALID_SHAPE, "empty axis");
        assertMessage(fails(() -> pad("constant", 1, 1, 1)), ErrorCode.INVALID_SHAPE, "3 values", "2");
        assertMessage(fails(() -> pad("bogus", 1, 1)), ErrorCode.UNSUPPORTED_OP, "bogus");
        assertMessage(fails(() -> op("Pad").input(X).constant(1, 1).constant(Tensor.ofLongs(new long[] {0})).run()),
                ErrorCode.TYPE_MISMATCH);
        assertMessage(fails(() -> op("Pad").input(X).constant(1, 1).absent().input(Tensor.ofLongs(new long[] {0}, 1)).run()),
                ErrorCode.UNSUPPORTED_OP, "axes", "must be a constant");
    }

    @Test
    void padAmountsThatAreNotConstantLeaveTheAxisUnknown() {
        Tensor pads = Tensor.ofLongs(new long[] {1, 1}, 2);
        assertFalse(op("Pad").input(X).input(pads).infer().shape().dim(0).isKnown());
        // Pads fed as a graph input are bound when the graph is specialised to a run.
        assertArrayEquals(new int[] {X.dim(0) + 2}, op("Pad").input(X).input(pads).run().shape());
    }

    private static float[] slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        SingleNodeGraph g = op("Slice").input(x).constant(starts).constant(ends);
        if (axes != null) {
            g.constant(axes);
        } else if (steps != null) {
            g.absent();
        }
        if (steps != null) {
            g.constant(steps);
        }
        return g.run().floats();
    }

    @Test
    void sliceClampsAndSteps() {
        Tensor x = iota(10);
        long big = Long.MAX_VALUE;
        assertArrayEquals(new float[] {7, 8, 9}, slice(x, new long[] {-3}, new long[] {big}, null, null));
        assertArrayEquals(new float[] {8, 6, 4}, slice(x, new long[] {8}, new long[] {2}, null, new long[] {-2}));
        assertArrayEquals(new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
                slice(x, new long[] {-1}, new long[] {Long.MIN_VALUE}, null, new long[] {-1}));
        assertArrayEquals(new float[] {0, 3, 6, 9}, slice(x, new long[] {0}, new long[] {10}, new long[] {0}, new long[] {3}));
        assertArrayEquals(new float[] {}, slice(x, new long[] {20}, new long[] {30}, null, null));
        assertArrayEquals(new float[] {9}, slice(x, new long[] {20}, new long[] {0}, null, new long[] {-20}));
        assertArrayEquals(new float[] {0}, slice(x, new long[] {0}, new long[] {big}, null, new long[] {big}));
        Tensor m = iota(3, 4);
        assertArrayEquals(new float[] {3, 1, 7, 5, 11, 9}, slice(m, new long[] {3}, new long[] {0}, new long[] {-1}, new long[] {-2}));
        assertArrayEquals(new float[] {5, 6}, slice(m, new long[] {1, 1}, new long[] {2, 3}, new long[] {0, 1}, null));
    }

    @Test
    void sliceRejectsBadParameters() {
        Tensor x = iota(3, 4);
        assertMessage(fails(() -> slice(x, new long[] {0}, new long[] {1}, null, new long[] {0})), ErrorCode.INVALID_SHAPE,
                "Slice node 'n'", "steps");
        assertMessage(fails(() -> slice(x, new long[] {0, 0}, new long[] {1}, null, null)), ErrorCode.INVALID_SHAPE, "same length");
        assertMessage(fails(() -> slice(x, new long[] {0, 0}, new long[] {1, 1}, new long[] {1, -1}, null)),
                ErrorCode.INVALID_SHAPE, "repeated");
        assertMessage(fails(() -> slice(x, new long[] {0}, new long[] {1}, new long[] {2}, null)), ErrorCode.INVALID_SHAPE,
                "out of range");
    }

    @Test
    void gatherTakesNegativeIndicesOnAnyAxis() {
        Tensor data = iota(3, 2);
        Tensor y = op("Gather").input(data).constant(Tensor.ofLongs(new long[] {-1, 0}, 1, 2)).run();
        assertArrayEquals(new int[] {1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {4, 5, 0, 1}, y.floats());
        Tensor col = op("Gather").attr("axis", -1L).input(data).constant(Tensor.ofLongs(new long[] {1})).run();
        assertArrayEquals(new int[] {3}, col.shape());
        assertArrayEquals(new float[] {1, 3, 5}, col.floats());
        Tensor fromInts = op("Gather").input(Tensor.ofLongs(new long[] {7, 8, 9}, 3)).input(Tensor.ofInts(new int[] {2, -3}, 2)).run();
        assertArrayEquals(new long[] {9, 7}, fromInts.longs());
        assertMessage(fails(() -> op("Gather").input(data).constant(Tensor.ofLongs(new long[] {3}, 1)).run()),
                ErrorCode.INVALID_SHAPE, "Gather node 'n'", "index 3", "size 3");
        assertMessage(fails(() -> op("Gather").input(data).input(Tensor.ofInts(new int[] {-4}, 1)).run()),
                ErrorCode.INVALID_INPUT, "index -4");
        assertMessage(fails(() -> op("Gather").attr("axis", 2L).input(data).constant(0).run()), ErrorCode.INVALID_SHAPE, "axis 2");
        assertMessage(fails(() -> op("Gather").input(data).input(Tensor.zeros(1)).run()), ErrorCode.TYPE_MISMATCH);
    }

    @Test
    void shapeReportsARangeOfAxes() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new long[] {2, 3, 4}, op("Shape").input(x).run().longs());
        assertArrayEquals(new long[] {3, 4}, op("Shape").attr("start", -2L).input(x).run().longs());
        assertArrayEquals(new long[] {2, 3}, op("Shape").attr("end", -1L).input(x).run().longs());
        assertArrayEquals(new long[] {}, op("Shape").attr("start", 2L).attr("end", 1L).input(x).run().longs());
        assertArrayEquals(new long[] {}, op("Shape").input(Tensor.scalar(1)).run().longs());
    }

    @Test
    void constantOfShape() {
        Tensor sevens = op("ConstantOfShape").attr("value", Tensor.ofLongs(new long[] {7}, 1)).constant(2, 3).run();
        assertArrayEquals(new int[] {2, 3}, sevens.shape());
        assertArrayEquals(new long[] {7, 7, 7, 7, 7, 7}, sevens.longs());
        Tensor zeros = op("ConstantOfShape").constant(2).run();
        assertEquals(DataType.FLOAT32, zeros.dataType());
        assertArrayEquals(new float[] {0, 0}, zeros.floats());
        assertArrayEquals(new int[] {}, op("ConstantOfShape").constant(new long[0]).run().shape());
        assertMessage(fails(() -> op("ConstantOfShape").constant(2, -1).run()), ErrorCode.INVALID_SHAPE, "negative");
        assertMessage(fails(() -> op("ConstantOfShape").attr("value", Tensor.zeros(2)).constant(2).run()),
                ErrorCode.INVALID_MODEL, "value");
    }

    @Test
    void expandBroadcastsBothWays() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor y = op("Expand").input(col).constant(2, 1, 4).run();
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, y.floats());
        assertArrayEquals(new int[] {3, 1}, op("Expand").input(col).constant(1, 1).run().shape());
        assertMessage(fails(() -> op("Expand").input(col).constant(2, 2).run()), ErrorCode.INVALID_SHAPE, "Expand node 'n'", "[2, 2]");
    }

    @Test
    void tileRepeatsEachAxis() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = op("Tile").input(x).constant(1, 2).run();
        assertArrayEquals(new int[] {2, 4}, y.shape());
        assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4}, y.floats());
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, op("Tile").input(x).constant(2, 1).run().floats());
        assertArrayEquals(new int[] {0, 2}, op("Tile").input(x).constant(0, 1).run().shape());
        assertMessage(fails(() -> op("Tile").input(x).constant(2).run()), ErrorCode.INVALID_SHAPE, "rank 2");
        assertMessage(fails(() -> op("Tile").input(x).constant(1, -1).run()), ErrorCode.INVALID_SHAPE, "negative");
    }
}
