package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output shapes of the spatial ops on symbolic input dims, as a dynamic-axes export has them. */
class SpatialShapeInferenceTest {
    private static final Dim N = Dim.symbol("N");
    private static final Dim H = Dim.symbol("H");
    private static final Dim W = Dim.symbol("W");

    private static long at(Dim d, long h) {
        return d.eval(Map.of("N", 1L, "H", h, "W", h));
    }

    @Test
    void sameSizeConvKeepsSymbolicHeightAndWidth() {
        Shape s = NodeInference.of("Conv").input("N", 3, "H", "W").input(16, 3, 3, 3)
                .attr("pads", new long[] {1, 1, 1, 1}).infer();
        assertEquals(Shape.of(N, Dim.of(16), H, W), s);
    }

    @Test
    void convWithoutKernelShapeTakesItFromTheWeight() {
        Shape s = NodeInference.of("Conv").input("N", 3, "H", "W").input(8, 3, 5, 1).infer();
        assertEquals(Shape.of(N, Dim.of(8), H.minus(4), W), s);
    }

    @Test
    void stridedConvFloorsSymbolically() {
        Shape s = NodeInference.of("Conv").input("N", 3, "H", "W").input(4, 3, 3, 3)
                .attr("pads", new long[] {1, 1, 1, 1}).attr("strides", new long[] {2, 2}).infer();
        for (long h : new long[] {5, 6, 7, 8, 64}) {
            assertEquals((h + 2 - 3) / 2 + 1, at(s.dim(2), h), "H=" + h);
        }
    }

    @Test
    void sameUpperConvIsCeilOfInputOverStride() {
        Shape s = NodeInference.of("Conv").input("N", 3, "H", "W").input(4, 3, 3, 3)
                .attr("auto_pad", "SAME_UPPER").attr("strides", new long[] {2, 2}).infer();
        assertEquals(4, at(s.dim(2), 7));
        assertEquals(4, at(s.dim(2), 8));
        assertEquals(5, at(s.dim(3), 9));
    }

    @Test
    void depthwiseConvWithMultiplier() {
        Shape s = NodeInference.of("Conv").input("N", 3, "H", "W").input(6, 1, 3, 3).attr("group", 3L).infer();
        assertEquals(Shape.of(N, Dim.of(6), H.minus(2), W.minus(2)), s);
    }

    @Test
    void conv1dAnd3d() {
        assertEquals(Shape.of(N, Dim.of(2), H.minus(1)),
                NodeInference.of("Conv").input("N", 3, "H").input(2, 3, 3).attr("dilations", new long[] {1})
                        .attr("pads", new long[] {0, 1}).infer());
        assertEquals(Shape.of(N, Dim.of(2), Dim.of(4), H, W),
                NodeInference.of("Conv").input("N", 3, 4, "H", "W").input(2, 3, 3, 3, 3)
                        .attr("pads", new long[] {1, 1, 1, 1, 1, 1}).infer());
    }

    @Test
    void convTransposeDoublesSymbolically() {
        Shape s = NodeInference.of("ConvTranspose").input("N", 3, "H", "W").input(3, 5, 4, 4)
                .attr("strides", new long[] {2, 2}).attr("pads", new long[] {1, 1, 1, 1}).infer();
        assertEquals(Shape.of(N, Dim.of(5), H.times(2), W.times(2)), s);
    }

    @Test
    void convTransposeSameAndOutputShape() {
        Shape same = NodeInference.of("ConvTranspose").input("N", 4, "H", "W").input(4, 2, 3, 3)
                .attr("group", 2L).attr("strides", new long[] {3, 3}).attr("auto_pad", "SAME_LOWER").infer();
        assertEquals(Shape.of(N, Dim.of(4), H.times(3), W.times(3)), same);
        Shape fixed = NodeInference.of("ConvTranspose").input("N", 3, "H", "W").input(3, 2, 3, 3)
                .attr("strides", new long[] {3, 2}).attr("output_shape", new long[] {10, 8}).infer();
        assertEquals(Shape.of(N, Dim.of(2), Dim.of(10), Dim.of(8)), fixed);
        Shape withPadding = NodeInference.of("ConvTranspose").input("N", 3, "H", "W").input(3, 2, 3, 3)
                .attr("strides", new long[] {2, 2}).attr("pads", new long[] {1, 1, 1, 1})
                .attr("output_padding", new long[] {1, 0}).infer();
        assertEquals(Shape.of(N, Dim.of(2), H.times(2), W.times(2).minus(1)), withPadding);
    }

    @Test
    void resizeByScalesScalesSymbolicDims() {
        Shape s = NodeInference.of("Resize").input("N", 3, "H", "W").absent()
                .constant(Tensor.of(new float[] {1, 1, 2, 1.5f}, 4)).infer();
        assertEquals(N, s.dim(0));
        assertEquals(H.times(2), s.dim(2));
        assertEquals(7, at(s.dim(3), 5));
        assertEquals(15, at(s.dim(3), 10));
    }

    @Test
    void resizeBySizesAndAxes() {
        Shape s = NodeInference.of("Resize").input("N", 3, "H", "W").absent().absent()
                .constant(Tensor.ofLongs(new long[] {40, 30}, 2)).attr("axes", new long[] {3, 2}).infer();
        assertEquals(Shape.of(N, Dim.of(3), Dim.of(30), Dim.of(40)), s);
    }

    @Test
    void keepAspectRatioNeedsKnownInputDims() {
        Shape symbolic = NodeInference.of("Resize").input("N", 3, "H", "W").absent().absent()
                .constant(Tensor.ofLongs(new long[] {7, 8}, 2)).attr("axes", new long[] {2, 3})
                .attr("keep_aspect_ratio_policy", "not_larger").infer();
        assertFalse(symbolic.dim(2).isKnown());
        Shape known = NodeInference.of("Resize").input("N", 3, 4, 4).absent().absent()
                .constant(Tensor.ofLongs(new long[] {7, 8}, 2)).attr("axes", new long[] {2, 3})
                .attr("keep_aspect_ratio_policy", "not_larger").infer();
        assertEquals(Shape.of(N, Dim.of(3), Dim.of(7), Dim.of(7)), known);
    }

    @Test
    void poolsOnSymbolicDims() {
        Shape max = NodeInference.of("MaxPool").input("N", 3, "H", "W").attr("kernel_shape", new long[] {2, 2})
                .attr("strides", new long[] {2, 2}).infer();
        assertEquals(Shape.of(N, Dim.of(3), H.floorDiv(2), W.floorDiv(2)), max);
        // A ceil_mode window can start in the end padding only if the kernel does not reach past it.
        Shape ceil = NodeInference.of("AveragePool").input("N", 3, "H", "W").attr("kernel_shape", new long[] {3, 3})
                .attr("strides", new long[] {2, 2}).attr("ceil_mode", 1L).infer();
        assertEquals(4, at(ceil.dim(2), 8));
        assertEquals(4, at(ceil.dim(2), 9));
        Shape undecided = NodeInference.of("AveragePool").input("N", 3, "H", "W")
                .attr("kernel_shape", new long[] {2, 2}).attr("strides", new long[] {2, 2})
                .attr("pads", new long[] {1, 1, 1, 1}).attr("ceil_mode", 1L).infer();
        assertFalse(undecided.dim(2).isKnown());
        assertEquals(Shape.of(N, Dim.of(3), Dim.of(1), Dim.of(1)),
                NodeInference.of("GlobalAveragePool").input("N", 3, "H", "W").infer());
    }

    @Test
    void ceilModeDropsAWindowStartingInTheEndPadding() {
        // in 4, kernel 2, stride 2, pads 1+1: ceil((4+2-2)/2)+1 = 3 windows, but the third starts at 3*2-1 = 5,
        // beyond the last input cell, so it is dropped.
        Shape s = NodeInference.of("MaxPool").input(1, 1, 4, 4).attr("kernel_shape", new long[] {2, 2})
                .attr("strides", new long[] {2, 2}).attr("pads", new long[] {1, 1, 1, 1}).attr("ceil_mode", 1L)
                .infer();
        assertEquals(Shape.of(1, 1, 3, 3), s);
        Shape t = NodeInference.of("MaxPool").input(1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2})
                .attr("strides", new long[] {2, 2}).attr("pads", new long[] {0, 0, 1, 1}).attr("ceil_mode", 1L)
                .infer();
        assertEquals(Shape.of(1, 1, 3, 3), t);
    }

    @Test
    void batchNormAndReduceMean() {
        assertEquals(Shape.of(N, Dim.of(3), H, W), NodeInference.of("BatchNormalization").input("N", 3, "H", "W")
                .input(3).input(3).input(3).input(3).infer());
        assertEquals(Shape.of(N, Dim.of(3), Dim.of(1), Dim.of(1)), NodeInference.of("ReduceMean")
                .input("N", 3, "H", "W").constant(Tensor.ofLongs(new long[] {-1, 2}, 2)).infer());
        assertEquals(Shape.of(N, H), NodeInference.of("ReduceMean").input("N", 3, "H", "W")
                .constant(Tensor.ofLongs(new long[] {1, 3}, 2)).attr("keepdims", 0L).infer());
        assertEquals(Shape.of(1, 1, 1, 1), NodeInference.of("ReduceMean").input("N", 3, "H", "W").infer());
        assertEquals(Shape.of(N, Dim.of(3), H, W), NodeInference.of("ReduceMean").input("N", 3, "H", "W")
                .attr("noop_with_empty_axes", 1L).infer());
    }

    @Test
    void specsResolveSamePaddingForConcreteShapes() {
        ConvSpec upper = ConvSpec.of(NodeInference.of("Conv").attr("auto_pad", "SAME_UPPER")
                .attr("strides", new long[] {2, 2}).node(), new int[] {1, 1, 6, 7}, new int[] {1, 1, 4, 3});
        // H: out 3, total (3-1)*2+4-6 = 2 -> 1/1; W: out 4, total 3*2+3-7 = 2 -> 1/1
        assertEquals(1, upper.padBegin(0));
        assertEquals(1, upper.padEnd(0));
        ConvSpec lower = ConvSpec.of(NodeInference.of("Conv").attr("auto_pad", "SAME_LOWER").node(),
                new int[] {1, 1, 5, 5}, new int[] {1, 1, 2, 2});
        // total 1: SAME_LOWER puts it at the beginning
        assertEquals(1, lower.padBegin(0));
        assertEquals(0, lower.padEnd(0));
        ConvTransposeSpec t = ConvTransposeSpec.of(NodeInference.of("ConvTranspose")
                .attr("output_shape", new long[] {10, 8}).attr("strides", new long[] {3, 2}).node(),
                new int[] {1, 1, 3, 3}, new int[] {1, 2, 3, 3});
        // H: total 3*2+3-10 = -1 -> begin -1 - floor(-1/2) = 0; W: 2*2+3-8 = -1 -> 0
        assertEquals(0, t.padBegin(0));
        assertEquals(10, t.outputSize(0));
        assertTrue(t.toString().contains("out=[10, 8]"));
    }
}
