package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/**
 * Pad of H and W as a gather through per-axis source tables (pad.cuh) computed with the reference's
 * own rules ({@link io.srengine.ops.PadOp#sourceIndex}), so crops and every mode match exactly.
 */
public final class PadOp extends UnaryOp {
    /** Size of PadParams in pad.cuh. */
    public static final int PARAMS_BYTES = 72;

    final int[] rows;
    final int[] cols;
    final float value;

    /**
     * @param rows the input row each output row reads, -1 for the constant
     * @param cols the input column each output column reads, -1 for the constant
     */
    PadOp(String node, String input, String output, int[] rows, int[] cols, float value) {
        super(node, input, output);
        this.rows = rows.clone();
        this.cols = cols.clone();
        this.value = value;
    }

    /** The source table of one axis under the reference's rules. */
    static int[] table(io.srengine.ops.PadOp.Mode mode, int outSize, int size, long begin, long end) {
        int[] t = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            t[o] = Math.toIntExact(io.srengine.ops.PadOp.sourceIndex(mode, o, size, begin, end));
        }
        return t;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        long iy = e.constant(node + "|pad|rows|" + in.h(), () -> DeviceType.ints(rows));
        long ix = e.constant(node + "|pad|cols|" + in.w(), () -> DeviceType.ints(cols));
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address()).ptr(iy).ptr(ix);
        a.i32(in.n()).i32(in.h()).i32(in.w()).i32(in.c()).i32(in.cs()).i32(out.h()).i32(out.w()).i32(out.cs());
        a.f32(value);
        e.launch(this, "pad", "pad_" + e.type().suffix(), LaunchGeometry.linear(out.pixels() * out.c(), 256),
                a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "Pad " + node + " " + input + " -> " + output;
    }
}
