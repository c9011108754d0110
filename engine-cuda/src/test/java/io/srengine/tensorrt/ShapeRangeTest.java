package io.srengine.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shape-range parsing, tile-size choice and fitting inputs into a range: the parts of the TensorRT path that need no GPU. */
class ShapeRangeTest {
    @Test
    void parsesCommasAndTimes() {
        assertArrayEquals(new int[] {1, 3, 64, 48}, ShapeRange.parse("1,3,64,48", "--min-shape"));
        assertArrayEquals(new int[] {2, 3, 64, 48}, ShapeRange.parse(" 2x3x64x48 ", "--min-shape"));
        assertArrayEquals(new int[] {1, 3, 8, 8}, ShapeRange.parse("1, 3, 8, 8", "--min-shape"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1,3,64", "1,3,64,64,1", "1,3,a,64", "1,3,0,64", "1,3,-4,64", "1;3;4;4"})
    void rejectsMalformedShapesNamingTheOption(String text) {
        SrException e = assertThrows(SrException.class, () -> ShapeRange.parse(text, "--opt-shape"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("--opt-shape"), e.getMessage());
    }

    @Test
    void orderAndChannelsAreChecked() {
        SrException e = assertThrows(SrException.class, () -> new ShapeRange(new int[] {1, 3, 64, 64},
                new int[] {1, 3, 32, 64}, new int[] {1, 3, 128, 128}));
        assertTrue(e.getMessage().contains("on axis H (64, 32, 128)"), e.getMessage());
        e = assertThrows(SrException.class, () -> new ShapeRange(new int[] {1, 1, 8, 8}, new int[] {1, 3, 8, 8},
                new int[] {1, 3, 8, 8}));
        assertTrue(e.getMessage().contains("on axis C") || e.getMessage().contains("channel count"), e.getMessage());
    }

    @Test
    void containsIsInclusive() {
        ShapeRange r = ShapeRange.defaults(3);
        assertTrue(r.contains(new int[] {1, 3, 16, 544}));
        assertFalse(r.contains(new int[] {1, 3, 15, 100}));
        assertFalse(r.contains(new int[] {2, 3, 100, 100}));
        assertFalse(r.contains(new int[] {1, 3, 100}));
        assertEquals("min 1,3,16,16, opt 1,3,288,288, max 1,3,544,544", r.toString());
    }

    @Test
    void tileFitsThePlansLargestInput() {
        ShapeRange r = new ShapeRange(new int[] {1, 3, 16, 16}, new int[] {1, 3, 256, 256}, new int[] {1, 3, 544, 400});
        assertEquals(368, TileSizes.tileFor(r, 0, 16, false), "whole image asked: the largest tile that fits");
        assertEquals(256, TileSizes.tileFor(r, 256, 16, false), "a tile that fits is kept");
        assertEquals(368, TileSizes.tileFor(r, 512, 16, false), "a tile too large is cut to 400 - 2 * 16");
        assertEquals(352, TileSizes.tileFor(r, 512, 16, true), "resampling reserves 8 more pixels a side");
        SrException e = assertThrows(SrException.class, () -> TileSizes.tileFor(r, 64, 200, false));
        assertTrue(e.getMessage().contains("400") && e.getMessage().contains("--tile-pad"), e.getMessage());
    }

    @Test
    void inputsBelowTheMinimumArePaddedAndAboveTheMaximumRefused() {
        ShapeRange r = new ShapeRange(new int[] {1, 3, 16, 16}, new int[] {1, 3, 64, 64}, new int[] {1, 3, 128, 128});
        assertArrayEquals(new int[] {1, 3, 16, 40}, InputFit.target(new int[] {1, 3, 5, 40}, r, "p"));
        assertArrayEquals(new int[] {1, 3, 128, 16}, InputFit.target(new int[] {1, 3, 128, 16}, r, "p"));
        for (int[] bad : new int[][] {{1, 3, 129, 16}, {2, 3, 16, 16}, {1, 1, 16, 16}, {1, 3, 16}}) {
            SrException e = assertThrows(SrException.class, () -> InputFit.target(bad, r, "m.plan"));
            assertEquals(ErrorCode.INVALID_INPUT, e.code());
        }
        assertTrue(assertThrows(SrException.class, () -> InputFit.target(new int[] {1, 3, 16, 200}, r, "m.plan"))
                .getMessage().contains("on axis W"));
    }

    @Test
    void edgePaddingRepeatsTheLastRowAndColumnAndCropUndoesIt() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}, 1, 2, 2, 3);
        Tensor p = InputFit.padEdge(x, 3, 4);
        assertArrayEquals(new float[] {1, 2, 3, 3, 4, 5, 6, 6, 4, 5, 6, 6, 10, 20, 30, 30, 40, 50, 60, 60, 40, 50, 60, 60},
                p.floats());
        assertArrayEquals(x.floats(), InputFit.crop(p, 2, 3).floats());
        assertEquals(8, InputFit.croppedLength(2, 4, 16), "x4 output of a padded 4-pixel input keeps 2 * 4");
        assertThrows(SrException.class, () -> InputFit.croppedLength(2, 4, 10));
    }
}
