package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved geometry of one ONNX AveragePool or MaxPool over {@code X [N, C, D1..Dn]}. Output cell
 * {@code o} along an axis reads input cells {@code o * stride - pad_begin + j * dilation} for {@code j}
 * in {@code [0, kernel)}; cells outside the input are skipped.
 *
 * <p>Output size per axis: {@code floor((in + pad_begin + pad_end - ((k - 1) * dilation + 1)) / stride) + 1},
 * or with {@code ceil_mode} the ceiling, minus one when the last window would start in the end
 * padding (ONNX Runtime and PyTorch do the same); {@code SAME_*} give {@code ceil(in / stride)}.
 *
 * <p>AveragePool divides by the number of window cells inside the input, or with {@code
 * count_include_pad} by the number inside the padded input {@code [-pad_begin, in + pad_end)}, so a
 * {@code ceil_mode} window that overhangs the end padding is not charged for the overhang (ONNX
 * Runtime and PyTorch; the ONNX Python reference charges it).
 */
public final class PoolSpec {
    private final int batch;
    private final int channels;
    private final int[] inputSize;
    private final int[] outputSize;
    private final int[] kernel;
    private final int[] strides;
    private final int[] dilations;
    private final int[] padBegin;
    private final int[] padEnd;
    private final boolean countIncludePad;

    private PoolSpec(int batch, int channels, int[] inputSize, int[] outputSize, int[] kernel, int[] strides,
            int[] dilations, int[] padBegin, int[] padEnd, boolean countIncludePad) {
        this.batch = batch;
        this.channels = channels;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.padBegin = padBegin;
        this.padEnd = padEnd;
        this.countIncludePad = countIncludePad;
    }

    /**
     * The spec of {@code node} for a concrete input shape.
     *
     * @throws io.srengine.SrException naming the node when the attributes or shapes do not compute
     */
    public static PoolSpec of(Node node, int[] xShape) {
        Shape out = outputShape(node, Shape.of(xShape));
        int n = xShape.length - 2;
        SlidingWindow win = SlidingWindow.parse(node, n, null);
        int[] outSize = new int[n];
        int[] pb = new int[n];
        int[] pe = new int[n];
        for (int i = 0; i < n; i++) {
            outSize[i] = Math.toIntExact(out.dim(i + 2).value());
            pb[i] = Math.toIntExact(win.padBegin(i, xShape[i + 2]));
            pe[i] = Math.toIntExact(win.padEnd(i, xShape[i + 2]));
        }
        return new PoolSpec(xShape[0], xShape[1], ConvSpec.tail(xShape), outSize, ConvSpec.toInts(win.kernel),
                ConvSpec.toInts(win.strides), ConvSpec.toInts(win.dilations), pb, pe, countIncludePad(node));
    }

    /** The output shape for input shape {@code x}, known or symbolic. */
    public static Shape outputShape(Node node, Shape x) {
        if (x.rank() < 3) {
            throw OpErrors.shape(node, "input X has shape " + x + "; " + node.opType()
                    + " needs [N, C, D1, ...] with at least one spatial axis");
        }
        countIncludePad(node);
        int n = x.rank() - 2;
        SlidingWindow win = SlidingWindow.parse(node, n, null);
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(x.dim(1));
        for (int i = 0; i < n; i++) {
            out.add(win.outputDim(i, x.dim(i + 2)));
        }
        return Shape.of(out);
    }

    private static boolean countIncludePad(Node node) {
        long v = node.attrInt("count_include_pad", 0);
        if (v != 0 && v != 1) {
            throw OpErrors.attribute(node, "count_include_pad must be 0 or 1, not " + v);
        }
        return v == 1;
    }

    public int spatialRank() {
        return inputSize.length;
    }

    public int batch() {
        return batch;
    }

    public int channels() {
        return channels;
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

    public int padBegin(int i) {
        return padBegin[i];
    }

    public int padEnd(int i) {
        return padEnd[i];
    }

    /** Whether AveragePool counts padding cells in the divisor ({@code count_include_pad}). */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The first input cell (possibly negative) of output cell {@code o}'s window along axis {@code i}. */
    public int windowStart(int i, int o) {
        return o * strides[i] - padBegin[i];
    }

    /**
     * Whether input position {@code p} along axis {@code i} counts toward an average's divisor: inside
     * the input, or with {@code count_include_pad} inside the padded input.
     */
    public boolean counts(int i, int p) {
        return countIncludePad ? p >= -padBegin[i] && p < inputSize[i] + padEnd[i] : p >= 0 && p < inputSize[i];
    }

    /** The output shape {@code [N, C, O1..On]}. */
    public int[] outputShape() {
        int[] s = new int[outputSize.length + 2];
        s[0] = batch;
        s[1] = channels;
        System.arraycopy(outputSize, 0, s, 2, outputSize.length);
        return s;
    }

    @Override
    public String toString() {
        return "PoolSpec[N=" + batch + " C=" + channels + " in=" + OpErrors.str(inputSize) + " out="
                + OpErrors.str(outputSize) + " kernel=" + OpErrors.str(kernel) + " strides=" + OpErrors.str(strides)
                + " dilations=" + OpErrors.str(dilations) + " pads=" + OpErrors.str(padBegin) + "/"
                + OpErrors.str(padEnd) + " countIncludePad=" + countIncludePad + "]";
    }
}
