package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved geometry of one ONNX Conv: {@code X [N, C, D1..Dn]}, {@code W [M, C/group, k1..kn]},
 * optional {@code B [M]}, output {@code [N, M, O1..On]}. Built from a node and concrete input shapes;
 * every backend reads its kernel size, strides, dilations, padding and output size from here, so
 * that they agree on {@code auto_pad} and padding arithmetic.
 *
 * <p>Output size per axis: {@code floor((in + pad_begin + pad_end - ((k - 1) * dilation + 1)) / stride) + 1};
 * {@code SAME_UPPER}/{@code SAME_LOWER} give {@code ceil(in / stride)} with the total padding
 * {@code max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in)} split evenly, the odd cell at the
 * end (UPPER) or the beginning (LOWER).
 */
public final class ConvSpec {
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
    private final int[] padEnd;

    private ConvSpec(int batch, int inChannels, int outChannels, int group, int[] inputSize, int[] outputSize,
            int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {
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
        this.padEnd = padEnd;
    }

    /**
     * The spec of {@code node} for concrete input and weight shapes.
     *
     * @throws io.srengine.SrException naming the node when the attributes or shapes do not compute
     */
    public static ConvSpec of(Node node, int[] xShape, int[] wShape) {
        Shape out = outputShape(node, Shape.of(xShape), Shape.of(wShape));
        int n = xShape.length - 2;
        SlidingWindow win = SlidingWindow.parse(node, n, spatial(Shape.of(wShape)));
        int[] outSize = new int[n];
        int[] pb = new int[n];
        int[] pe = new int[n];
        for (int i = 0; i < n; i++) {
            outSize[i] = Math.toIntExact(out.dim(i + 2).value());
            pb[i] = Math.toIntExact(win.padBegin(i, xShape[i + 2]));
            pe[i] = Math.toIntExact(win.padEnd(i, xShape[i + 2]));
        }
        return new ConvSpec(xShape[0], xShape[1], wShape[0], (int) group(node), tail(xShape), outSize,
                toInts(win.kernel), toInts(win.strides), toInts(win.dilations), pb, pe);
    }

    /**
     * The output shape for input shape {@code x} and weight shape {@code w}, known or symbolic,
     * checking everything that can be checked on them.
     */
    public static Shape outputShape(Node node, Shape x, Shape w) {
        if (x.rank() < 3) {
            throw OpErrors.shape(node, "input X has shape " + x + "; Conv needs [N, C, D1, ...] with at least one"
                    + " spatial axis");
        }
        if (w.rank() != x.rank()) {
            throw OpErrors.shape(node, "weight W has shape " + w + " (rank " + w.rank() + ") but input X has shape "
                    + x + " (rank " + x.rank() + ")");
        }
        long group = group(node);
        Dim c = x.dim(1);
        Dim cPerGroup = w.dim(1);
        Dim m = w.dim(0);
        if (c.isKnown() && cPerGroup.isKnown() && c.value() != cPerGroup.value() * group) {
            throw OpErrors.shape(node, "input X " + x + " has " + c + " channels but weight W " + w + " expects "
                    + cPerGroup + " per group x group " + group + " = " + cPerGroup.value() * group);
        }
        if (c.isKnown() && c.value() % group != 0) {
            throw OpErrors.shape(node, "group " + group + " does not divide the " + c + " input channels of " + x);
        }
        if (m.isKnown() && m.value() % group != 0) {
            throw OpErrors.shape(node, "group " + group + " does not divide the " + m + " output channels of weight W "
                    + w);
        }
        int n = x.rank() - 2;
        SlidingWindow win = SlidingWindow.parse(node, n, spatial(w));
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(m);
        for (int i = 0; i < n; i++) {
            out.add(win.outputDim(i, x.dim(i + 2)));
        }
        return Shape.of(out);
    }

    static long group(Node node) {
        long g = node.attrInt("group", 1);
        if (g < 1) {
            throw OpErrors.attribute(node, "group must be positive, not " + g);
        }
        return g;
    }

    /** The spatial dims of a weight shape, -1 where not known. */
    static long[] spatial(Shape w) {
        long[] k = new long[w.rank() - 2];
        for (int i = 0; i < k.length; i++) {
            Dim d = w.dim(i + 2);
            k[i] = d.isKnown() ? d.value() : -1;
        }
        return k;
    }

    static int[] toInts(long[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.toIntExact(a[i]);
        }
        return r;
    }

    static int[] tail(int[] shape) {
        return java.util.Arrays.copyOfRange(shape, 2, shape.length);
    }

    /** Number of spatial axes. */
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

    /** Output channels M. */
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

    /** True for a depthwise convolution: one input channel per group (any channel multiplier). */
    public boolean isDepthwise() {
        return group == inChannels && group > 1;
    }

    /** Input size along spatial axis {@code i}. */
    public int inputSize(int i) {
        return inputSize[i];
    }

    /** Output size along spatial axis {@code i}. */
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

    /** Padding before the data along spatial axis {@code i} (after resolving {@code auto_pad}). */
    public int padBegin(int i) {
        return padBegin[i];
    }

    /** Padding after the data along spatial axis {@code i} (after resolving {@code auto_pad}). */
    public int padEnd(int i) {
        return padEnd[i];
    }

    /** The kernel's spatial dims. */
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
        return "ConvSpec[N=" + batch + " C=" + inChannels + " M=" + outChannels + " group=" + group + " in="
                + OpErrors.str(inputSize) + " out=" + OpErrors.str(outputSize) + " kernel=" + OpErrors.str(kernel)
                + " strides=" + OpErrors.str(strides) + " dilations=" + OpErrors.str(dilations) + " pads="
                + OpErrors.str(padBegin) + "/" + OpErrors.str(padEnd) + "]";
    }
}
