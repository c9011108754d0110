package io.srengine.reference;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.ops.Broadcast;
import java.util.Arrays;

/** Softmax, LogSoftmax and LayerNormalization, each computed in double and rounded once per output. */
final class ReferenceNormalization {
    private ReferenceNormalization() {}

    /** Softmax (or LogSoftmax) along one axis, shifted by the maximum so that exp never overflows. */
    static ReferenceKernel softmax(boolean log) {
        return ctx -> {
            Tensor x = ctx.input(0);
            Tensor y = ctx.allocateOutput(0);
            int[] shape = x.shape();
            if (shape.length == 0) {
                Elements.setDouble(y, 0, log ? 0 : 1);
                return new Tensor[] {y};
            }
            int axis = (int) ctx.node().attrInt("axis", -1);
            axis = axis < 0 ? axis + shape.length : axis;
            int len = shape[axis];
            int inner = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            int outer = len == 0 ? 0 : x.size() / (len * inner);
            double[] v = new double[len];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int base = o * len * inner + i;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < len; j++) {
                        v[j] = x.getDouble(base + j * inner);
                        max = Math.max(max, v[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < len; j++) {
                        sum += Math.exp(v[j] - max);
                    }
                    for (int j = 0; j < len; j++) {
                        double r = log ? v[j] - max - Math.log(sum) : Math.exp(v[j] - max) / sum;
                        Elements.setDouble(y, base + j * inner, r);
                    }
                }
            }
            return new Tensor[] {y};
        };
    }

    /**
     * LayerNormalization: for each position of the leading axes, the mean and variance of the
     * normalised axes, then {@code (x - mean) / sqrt(var + epsilon) · scale + bias}; outputs 1 and 2
     * (when requested) are the mean and {@code 1 / sqrt(var + epsilon)} in float32.
     */
    static ReferenceKernel layerNorm() {
        return ctx -> {
            Tensor x = ctx.input(0);
            int[] shape = x.shape();
            int axis = (int) ctx.node().attrInt("axis", -1);
            axis = axis < 0 ? axis + shape.length : axis;
            double eps = ctx.node().attrFloat("epsilon", 1e-5f);
            int[] normShape = Arrays.copyOfRange(shape, axis, shape.length);
            int len = Tensor.checkedSize(normShape);
            int rows = len == 0 ? 0 : x.size() / len;
            Tensor scale = ctx.input(1);
            Tensor bias = ctx.input(2);
            int[] ss = Broadcast.strides(scale.shape(), normShape);
            int[] sb = bias == null ? null : Broadcast.strides(bias.shape(), normShape);
            Tensor y = ctx.allocateOutput(0);
            int outputs = ctx.node().outputs().size();
            Tensor mean = outputs > 1 && !ctx.node().output(1).isEmpty()
                    ? Tensor.allocate(DataType.FLOAT32, ctx.outputShape(1)) : null;
            Tensor inv = outputs > 2 && !ctx.node().output(2).isEmpty()
                    ? Tensor.allocate(DataType.FLOAT32, ctx.outputShape(2)) : null;
            int[] coord = new int[normShape.length];
            for (int r = 0; r < rows; r++) {
                int base = r * len;
                double m = 0;
                for (int j = 0; j < len; j++) {
                    m += x.getDouble(base + j);
                }
                m /= len;
                double var = 0;
                for (int j = 0; j < len; j++) {
                    double d = x.getDouble(base + j) - m;
                    var += d * d;
                }
                var /= len;
                double invStd = 1 / Math.sqrt(var + eps);
                Arrays.fill(coord, 0);
                for (int j = 0; j < len; j++) {
                    double v = (x.getDouble(base + j) - m) * invStd * scale.getDouble(Elements.offset(coord, ss));
                    if (bias != null) {
                        v += bias.getDouble(Elements.offset(coord, sb));
                    }
                    Elements.setDouble(y, base + j, v);
                    Elements.next(coord, normShape);
                }
                if (mean != null) {
                    mean.floats()[r] = (float) m;
                }
                if (inv != null) {
                    inv.floats()[r] = (float) invStd;
                }
            }
            return new Tensor[] {y, mean, inv};
        };
    }
}
