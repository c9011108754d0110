package io.srengine.formats.ncnn;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.List;
import java.util.Map;

/**
 * Puts a program's work around an ncnn network ({@link NcnnProgram}): the pre-padding with its
 * alignment, the crop back to the image times the scale, and Real-CUGAN x4's nearest skip. Sizes
 * that depend on the input are computed in the graph from its shape, so the graph runs at any size
 * and every backend folds them to constants once the size is known.
 */
final class NcnnWrapper {
    private NcnnWrapper() {}

    static void wrap(GraphEmitter e, NcnnProgram program, int scale, String netInput, String netOutput, Shape image,
            String source) {
        Graph g = e.graph;
        g.inputs().add(new ValueInfo(NcnnImporter.INPUT, new TensorType(DataType.FLOAT32, image)));
        int p = program.prepadding(scale);
        int m = program.align(scale);
        String pads;
        if (m == 1) {
            pads = e.longs("prepadding", 0, 0, p, p, 0, 0, p, p);
        } else {
            // bottom/right: p plus what makes the size a multiple of m, ((hw + m - 1) / m) * m - hw
            String hw = e.node("image_size", "Shape", List.of(NcnnImporter.INPUT), Map.of("start", 2L));
            String sum = e.node("align_add", "Add", List.of(hw, e.longs("align_m1", m - 1, m - 1)));
            String blocks = e.node("align_div", "Div", List.of(sum, e.longs("align_m", m, m)));
            String up = e.node("align_up", "Mul", List.of(blocks, e.longs("align_m", m, m)));
            String after = e.node("pad_after", "Add", List.of(e.node("align_extra", "Sub", List.of(up, hw)), e.longs("pad_p", p, p)));
            pads = e.node("prepadding", "Concat", List.of(e.longs("pad_before", 0, 0, p, p), e.longs("pad_channels", 0, 0), after),
                    Map.of("axis", 0L));
        }
        e.nodeTo("prepad", "Pad", List.of(NcnnImporter.INPUT, pads), netInput, Map.of("mode", program.padMode));

        long start = program.keepsPadding() ? (long) p * scale : 0;
        String y;
        if (program.keepsPadding() && m == 1) {
            y = e.slice("crop", netOutput, new long[] {start, start}, new long[] {-start, -start}, new long[] {2, 3});
        } else {
            String hw = e.node("image_size", "Shape", List.of(NcnnImporter.INPUT), Map.of("start", 2L));
            String ends = e.node("crop_end", "Mul", List.of(hw, e.longs("scale", scale, scale)));
            if (start != 0) {
                ends = e.node("crop_end", "Add", List.of(ends, e.longs("crop_start", start, start)));
            }
            y = e.slice("crop", netOutput, new long[] {start, start}, ends, new long[] {2, 3});
        }
        if (program.addsNearestInput(scale)) {
            String up = e.node("nearest", "Resize", List.of(NcnnImporter.INPUT, "", e.constant("nearest_scales",
                    Tensor.of(new float[] {1, 1, scale, scale}, 4))), Map.of("mode", "nearest",
                    "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor"));
            e.nodeTo("skip", "Add", List.of(y, up), NcnnImporter.OUTPUT, Map.of());
        } else {
            e.nodeTo("output", "Identity", List.of(y), NcnnImporter.OUTPUT, Map.of());
        }
        Dim h = image.dim(2).times(scale);
        Dim w = image.dim(3).times(scale);
        g.outputs().add(new ValueInfo(NcnnImporter.OUTPUT, new TensorType(DataType.FLOAT32,
                Shape.of(image.dim(0), image.dim(1), h, w))));
        check(g, netInput, netOutput, image.dim(1).value(), program, scale, p, start, source);
    }

    /** The network's output must cover the crop for a padded, aligned 64-pixel image. */
    private static void check(Graph g, String netInput, String netOutput, long channels, NcnnProgram program, int scale,
            int p, long start, String source) {
        long size = 64 + 2L * p;
        long out = NcnnImporter.Probe.outputSize(g, netInput, netOutput, channels, size, source);
        if (out < start + 64L * scale) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + " looks like a " + program.program + " model, but"
                    + " its network turns a " + size + "-pixel padded input into " + out + " pixels, fewer than the "
                    + (start + 64L * scale) + " that program's crop needs");
        }
    }
}
