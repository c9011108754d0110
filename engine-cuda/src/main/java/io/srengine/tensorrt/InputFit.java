package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.Arrays;

/**
 * Brings an NCHW input into a plan's shape range. Height and width below the range's minimum are
 * padded up to it by repeating the edge pixels (the output is cropped back by {@link #crop});
 * anything else outside the range is refused. Edge padding changes the outputs only near the padded
 * edge, within the network's receptive field; the upscaler's tiles reach below the minimum only for
 * images smaller than it.
 */
final class InputFit {
    private InputFit() {}

    /**
     * The shape to run {@code shape} at: {@code shape} itself, or with H and W raised to the minimum.
     *
     * @throws SrException {@code INVALID_INPUT} when N or C lie outside the range or H or W exceed its maximum
     */
    static int[] target(int[] shape, ShapeRange range, String source) {
        if (shape.length != 4) {
            throw new SrException(ErrorCode.INVALID_INPUT, "the plan takes NCHW input, not shape " + Arrays.toString(shape));
        }
        int[] min = range.min();
        int[] max = range.max();
        int[] t = shape.clone();
        for (int i = 0; i < 4; i++) {
            boolean below = shape[i] < min[i];
            if (shape[i] > max[i] || (below && i < 2)) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input shape " + Arrays.toString(shape) + " is outside the"
                        + " shape range of " + source + " (" + range + ") on axis " + "NCHW".charAt(i)
                        + "; use smaller tiles or rebuild the plan with a larger --max-shape");
            }
            if (below) {
                t[i] = min[i];
            }
        }
        return t;
    }

    /** {@code x} padded at the bottom and right to {@code h} by {@code w} by repeating its last row and column. */
    static Tensor padEdge(Tensor x, int h, int w) {
        int n = x.dim(0);
        int c = x.dim(1);
        int xh = x.dim(2);
        int xw = x.dim(3);
        float[] src = x.floats();
        float[] dst = new float[n * c * h * w];
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < h; y++) {
                int sy = Math.min(y, xh - 1);
                int so = (p * xh + sy) * xw;
                int d = (p * h + y) * w;
                System.arraycopy(src, so, dst, d, xw);
                Arrays.fill(dst, d + xw, d + w, src[so + xw - 1]);
            }
        }
        return Tensor.of(dst, n, c, h, w);
    }

    /** The top-left {@code h} by {@code w} of every plane of {@code y}. */
    static Tensor crop(Tensor y, int h, int w) {
        int n = y.dim(0);
        int c = y.dim(1);
        int yh = y.dim(2);
        int yw = y.dim(3);
        if (h > yh || w > yw) {
            throw new SrException(ErrorCode.INTERNAL, "cannot crop " + Arrays.toString(y.shape()) + " to " + h + "x" + w);
        }
        float[] src = y.floats();
        float[] dst = new float[n * c * h * w];
        for (int p = 0; p < n * c; p++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, (p * yh + r) * yw, dst, (p * h + r) * w, w);
            }
        }
        return Tensor.of(dst, n, c, h, w);
    }

    /** The output size for an input of {@code inLen} run padded to {@code paddedLen}, from the padded output's {@code outLen}. */
    static int croppedLength(int inLen, int paddedLen, int outLen) {
        if (outLen % paddedLen != 0) {
            throw new SrException(ErrorCode.INVALID_INPUT, "the plan's output size " + outLen + " is not a whole multiple of"
                    + " its input size " + paddedLen + ", so an input below the plan's minimum cannot be padded and cropped");
        }
        return inLen * (outLen / paddedLen);
    }
}
