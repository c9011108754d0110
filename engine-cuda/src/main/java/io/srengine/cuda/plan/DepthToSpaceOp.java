package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/** DepthToSpace as its own kernel, where it could not be fused into the producing convolution. */
public final class DepthToSpaceOp extends UnaryOp {
    /** Size of DepthToSpaceParams in depth_to_space.cuh. */
    public static final int PARAMS_BYTES = 48;

    final int blockSize;
    final boolean dcr;

    DepthToSpaceOp(String node, String input, String output, int blockSize, boolean dcr) {
        super(node, input, output);
        this.blockSize = blockSize;
        this.dcr = dcr;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address());
        a.i32(in.n()).i32(in.h()).i32(in.w()).i32(in.c()).i32(in.cs()).i32(out.cs()).i32(blockSize).flag(dcr);
        e.launch(this, "depth_to_space", "depth_to_space_" + e.type().suffix(),
                LaunchGeometry.linear(out.pixels() * out.c(), 256), a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "DepthToSpace " + node + " r" + blockSize + (dcr ? " DCR " : " CRD ") + input + " -> " + output;
    }
}
