package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import io.srengine.ops.ResizeSpec;
import java.util.List;

/**
 * Resize of the spatial axes by the separable tables of {@link ResizeSpec#filter} (resize.cuh), so
 * nearest, linear and cubic follow exactly the reference's coordinate mapping.
 */
public final class ResizeOp extends UnaryOp {
    /** Size of ResizeParams in resize.cuh. */
    public static final int PARAMS_BYTES = 88;

    final ResizeSpec spec;

    ResizeOp(String node, ResizeSpec spec, String input, String output) {
        super(node, input, output);
        this.spec = spec;
    }

    public ResizeSpec spec() {
        return spec;
    }

    /**
     * The integer factor when this is a nearest upsampling that reads input cell {@code o / f} for
     * output cell {@code o} on both spatial axes (and keeps N and C), else 0. Such a resize can be
     * folded into a residual read of the convolution epilogue.
     */
    public int integerNearestFactor() {
        int[] in = spec.inputShape();
        int[] out = spec.outputShape();
        if (in[0] != out[0] || in[1] != out[1] || out[2] % in[2] != 0 || out[3] % in[3] != 0) {
            return 0;
        }
        int f = out[2] / in[2];
        if (out[3] / in[3] != f || f < 2) {
            return 0;
        }
        for (int axis = 2; axis <= 3; axis++) {
            ResizeSpec.AxisFilter t = spec.filter(axis);
            if (t.taps() != 1) {
                return 0;
            }
            for (int o = 0; o < out[axis]; o++) {
                if (t.extrapolate()[o] || t.index()[o] != o / f || t.weight()[o] != 1.0) {
                    return 0;
                }
            }
        }
        return f;
    }

    /** Interpolating zeros gives zeros, so zero pad channels after the input carry over. */
    @Override
    public boolean fillsPadding(String out, int pad, Padding p) {
        return p.zeroTail(input) >= pad;
    }

    @Override
    public List<String> paddingSources() {
        return List.of(input);
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        int channels = in.c() + e.zeroTail(output);
        ResizeSpec.AxisFilter fy = spec.filter(2);
        ResizeSpec.AxisFilter fx = spec.filter(3);
        String key = node + "|resize|" + in.h() + "x" + in.w();
        long iy = e.constant(key + "|iy", () -> DeviceType.ints(fy.index()));
        long wy = e.constant(key + "|wy", () -> DeviceType.floats(toFloats(fy.weight())));
        long ix = e.constant(key + "|ix", () -> DeviceType.ints(fx.index()));
        long wx = e.constant(key + "|wx", () -> DeviceType.floats(toFloats(fx.weight())));
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address()).ptr(iy).ptr(wy).ptr(ix).ptr(wx);
        a.i32(in.n()).i32(in.h()).i32(in.w()).i32(channels).i32(in.cs()).i32(out.h()).i32(out.w()).i32(out.cs());
        a.i32(fy.taps()).i32(fx.taps());
        long items = out.pixels() * channels;
        e.launch(this, "resize", "resize_" + e.type().suffix(), LaunchGeometry.linear(items, 256), a.finish(PARAMS_BYTES));
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public String describe() {
        return "Resize " + node + " " + spec.mode() + " " + input + " -> " + output;
    }
}
