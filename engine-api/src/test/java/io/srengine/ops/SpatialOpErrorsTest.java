package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import org.junit.jupiter.api.Test;

/** Every attribute or shape a user can get wrong gives an error that names the node, the problem and the numbers. */
class SpatialOpErrorsTest {
    private static void fails(NodeInference n, ErrorCode code, String... fragments) {
        SrException e = assertThrows(SrException.class, n::inferAll);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("node 'n1'"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
        }
    }

    private static NodeInference conv(Object[] x, Object... w) {
        return NodeInference.of("Conv").input(x).input(w);
    }

    @Test
    void convChannelMismatch() {
        fails(conv(new Object[] {1, 4, 5, 5}, 2, 3, 3, 3), ErrorCode.INVALID_SHAPE, "4 channels", "expects 3",
                "= 3");
        fails(conv(new Object[] {1, 4, 5, 5}, 2, 3, 3, 3).attr("group", 2L), ErrorCode.INVALID_SHAPE,
                "4 channels", "group 2 = 6");
    }

    @Test
    void groupMustDivideChannels() {
        fails(conv(new Object[] {1, 4, 5, 5}, 3, 2, 3, 3).attr("group", 2L), ErrorCode.INVALID_SHAPE,
                "group 2 does not divide the 3 output channels");
        fails(conv(new Object[] {1, 3, 5, 5}, 3, 1, 3, 3).attr("group", 0L), ErrorCode.INVALID_MODEL,
                "group must be positive");
    }

    @Test
    void padsLengthAndSign() {
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("pads", new long[] {1, 1}),
                ErrorCode.INVALID_SHAPE, "pads [1, 1] has length 2", "need 4");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("pads", new long[] {1, -1, 1, 1}),
                ErrorCode.INVALID_MODEL, "negative");
    }

    @Test
    void outputThatDoesNotFit() {
        fails(conv(new Object[] {1, 1, 2, 9}, 1, 1, 3, 3), ErrorCode.INVALID_SHAPE, "spans 3 cells",
                "padded input has only 2");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("dilations", new long[] {3, 1}),
                ErrorCode.INVALID_SHAPE, "spans 7 cells", "dilation 3");
    }

    @Test
    void kernelShapeStridesDilationsAndAutoPad() {
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("kernel_shape", new long[] {5, 5}),
                ErrorCode.INVALID_SHAPE, "kernel_shape [5, 5]", "[3, 3]");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("strides", new long[] {1, 0}),
                ErrorCode.INVALID_MODEL, "strides [1, 0] must be positive");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("dilations", new long[] {1}),
                ErrorCode.INVALID_SHAPE, "dilations [1] has length 1", "2 spatial axes");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3, 3).attr("auto_pad", "SAME"), ErrorCode.INVALID_MODEL,
                "auto_pad 'SAME'");
    }

    @Test
    void convRanksTypesBiasAndFusedActivation() {
        fails(conv(new Object[] {1, 5}, 1, 5), ErrorCode.INVALID_SHAPE, "[1, 5]", "at least one spatial axis");
        fails(conv(new Object[] {1, 1, 5, 5}, 1, 1, 3), ErrorCode.INVALID_SHAPE, "rank 3", "rank 4");
        fails(NodeInference.of("Conv").input(1, 1, 5, 5).typed(DataType.FLOAT16, 1, 1, 3, 3),
                ErrorCode.TYPE_MISMATCH, "FLOAT16");
        fails(conv(new Object[] {1, 1, 5, 5}, 2, 1, 3, 3).input(3), ErrorCode.INVALID_SHAPE,
                "bias B has shape [3]", "2 channels");
        fails(conv(new Object[] {1, 1, 5, 5}, 2, 1, 3, 3).absent().attr(FusedActivation.ATTR_KIND, "PRelu"),
                ErrorCode.INVALID_GRAPH, "no slope input");
        fails(conv(new Object[] {1, 1, 5, 5}, 2, 1, 3, 3).absent().input(3).attr(FusedActivation.ATTR_KIND, "PRelu"),
                ErrorCode.INVALID_SHAPE, "slope has shape [3]", "1 or 2");
        fails(conv(new Object[] {1, 1, 5, 5}, 2, 1, 3, 3).attr(FusedActivation.ATTR_KIND, "Swish"),
                ErrorCode.INVALID_GRAPH, "Swish");
    }

    @Test
    void convTransposeErrors() {
        fails(NodeInference.of("ConvTranspose").input(1, 4, 5, 5).input(3, 2, 3, 3), ErrorCode.INVALID_SHAPE,
                "4 channels", "expects 3");
        fails(NodeInference.of("ConvTranspose").input(1, 3, 5, 5).input(3, 2, 3, 3).attr("group", 2L),
                ErrorCode.INVALID_SHAPE, "group 2 does not divide the 3 input channels");
        fails(NodeInference.of("ConvTranspose").input(1, 3, 5, 5).input(3, 2, 3, 3)
                .attr("output_shape", new long[] {10}), ErrorCode.INVALID_SHAPE, "output_shape [10]");
        fails(NodeInference.of("ConvTranspose").input(1, 3, 1, 5).input(3, 2, 1, 3)
                .attr("pads", new long[] {1, 0, 1, 0}), ErrorCode.INVALID_SHAPE, "output size -1", "not positive");
        fails(NodeInference.of("ConvTranspose").input(1, 3, 5, 5).input(3, 2, 3, 3)
                .attr("output_padding", new long[] {-1, 0}), ErrorCode.INVALID_MODEL, "output_padding [-1, 0]");
    }

    @Test
    void poolErrors() {
        fails(NodeInference.of("MaxPool").input(1, 1, 5, 5), ErrorCode.INVALID_MODEL, "kernel_shape", "missing");
        fails(NodeInference.of("MaxPool").input(1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2})
                .outputs("y", "indices"), ErrorCode.UNSUPPORTED_OP, "Indices", "'indices'");
        fails(NodeInference.of("AveragePool").input(1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2})
                .attr("strides", new long[] {2}), ErrorCode.INVALID_SHAPE, "strides [2]");
        fails(NodeInference.of("AveragePool").input(1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2})
                .attr("count_include_pad", 2L), ErrorCode.INVALID_MODEL, "count_include_pad");
        fails(NodeInference.of("MaxPool").typed(DataType.UINT8, 1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2}),
                ErrorCode.UNSUPPORTED_OP, "UINT8", "floating-point types only");
        fails(NodeInference.of("AveragePool").typed(DataType.INT32, 1, 1, 5, 5).attr("kernel_shape", new long[] {2, 2}),
                ErrorCode.TYPE_MISMATCH, "INT32");
        fails(NodeInference.of("GlobalMaxPool").input(1, 3), ErrorCode.INVALID_SHAPE, "[1, 3]");
    }

    @Test
    void batchNormErrors() {
        fails(NodeInference.of("BatchNormalization").input(1, 3, 4, 4).input(3).input(3).input(3).input(3)
                .attr("training_mode", 1L), ErrorCode.UNSUPPORTED_OP, "training_mode");
        fails(NodeInference.of("BatchNormalization").input(1, 3, 4, 4).input(3).input(4).input(3).input(3),
                ErrorCode.INVALID_SHAPE, "B has shape [4]", "needs 3 values");
        fails(NodeInference.of("BatchNormalization").input(1, 3, 4, 4).input(3).input(3).input(3).input(3)
                .outputs("y", "m", "v", "saved_mean"), ErrorCode.UNSUPPORTED_OP, "'saved_mean'", "training");
    }

    @Test
    void reduceMeanErrors() {
        fails(NodeInference.of("ReduceMean").input(1, 3, 4, 4).constant(Tensor.ofLongs(new long[] {1, -3}, 2)),
                ErrorCode.INVALID_SHAPE, "axis 1 twice");
        fails(NodeInference.of("ReduceMean").input(1, 3, 4, 4).constant(Tensor.ofLongs(new long[] {4}, 1)),
                ErrorCode.INVALID_SHAPE, "has 4, out of range for rank 4");
        fails(NodeInference.of("ReduceMean").input(1, 3, 4, 4).typed(DataType.INT64, 2), ErrorCode.UNSUPPORTED_OP,
                "axes", "must be a constant");
    }

    private static NodeInference resize(Tensor scales, Tensor sizes) {
        NodeInference n = NodeInference.of("Resize").input(1, 3, 4, 4).absent();
        n = scales == null ? n.absent() : n.constant(scales);
        return sizes == null ? n : n.constant(sizes);
    }

    @Test
    void resizeScalesAndSizes() {
        fails(resize(Tensor.of(new float[] {1, 1, 2, 2}, 4), Tensor.ofLongs(new long[] {1, 3, 8, 8}, 4)),
                ErrorCode.INVALID_SHAPE, "both scales and sizes");
        fails(resize(Tensor.of(new float[0], 0), null), ErrorCode.INVALID_SHAPE, "neither scales nor sizes");
        fails(resize(Tensor.of(new float[] {2, 2}, 2), null), ErrorCode.INVALID_SHAPE, "scales has 2 values",
                "4 axes");
        fails(resize(Tensor.of(new float[] {1, 1, 0, 2}, 4), null), ErrorCode.INVALID_SHAPE, "scale 0.0 for axis 2");
        fails(resize(Tensor.of(new float[] {1, 1, 0.1f, 1}, 4), null), ErrorCode.INVALID_SHAPE, "output size 0",
                "axis 2");
        fails(resize(null, Tensor.ofLongs(new long[] {1, 3, 0, 8}, 4)), ErrorCode.INVALID_SHAPE,
                "size 0 for axis 2");
        fails(NodeInference.of("Resize").input(1, 3, 4, 4).absent().input(4), ErrorCode.UNSUPPORTED_OP,
                "scales", "must be a constant");
    }

    @Test
    void resizeAttributes() {
        Tensor s = Tensor.of(new float[] {1, 1, 2, 2}, 4);
        fails(resize(s, null).attr("mode", "bilinear"), ErrorCode.INVALID_MODEL, "mode 'bilinear'");
        fails(resize(s, null).attr("coordinate_transformation_mode", "corners"), ErrorCode.INVALID_MODEL,
                "'corners'");
        fails(resize(s, null).attr("nearest_mode", "round"), ErrorCode.INVALID_MODEL, "nearest_mode 'round'");
        fails(resize(s, null).attr("keep_aspect_ratio_policy", "fit"), ErrorCode.INVALID_MODEL, "'fit'");
        fails(resize(s, null).attr("coordinate_transformation_mode", "tf_crop_and_resize"), ErrorCode.INVALID_SHAPE,
                "needs the roi");
        fails(resize(Tensor.of(new float[] {2, 2}, 2), null).attr("axes", new long[] {2, -2}),
                ErrorCode.INVALID_SHAPE, "axis 2 twice");
        fails(resize(Tensor.of(new float[] {2, 2}, 2), null).attr("axes", new long[] {2, 4}),
                ErrorCode.INVALID_SHAPE, "out of range for rank 4");
        fails(NodeInference.of("Resize").input(1, 3, 4, 4).constant(Tensor.of(new float[] {0, 1}, 2)).constant(s)
                .attr("coordinate_transformation_mode", "tf_crop_and_resize"), ErrorCode.INVALID_SHAPE,
                "roi has 2 values", "need 8");
    }
}
