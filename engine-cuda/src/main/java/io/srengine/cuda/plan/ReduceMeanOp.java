package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/** ReduceMean with kept dims over any of N, C, H, W (thread per output, reduce_mean.cuh). */
public final class ReduceMeanOp extends UnaryOp {
    /** Size of ReduceMeanParams in reduce_mean.cuh. */
    public static final int PARAMS_BYTES = 56;

    /** Reduced flags in NCHW order. */
    final boolean[] reduced;

    ReduceMeanOp(String node, String input, String output, boolean[] reduced) {
        super(node, input, output);
        this.reduced = reduced.clone();
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address());
        a.i32(in.n()).i32(in.h()).i32(in.w()).i32(in.c()).i32(in.cs()).i32(out.cs());
        a.flag(reduced[0]).flag(reduced[2]).flag(reduced[3]).flag(reduced[1]);
        e.launch(this, "reduce_mean", "reduce_mean_" + e.type().suffix(),
                LaunchGeometry.linear(out.pixels() * out.c(), 256), a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "ReduceMean " + node + " " + input + " -> " + output;
    }
}
