package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved geometry of one ONNX ConvTranspose: {@code X [N, C, D1..Dn]}, {@code W [C, M/group, k1..kn]},
 * optional {@code B [M]}, output {@code [N, M, O1..On]}. Input cell {@code i} and kernel tap {@code k}
 * contribute to output cell {@code i * stride + k * dilation - pad_begin}.
 *
 * <p>Output size per axis: {@code stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pad_begin
 * - pad_end}. When {@code output_shape} is given it wins, and the total padding {@code stride * (in - 1)
 * + output_padding + (k - 1) * dilation + 1 - output_shape} is split as ONNX specifies: half (rounded
 * down) at the beginning for {@code SAME_UPPER}, half (rounded down) at the end otherwise. {@code
 * SAME_UPPER}/{@code SAME_LOWER} without {@code output_shape} target {@code in * stride}. The total can
 * be negative (an output larger than the input covers); the uncovered cells hold only the bias.
 */
public final class ConvTransposeSpec {
    private final int batch;
    private final int inChannels;
    private final int outChannels;
    private final int group;
    private final int[] inputSize;
    private final int[] outputSize;
    private final int[] kernel;
    private final int[] strides;
    private final int[] dilations;
    private final int[] padBegin;

    private ConvTransposeSpec(int batch, int inChannels, int outChannels, int group, int[] inputSize,
            int[] outputSize, int[] kernel, int[] strides, int[] dilations, int[] padBegin) {
        this.batch = batch;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.group = group;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.padBegin = padBegin;
    }

    /**
     * The spec of {@code node} for concrete input and weight shapes.
     *
     * @throws io.srengine.SrException naming the node when the attributes or shapes do not compute
     */
    public static ConvTransposeSpec of(Node node, int[] xShape, int[] wShape) {
        Shape out = outputShape(node, Shape.of(xShape), Shape.of(wShape));
        int n = xShape.length - 2;
        Attrs a = Attrs.parse(node, n, Shape.of(wShape));
        int[] outSize = new int[n];
        int[] pb = new int[n];
        for (int i = 0; i < n; i++) {
            outSize[i] = Math.toIntExact(out.dim(i + 2).value());
            long in = xShape[i + 2];
            long natural = a.win.strides[i] * (in - 1) + a.outputPadding[i] + a.win.effectiveKernel(i);
            long begin;
            if (a.outputShape != null || a.win.autoPad.isSame()) {
                begin = a.win.autoPad.begin(natural - outSize[i]);
            } else if (a.win.autoPad == AutoPad.VALID) {
                begin = 0;
            } else {
                begin = a.win.pads[i];
            }
            pb[i] = Math.toIntExact(begin);
        }
        long g = ConvSpec.group(node);
        return new ConvTransposeSpec(xShape[0], xShape[1], Math.toIntExact(wShape[1] * g), (int) g,
                ConvSpec.tail(xShape), outSize, ConvSpec.toInts(a.win.kernel), ConvSpec.toInts(a.win.strides),
                ConvSpec.toInts(a.win.dilations), pb);
    }

    /** The output shape for input shape {@code x} and weight shape {@code w}, known or symbolic. */
    public static Shape outputShape(Node node, Shape x, Shape w) {
        if (x.rank() < 3) {
            throw OpErrors.shape(node, "input X has shape " + x + "; ConvTranspose needs [N, C, D1, ...] with at"
                    + " least one spatial axis");
        }
        if (w.rank() != x.rank()) {
            throw OpErrors.shape(node, "weight W has shape " + w + " (rank " + w.rank() + ") but input X has shape "
                    + x + " (rank " + x.rank() + ")");
        }
        long group = ConvSpec.group(node);
        Dim c = x.dim(1);
        Dim wc = w.dim(0);
        if (c.isKnown() && wc.isKnown() && c.value() != wc.value()) {
            throw OpErrors.shape(node, "input X " + x + " has " + c + " channels but weight W " + w + " expects " + wc);
        }
        if (c.isKnown() && c.value() % group != 0) {
            throw OpErrors.shape(node, "group " + group + " does not divide the " + c + " input channels of " + x);
        }
        int n = x.rank() - 2;
        Attrs a = Attrs.parse(node, n, w);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(w.dim(1).times(group));
        for (int i = 0; i < n; i++) {
            Dim in = x.dim(i + 2);
            Dim o;
            if (a.outputShape != null) {
                o = Dim.of(a.outputShape[i]);
            } else if (a.win.autoPad.isSame()) {
                o = in.times(a.win.strides[i]);
            } else {
                long pads = a.win.autoPad == AutoPad.VALID ? 0 : a.win.pads[i] + a.win.pads[i + n];
                o = in.minus(1).times(a.win.strides[i]).plus(a.outputPadding[i] + a.win.effectiveKernel(i) - pads);
            }
            if (o.isKnown() && o.value() <= 0) {
                throw OpErrors.shape(node, "output size " + o + " along spatial axis " + i + " is not positive (input "
                        + in + ", kernel " + a.win.kernel[i] + ", stride " + a.win.strides[i] + ", dilation "
                        + a.win.dilations[i] + ", pads " + OpErrors.str(a.win.pads) + ", output_padding "
                        + OpErrors.str(a.outputPadding) + ")");
            }
            out.add(o);
        }
        return Shape.of(out);
    }

    /** The attributes that only ConvTranspose has, next to the shared window attributes. */
    private record Attrs(SlidingWindow win, long[] outputPadding, long[] outputShape) {
        static Attrs parse(Node node, int n, Shape w) {
            SlidingWindow win = SlidingWindow.parse(node, n, ConvSpec.spatial(w));
            long[] op = node.attrInts("output_padding", new long[n]);
            SlidingWindow.checkLength(node, "output_padding", op, n);
            for (long v : op) {
                if (v < 0) {
                    throw OpErrors.attribute(node, "output_padding " + OpErrors.str(op) + " has a negative value");
                }
            }
            long[] os = node.attrInts("output_shape", null);
            if (os != null) {
                if (os.length == n + 2) {
                    // Some exporters write the full [N, M, O1..On]; only the spatial part is used.
                    os = java.util.Arrays.copyOfRange(os, 2, os.length);
                }
                SlidingWindow.checkLength(node, "output_shape", os, n);
                for (long v : os) {
                    if (v < 1) {
                        throw OpErrors.shape(node, "output_shape " + OpErrors.str(os) + " has a non-positive size");
                    }
                }
            }
            return new Attrs(win, op, os);
        }
    }

    public int spatialRank() {
        return inputSize.length;
    }

    public int batch() {
        return batch;
    }

    /** Input channels C. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels M ({@code W.dim(1) * group}). */
    public int outChannels() {
        return outChannels;
    }

    public int group() {
        return group;
    }

    public int inChannelsPerGroup() {
        return inChannels / group;
    }

    public int outChannelsPerGroup() {
        return outChannels / group;
    }

    public int inputSize(int i) {
        return inputSize[i];
    }

    public int outputSize(int i) {
        return outputSize[i];
    }

    public int kernel(int i) {
        return kernel[i];
    }

    public int stride(int i) {
        return strides[i];
    }

    public int dilation(int i) {
        return dilations[i];
    }

    /**
     * Padding removed before the data along spatial axis {@code i}, after resolving {@code auto_pad} and
     * {@code output_shape}; may be negative. Padding at the end follows from the output size.
     */
    public int padBegin(int i) {
        return padBegin[i];
    }

    public int[] kernelShape() {
        return kernel.clone();
    }

    /** The output shape {@code [N, M, O1..On]}. */
    public int[] outputShape() {
        int[] s = new int[outputSize.length + 2];
        s[0] = batch;
        s[1] = outChannels;
        System.arraycopy(outputSize, 0, s, 2, outputSize.length);
        return s;
    }

    @Override
    public String toString() {
        return "ConvTransposeSpec[N=" + batch + " C=" + inChannels + " M=" + outChannels + " group=" + group
                + " in=" + OpErrors.str(inputSize) + " out=" + OpErrors.str(outputSize) + " kernel="
                + OpErrors.str(kernel) + " strides=" + OpErrors.str(strides) + " dilations=" + OpErrors.str(dilations)
                + " padBegin=" + OpErrors.str(padBegin) + "]";
    }
}
