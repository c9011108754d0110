package io.srengine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimTest {
    private static final Dim H = Dim.symbol("H");
    private static final Dim W = Dim.symbol("W");

    @Test
    void knownArithmetic() {
        assertEquals(Dim.of(7), Dim.of(3).plus(Dim.of(4)));
        assertEquals(12, Dim.of(3).times(4).value());
        assertEquals(-2, Dim.of(-7).floorDiv(4).value());
        assertEquals(-1, Dim.of(-7).ceilDiv(4).value());
        assertEquals(3, Dim.of(7).floorDiv(2).value());
        assertEquals(4, Dim.of(7).ceilDiv(2).value());
    }

    @Test
    void samePaddingConvKeepsSymbol() {
        // floor((H + 1 + 1 - 1*(3-1) - 1) / 1) + 1 = H
        Dim out = H.plus(2).minus(2).minus(1).floorDiv(1).plus(1);
        assertEquals(H, out);
        assertEquals("H", out.toString());
    }

    @Test
    void exactDivisionSimplifies() {
        assertEquals(H, H.times(2).floorDiv(2));
        assertEquals(H.times(3).plus(1), H.times(6).plus(2).floorDiv(2));
        // (N*C*H*W) / (C*H) = N*W
        Dim n = Dim.symbol("N");
        Dim c = Dim.symbol("C");
        assertEquals(n.times(W), n.times(c).times(H).times(W).floorDiv(c.times(H)));
        assertEquals(Dim.of(12), Dim.of(48).times(H).floorDiv(H.times(4)));
    }

    @Test
    void strideTwoBecomesAtomThatEvaluates() {
        // floor((H + 2 - 3) / 2) + 1
        Dim out = H.plus(2).minus(3).floorDiv(2).plus(1);
        assertFalse(out.isKnown());
        assertEquals(4, out.eval(Map.of("H", 7L)));
        assertEquals(4, out.eval(Map.of("H", 8L)));
        assertEquals(Dim.of(5), out.bind(Map.of("H", 9L)));
        assertEquals(out, H.plus(-1).floorDiv(2).plus(1), "structural equality of the simplified form");
    }

    @Test
    void scaleFloor() {
        assertEquals(H.times(2), H.scaleFloor(2.0));
        Dim d = H.scaleFloor(1.5);
        assertEquals(10, d.eval(Map.of("H", 7L)));
        assertEquals(Dim.of(3), Dim.of(7).scaleFloor(0.5));
    }

    @Test
    void polynomialsCancel() {
        assertEquals(Dim.of(0), H.times(W).minus(W.times(H)));
        assertEquals(Dim.of(5), H.plus(5).minus(H));
        assertTrue(H.minus(H).isKnown());
    }

    @Test
    void unboundSymbolNamesItself() {
        SrException e = assertThrows(SrException.class, () -> H.plus(W).eval(Map.of("H", 1L)));
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
        assertTrue(e.getMessage().contains("'W'"), e.getMessage());
    }

    @Test
    void unknownDimsAreDistinct() {
        assertFalse(Dim.unknown().equals(Dim.unknown()));
        assertThrows(SrException.class, () -> Dim.unknown().eval(Map.of()));
    }

    @Test
    void divisionByNonPositiveIsRejected() {
        assertThrows(SrException.class, () -> H.floorDiv(0));
        assertThrows(SrException.class, () -> Dim.of(4).floorDiv(-2));
    }
}
