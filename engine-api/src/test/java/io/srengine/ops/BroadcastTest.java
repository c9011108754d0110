package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    private static final Dim N = Dim.symbol("N");
    private static final Dim H = Dim.symbol("H");
    private static final Dim W = Dim.symbol("W");

    @Test
    void concreteShapesAlignAtTheLastAxis() {
        assertArrayEquals(new int[] {2, 3, 4, 5}, Broadcast.shape("t", new int[] {2, 3, 4, 5}, new int[] {5}));
        assertArrayEquals(new int[] {2, 3, 4, 5}, Broadcast.shape("t", new int[] {2, 1, 4, 1}, new int[] {3, 1, 5}));
        assertArrayEquals(new int[] {0, 3}, Broadcast.shape("t", new int[] {0, 1}, new int[] {1, 3}));
        assertArrayEquals(new int[] {}, Broadcast.shape("t", new int[] {}, new int[] {}));
        assertArrayEquals(new int[] {4, 3}, Broadcast.shape("t", new int[] {3}, new int[] {4, 1}, new int[] {1}));
    }

    @Test
    void concreteMismatchNamesBothShapes() {
        SrException e = assertThrows(SrException.class, () -> Broadcast.shape("Add node 'a'", new int[] {3, 4}, new int[] {5}));
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
        assertTrue(e.getMessage().contains("Add node 'a'") && e.getMessage().contains("[3, 4]")
                && e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void symbolicDimensionsBroadcast() {
        Shape nchw = Shape.of(N, Dim.of(3), H, W);
        assertEquals(nchw, Broadcast.shape("t", nchw, Shape.of(3, 1, 1)));
        assertEquals(nchw, Broadcast.shape("t", nchw, nchw));
        // A known size other than 1 decides the dimension; the symbol must be 1 or equal to it.
        assertEquals(Shape.of(N, Dim.of(3), H, Dim.of(8)), Broadcast.shape("t", nchw, Shape.of(8)));
        Shape mixed = Broadcast.shape("t", Shape.of(H), Shape.of(W));
        assertFalse(mixed.dim(0).isKnown());
        assertFalse(mixed.dim(0).equals(H) || mixed.dim(0).equals(W));
    }

    @Test
    void symbolicMismatchOfKnownSizesFails() {
        SrException e = assertThrows(SrException.class,
                () -> Broadcast.shape("t", Shape.of(N, Dim.of(3), H, W), Shape.of(Dim.of(4), Dim.of(1), Dim.of(1))));
        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
    }

    @Test
    void unidirectionalOnlyStretchesTheSecondShape() {
        Broadcast.checkUnidirectional("t", Shape.of(3, 1, 1), Shape.of(N, Dim.of(3), H, W));
        Broadcast.checkUnidirectional("t", Shape.of(1), Shape.of(2, 3));
        Broadcast.checkUnidirectional("t", Shape.scalar(), Shape.of(2, 3));
        assertThrows(SrException.class, () -> Broadcast.checkUnidirectional("t", Shape.of(3), Shape.of(2, 3, 4, 5)));
        assertThrows(SrException.class, () -> Broadcast.checkUnidirectional("t", Shape.of(1, 2, 3), Shape.of(2, 3)));
        assertThrows(SrException.class, () -> Broadcast.checkUnidirectional("t", Shape.of(2, 3), Shape.of(1, 3)));
    }

    @Test
    void stridesAreZeroOnBroadcastAxes() {
        assertArrayEquals(new int[] {0, 1, 0, 0}, Broadcast.strides(new int[] {3, 1, 1}, new int[] {2, 3, 4, 5}));
        assertArrayEquals(new int[] {20, 5, 1}, Broadcast.strides(new int[] {2, 4, 5}, new int[] {2, 4, 5}));
        assertArrayEquals(new int[] {0, 0}, Broadcast.strides(new int[] {}, new int[] {2, 2}));
        assertThrows(SrException.class, () -> Broadcast.strides(new int[] {3}, new int[] {2, 4}));
    }
}
