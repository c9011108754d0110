package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * LayerNormalization over the last axis of token rows (layer_norm.cuh), optionally of the sum of
 * two inputs that it also stores (the internal AddLayerNormalization: a residual add and the
 * next block's norm in one pass).
 */
public final class LayerNormOp extends PlanOp {
    /** Size of LayerNormParams in layer_norm.cuh. */
    public static final int PARAMS_BYTES = 80;

    String a;
    String b;
    final String sumOutput;
    final String output;
    final String scaleName;
    final float[] scale;
    final String biasName;
    final float[] bias;
    final int width;
    final float epsilon;

    LayerNormOp(String node, String a, String b, String sumOutput, String output, String scaleName, float[] scale,
            String biasName, float[] bias, float epsilon) {
        super(node);
        this.a = a;
        this.b = b;
        this.sumOutput = sumOutput;
        this.output = output;
        this.scaleName = scaleName;
        this.scale = scale;
        this.biasName = biasName;
        this.bias = bias;
        this.width = scale.length;
        this.epsilon = epsilon;
    }

    @Override
    public List<String> reads() {
        return b == null ? List.of(a) : List.of(a, b);
    }

    @Override
    public List<String> writes() {
        return sumOutput == null ? List.of(output) : List.of(sumOutput, output);
    }

    @Override
    public void renameRead(String from, String to) {
        if (a.equals(from)) {
            a = to;
        }
        if (from.equals(b)) {
            b = to;
        }
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    @Override
    public boolean fillsPadding(String out, int pad, Padding p) {
        return true;
    }

    @Override
    public void emit(Emitter e) {
        TensorView va = e.view(a);
        TensorView vb = b == null ? null : e.view(b);
        TensorView vs = sumOutput == null ? null : e.view(sumOutput);
        TensorView vo = e.view(output);
        long s = e.constant(scaleName + "|f32", () -> DeviceType.floats(scale));
        long bi = bias == null ? 0 : e.constant(biasName + "|f32", () -> DeviceType.floats(bias));
        // One c_store for both outputs. Both are buffers of their own with the same channel stride
        // (writesSlices is false), so zeros written past a promise land in pad channels either way.
        int tail = Math.max(e.zeroTail(output), vs == null ? 0 : e.zeroTail(sumOutput));
        int store = Math.min(width + tail, vs == null ? vo.cs() : Math.min(vo.cs(), vs.cs()));
        int rows = Math.toIntExact(va.pixels());
        KernelArgs k = new KernelArgs().ptr(va.address()).ptr(vb == null ? 0 : vb.address()).ptr(s).ptr(bi)
                .ptr(vs == null ? 0 : vs.address()).ptr(vo.address());
        k.i32(rows).i32(width).i32(store).i32(va.cs()).i32(vb == null ? 0 : vb.cs()).i32(vs == null ? 0 : vs.cs())
                .i32(vo.cs()).f32(epsilon);
        e.launch(this, "layer_norm", "layer_norm_" + e.type().suffix(),
                LaunchGeometry.of((int) LaunchGeometry.ceilDiv(rows, 8), 1, 1, 256, 1, 1, 0), k.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        List<String> ins = new ArrayList<>(reads());
        return (b == null ? "LayerNorm " : "AddLayerNorm ") + node + " " + ins + " -> " + writes();
    }
}
