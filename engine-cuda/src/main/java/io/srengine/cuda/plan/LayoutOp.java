package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.List;

/**
 * Conversion between a graph input's or output's float32 NCHW staging buffer and the device's NHWC
 * activation in the session's precision (layout.cuh).
 */
public final class LayoutOp extends PlanOp {
    /** Size of LayoutParams in layout.cuh. */
    public static final int PARAMS_BYTES = 40;

    String from;
    final String to;
    /** True: NCHW staging to NHWC; false: NHWC to NCHW staging. */
    final boolean toNhwc;

    LayoutOp(String node, String from, String to, boolean toNhwc) {
        super(node);
        this.from = from;
        this.to = to;
        this.toNhwc = toNhwc;
    }

    @Override
    public List<String> reads() {
        return List.of(from);
    }

    @Override
    public List<String> writes() {
        return List.of(to);
    }

    @Override
    public void renameRead(String old, String now) {
        if (from.equals(old)) {
            from = now;
        }
    }

    @Override
    public boolean writesSlices() {
        return toNhwc;
    }

    @Override
    public boolean fillsPadding(String output, int pad, Padding p) {
        return toNhwc;
    }

    @Override
    public void emit(Emitter e) {
        TensorView src = e.view(from);
        TensorView dst = e.view(to);
        TensorView nhwc = toNhwc ? dst : src;
        // The staging buffer's shape indexes both sides: for an image it is the activation's; a token
        // sequence (rows of C, see Tokens) is staged as (rows, C, 1, 1), whose NCHW order is the
        // sequence's row-major order and whose NHWC order is the activation's rows of cs.
        TensorView staged = toNhwc ? src : dst;
        // Pad channels after an input (RGB stored as 8 channels) that a tensor-core convolution reads.
        int cPad = toNhwc ? staged.c() + e.zeroTail(to) : staged.c();
        KernelArgs a = new KernelArgs().ptr(src.address()).ptr(dst.address());
        a.i32(staged.n()).i32(staged.c()).i32(staged.h()).i32(staged.w()).i32(nhwc.cs()).i32(cPad);
        int channels = toNhwc ? cPad : staged.c();
        LaunchGeometry g = LaunchGeometry.of(LaunchGeometry.ceilDiv(staged.h() * staged.w(), 32),
                LaunchGeometry.ceilDiv(channels, 32), staged.n(), 32, 8, 1, 0);
        String t = e.type().suffix();
        String fn = toNhwc ? "nchw_f32_to_nhwc_" + t : "nhwc_" + t + "_to_nchw_f32";
        e.launch(this, "layout", fn, g, a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return (toNhwc ? "ToNHWC " : "ToNCHW ") + from + " -> " + to;
    }
}
