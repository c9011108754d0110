package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/** MaxPool / AveragePool (and GlobalMaxPool as a window over the whole image) on the pool kernel. */
public final class PoolOp extends UnaryOp {
    /** Size of PoolParams in pool.cuh. */
    public static final int PARAMS_BYTES = 96;

    final boolean max;
    final boolean countIncludePad;
    /** kernel, stride, pad begin, pad end, dilation; each {h, w}. */
    final int[] kernel, stride, padBegin, padEnd, dilation;

    PoolOp(String node, String input, String output, boolean max, boolean countIncludePad, int[] kernel, int[] stride,
            int[] padBegin, int[] padEnd, int[] dilation) {
        super(node, input, output);
        this.max = max;
        this.countIncludePad = countIncludePad;
        this.kernel = kernel;
        this.stride = stride;
        this.padBegin = padBegin;
        this.padEnd = padEnd;
        this.dilation = dilation;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address());
        a.i32(in.n()).i32(in.h()).i32(in.w()).i32(in.c()).i32(in.cs()).i32(out.h()).i32(out.w()).i32(out.cs());
        a.i32(kernel[0]).i32(kernel[1]).i32(stride[0]).i32(stride[1]).i32(padBegin[0]).i32(padBegin[1]);
        a.i32(padEnd[0]).i32(padEnd[1]).i32(dilation[0]).i32(dilation[1]).flag(max).flag(countIncludePad);
        e.launch(this, "pool", "pool_" + e.type().suffix(), LaunchGeometry.linear(out.pixels() * out.c(), 256),
                a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return (max ? "MaxPool " : "AveragePool ") + node + " " + input + " -> " + output;
    }
}
