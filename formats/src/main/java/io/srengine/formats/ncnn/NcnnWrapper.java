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
        prepad(e, program.padMode, p, m, netInput);

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

    /**
     * Pads the input by {@code p} on every side, plus at the bottom and right what makes the size a
     * multiple of {@code m}, into {@code netInput}. Edge mode is one Pad. Reflect mode (reflect-101,
     * the programs' {@code abs} folding) is a chain of Pads each reflecting at most {@code size - 1}:
     * for an image larger than the padding the first does everything and the others add nothing;
     * for a smaller one (where the programs read outside the image) the chain continues the
     * mirroring periodically, and a one-pixel axis is first repeated to two.
     */
    private static void prepad(GraphEmitter e, String mode, int p, int m, String netInput) {
        String hw = e.node("image_size", "Shape", List.of(NcnnImporter.INPUT), Map.of("start", 2L));
        String before = e.longs("pad_before", p, p);
        String after = before;
        if (m > 1) {
            // ((hw + m - 1) / m) * m - hw + p
            String sum = e.node("align_add", "Add", List.of(hw, e.longs("align_m1", m - 1, m - 1)));
            String blocks = e.node("align_div", "Div", List.of(sum, e.longs("align_m", m, m)));
            String up = e.node("align_up", "Mul", List.of(blocks, e.longs("align_m", m, m)));
            after = e.node("pad_after", "Add", List.of(e.node("align_extra", "Sub", List.of(up, hw)), before));
        }
        if (mode.equals("edge")) {
            e.nodeTo("prepad", "Pad", List.of(NcnnImporter.INPUT, pads(e, before, after)), netInput, Map.of("mode", "edge"));
            return;
        }
        String zero = e.longs("zero", 0, 0);
        String one = e.longs("one", 1, 1);
        // a one-pixel axis becomes two by repeating it: the periodic mirror image of one pixel is that pixel
        String grow = e.node("grow", "Max", List.of(e.node("grow_need", "Sub", List.of(e.longs("two", 2, 2), hw)), zero));
        String x = e.node("prepad_edge", "Pad", List.of(NcnnImporter.INPUT, pads(e, zero, grow)), Map.of("mode", "edge"));
        String size = e.node("size", "Add", List.of(hw, grow));
        String restBefore = before;
        String restAfter = e.node("rest_after", "Sub", List.of(after, grow));
        // enough stages for the worst case, a two-pixel axis padded by p and p + m - 1
        int stages = 0;
        for (long n = 2, doneB = 0, doneA = 0; doneB < p || doneA < p + m - 1L; stages++) {
            long sb = Math.min(n - 1, p - doneB);
            long sa = Math.min(n - 1, p + m - 1L - doneA);
            doneB += sb;
            doneA += sa;
            n += sb + sa;
        }
        for (int k = 0; k < stages; k++) {
            String most = e.node("reflect_most", "Sub", List.of(size, one));
            String b = e.node("reflect_before", "Min", List.of(restBefore, most));
            String a = e.node("reflect_after", "Min", List.of(restAfter, most));
            String padded = k == stages - 1 ? netInput : e.fresh("prepad_reflect");
            e.nodeTo("prepad", "Pad", List.of(x, pads(e, b, a)), padded, Map.of("mode", "reflect"));
            x = padded;
            if (k < stages - 1) {
                size = e.node("size", "Add", List.of(size, e.node("grown", "Add", List.of(b, a))));
                restBefore = e.node("rest_before", "Sub", List.of(restBefore, b));
                restAfter = e.node("rest_after", "Sub", List.of(restAfter, a));
            }
        }
    }

    /** ONNX Pad's pads for NCHW from (H, W) amounts before and after. */
    private static String pads(GraphEmitter e, String before, String after) {
        return e.node("pads", "Concat", List.of(e.longs("pad_nc", 0, 0), before, e.longs("pad_nc", 0, 0), after),
                Map.of("axis", 0L));
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
