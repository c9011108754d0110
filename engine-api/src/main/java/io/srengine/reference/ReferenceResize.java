package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ResizeSpec;
import io.srengine.ops.ResizeSpec.AxisFilter;

/**
 * ONNX Resize, every mode on any number of axes. The interpolation is separable, so this kernel
 * resizes one axis at a time with the table {@link ResizeSpec#filter} gives, in double throughout;
 * axes that keep their size and map each cell to itself are skipped.
 */
final class ReferenceResize implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor xt = ctx.input(0);
        ResizeSpec spec = ResizeSpec.of(ctx.node(), xt.shape(), empty(ctx.input(1)), empty(ctx.input(2)),
                empty(ctx.input(3)));
        float[] x = SpatialSupport.floats(xt);
        double[] cur = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            cur[i] = x[i];
        }
        int[] shape = xt.shape();
        for (int axis = 0; axis < shape.length; axis++) {
            AxisFilter f = spec.filter(axis);
            if (!isIdentity(f, shape[axis])) {
                cur = resizeAxis(cur, shape, axis, f, spec.extrapolationValue());
                shape[axis] = f.extrapolate().length;
            }
        }
        float[] y = new float[cur.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) cur[i];
        }
        return new Tensor[] {SpatialSupport.output(ctx, 0, y, spec.outputShape())};
    }

    private static Tensor empty(Tensor t) {
        return t == null || t.size() == 0 ? null : t;
    }

    private static boolean isIdentity(AxisFilter f, int in) {
        if (f.taps() != 1 || f.extrapolate().length != in) {
            return false;
        }
        for (int o = 0; o < in; o++) {
            if (f.index()[o] != o || f.weight()[o] != 1 || f.extrapolate()[o]) {
                return false;
            }
        }
        return true;
    }

    /** {@code data} of {@code shape} resized along {@code axis} to the filter's output length. */
    private static double[] resizeAxis(double[] data, int[] shape, int axis, AxisFilter f, double extrapolation) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int in = shape[axis];
        int out = f.extrapolate().length;
        int taps = f.taps();
        double[] result = new double[outer * out * inner];
        for (int a = 0; a < outer; a++) {
            for (int o = 0; o < out; o++) {
                int dst = (a * out + o) * inner;
                if (f.extrapolate()[o]) {
                    java.util.Arrays.fill(result, dst, dst + inner, extrapolation);
                    continue;
                }
                for (int t = 0; t < taps; t++) {
                    double w = f.weight()[o * taps + t];
                    int src = (a * in + f.index()[o * taps + t]) * inner;
                    for (int b = 0; b < inner; b++) {
                        result[dst + b] += w * data[src + b];
                    }
                }
            }
        }
        return result;
    }
}
