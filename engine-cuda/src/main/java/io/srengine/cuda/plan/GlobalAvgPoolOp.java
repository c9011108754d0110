package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/**
 * Mean over the spatial axes (GlobalAveragePool, and ReduceMean over H and W with kept dims) in two
 * deterministic passes: per-split partial sums into scratch, then a finishing sum (global_avg_pool.cuh).
 */
public final class GlobalAvgPoolOp extends UnaryOp {
    /** Size of GapParams in global_avg_pool.cuh. */
    public static final int PARAMS_BYTES = 48;

    final int n, c, hw;

    GlobalAvgPoolOp(String node, String input, String output, int n, int c, int hw) {
        super(node, input, output);
        this.n = n;
        this.c = c;
        this.hw = hw;
    }

    /** Pixel splits: enough blocks to fill a large GPU, each split covering at least 64 rows of 8 pixels. */
    static int splits(int hw) {
        return Math.max(1, Math.min(256, hw / 512));
    }

    @Override
    public long scratchBytes(DeviceType type) {
        return (long) n * splits(hw) * c * 4;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        int splits = splits(hw);
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address()).ptr(e.scratch(this));
        a.i32(n).i32(hw).i32(c).i32(in.cs()).i32(out.cs()).i32(splits);
        java.nio.ByteBuffer params = a.finish(PARAMS_BYTES);
        String t = e.type().suffix();
        e.launch(this, "global_avg_pool", "gap_partial_" + t,
                LaunchGeometry.of(LaunchGeometry.ceilDiv(c, 32), n, splits, 32, 8, 1, 0), params);
        e.launch(this, "global_avg_pool", "gap_finish_" + t, LaunchGeometry.linear((long) n * c, 256), params);
    }

    @Override
    public String describe() {
        return "GlobalAveragePool " + node + " " + input + " -> " + output;
    }
}
