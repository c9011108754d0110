package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.ops.FusedActivation;

/**
 * The fused tail of a convolution (see the Epilogue struct in common.cuh): activation, a scale, a
 * residual add (optionally nearest-upsampled by an integer factor), pixel shuffle, and where the
 * result goes. Fusion passes fill it in; {@link #pack} writes the struct.
 */
public final class EpilogueSpec {
    /** Size of the Epilogue struct in common.cuh. */
    public static final int BYTES = 112;

    FusedActivation activation = FusedActivation.NONE;
    /** GELU after the bias (a transformer's Linear), which FusedActivation does not name: 0, or act code 7 / 8. */
    int gelu;
    float scale = 1f;
    String residual;
    int residualDiv = 1;
    int pixelShuffle = 1;
    boolean dcr;
    /** Writes the graph output directly as float32 NCHW. */
    boolean nchwOutput;

    public FusedActivation activation() {
        return activation;
    }

    public float scale() {
        return scale;
    }

    public String residual() {
        return residual;
    }

    public int residualDiv() {
        return residualDiv;
    }

    public int pixelShuffle() {
        return pixelShuffle;
    }

    public boolean dcr() {
        return dcr;
    }

    public boolean nchwOutput() {
        return nchwOutput;
    }

    /** common.cuh's ACT_GELU (erf form) and ACT_GELU_TANH. */
    static final int GELU = 7;
    static final int GELU_TANH = 8;

    /** The activation code of common.cuh's {@code enum Act}. */
    static int actCode(FusedActivation.Kind k) {
        return switch (k) {
            case NONE -> 0;
            case RELU -> 1;
            case LEAKY_RELU -> 2;
            case PRELU -> 3;
            case SIGMOID -> 4;
            case TANH -> 5;
            case CLIP -> 6;
        };
    }

    /**
     * Packs the struct.
     *
     * @param k conv output channels
     * @param kStore channels written per output pixel: k, or more to write zeros into pad channels
     *     after them (NHWC output without pixel shuffle only)
     * @param bias device address of K floats, or 0
     * @param slope device address of the PReLU slopes, or 0
     * @param out the output view (its shape is after pixel shuffle)
     * @param res the residual view, or null
     * @param vec8 whether the kernel may use 16-byte stores and residual loads
     */
    void pack(KernelArgs a, int k, int kStore, long bias, long slope, TensorView out, TensorView res, boolean vec8) {
        if (kStore != k && (pixelShuffle != 1 || out.nchwF32() || kStore < k || kStore > out.cs())) {
            throw new IllegalArgumentException("pad channels " + k + ".." + kStore + " cannot be written to " + out);
        }
        a.ptr(bias).ptr(slope).ptr(res == null ? 0 : res.address()).ptr(out.address());
        a.i32(k).i32(gelu != 0 ? gelu : actCode(activation.kind()));
        a.i32(activation.slope() == null ? 1 : activation.slope().length);
        a.i32(pixelShuffle).flag(dcr).flag(out.nchwF32()).i32(out.cs()).i32(out.h()).i32(out.w());
        a.i32(res == null ? 0 : res.cs()).i32(residualDiv).i32(res == null ? 0 : res.h()).i32(res == null ? 0 : res.w());
        a.flag(vec8);
        a.f32(activation.alpha()).f32(activation.min()).f32(activation.max()).f32(scale);
        a.i32(kStore).i32(0);
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (!activation.isNone()) {
            sb.append(" +").append(activation.kind());
        }
        if (gelu != 0) {
            sb.append(gelu == GELU ? " +GELU" : " +GELU_TANH");
        }
        if (scale != 1f) {
            sb.append(" *").append(scale);
        }
        if (residual != null) {
            sb.append(" +res(").append(residual).append(residualDiv > 1 ? " /" + residualDiv : "").append(')');
        }
        if (pixelShuffle > 1) {
            sb.append(" shuffle").append(pixelShuffle).append(dcr ? "dcr" : "crd");
        }
        if (nchwOutput) {
            sb.append(" ->nchw");
        }
        return sb.toString();
    }
}
