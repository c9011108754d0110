package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2-D Conv with its fused epilogue. Runs on the tensor-core kernel when the precision is 16-bit,
 * the convolution is not grouped and the input's channels can be read 16 bytes at a time (a
 * multiple of 8, or followed by zero pad channels in their buffer, which the packed weights cover
 * with zeros); otherwise on the CUDA-core kernel. When its output ends a buffer whose pad channels
 * a later convolution reads, the epilogue writes them as zeros.
 */
public final class ConvOp extends PlanOp {
    /** Size of Conv2dParams in conv2d.cuh. */
    public static final int PARAMS_BYTES = 192;

    final ConvSpec spec;
    String input;
    String output;
    final String weightName;
    final Tensor weight;
    final String biasName;
    final Tensor bias;
    final EpilogueSpec epilogue = new EpilogueSpec();
    /**
     * A transformer's Linear over token rows (a 1x1 convolution whose pixels are the rows): its
     * output is a token sequence, which pixel shuffle and NCHW output fusions must not touch.
     */
    boolean tokens;
    ConvOp(String node, ConvSpec spec, String input, String output, String weightName, Tensor weight, String biasName,
            Tensor bias, FusedActivation activation) {
        super(node);
        this.spec = spec;
        this.input = input;
        this.output = output;
        this.weightName = weightName;
        this.weight = weight;
        this.biasName = biasName;
        this.bias = bias;
        this.epilogue.activation = activation;
    }

    public ConvSpec spec() {
        return spec;
    }

    public EpilogueSpec epilogue() {
        return epilogue;
    }

    public String output() {
        return output;
    }

    @Override
    public List<String> reads() {
        List<String> r = new ArrayList<>(List.of(input));
        if (epilogue.residual != null) {
            r.add(epilogue.residual);
        }
        return r;
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        if (input.equals(from)) {
            input = to;
        }
        if (from.equals(epilogue.residual)) {
            epilogue.residual = to;
        }
    }

    @Override
    public boolean writesSlices() {
        return !epilogue.nchwOutput;
    }

    /**
     * Channels the tensor-core kernel reads per pixel: the input's, or the input's rounded up to a
     * multiple of 8 when zero pad channels follow it; -1 if it cannot run.
     */
    int tensorCoreChannels(Emitter e, TensorView in) {
        if (!e.type().tensorCores() || spec.group() != 1 || !in.vector8(e.type())) {
            return -1;
        }
        int c = spec.inChannels();
        if (c % 8 == 0) {
            return c;
        }
        int padded = WeightPacking.ceil8(c);
        return c + e.zeroTail(input) >= padded ? padded : -1;
    }

    /** Whether the tensor-core kernel would read pad channels after the input (which must then be zeros). */
    boolean readsPadding(DeviceType type) {
        return type.tensorCores() && spec.group() == 1 && spec.inChannels() % 8 != 0;
    }

    private boolean canFillPadding() {
        return spec.group() == 1 && epilogue.pixelShuffle == 1 && !epilogue.nchwOutput;
    }

    @Override
    public boolean fillsPadding(String out, int pad, Padding p) {
        return canFillPadding();
    }

    @Override
    public void emit(Emitter e) {
        DeviceType type = e.type();
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        TensorView res = epilogue.residual == null ? null : e.view(epilogue.residual);
        int k = spec.outChannels();
        int r = spec.kernel(0);
        int s = spec.kernel(1);
        int tcChannels = tensorCoreChannels(e, in);
        int cg = spec.inChannelsPerGroup();
        int packedC = tcChannels > 0 ? tcChannels : cg;
        long w = e.constant(weightName + "|conv|" + type + "|" + packedC,
                () -> type.encode(WeightPacking.conv(weight.toFloatArray(), k, cg, r, s, packedC)));
        long b = bias == null ? 0 : e.constant(biasName + "|f32", () -> DeviceType.floats(bias.toFloatArray()));
        long slope = epilogue.activation.slope() == null ? 0
                : e.constant(node + "|prelu", () -> DeviceType.floats(epilogue.activation.slope()));
        boolean vec8 = tcChannels > 0 && epilogue.pixelShuffle == 1 && out.vector8(type)
                && (res == null || res.vector8(type));
        int kStore = k + (canFillPadding() ? e.zeroTail(output) : 0);

        KernelArgs a = new KernelArgs();
        epilogue.pack(a, k, kStore, b, slope, out, res, vec8);
        a.ptr(in.address()).ptr(w);
        a.i32(spec.batch()).i32(spec.inputSize(0)).i32(spec.inputSize(1)).i32(tcChannels > 0 ? tcChannels : spec.inChannels());
        a.i32(in.cs()).i32(spec.outputSize(0)).i32(spec.outputSize(1)).i32(r).i32(s);
        a.i32(spec.stride(0)).i32(spec.stride(1)).i32(spec.padBegin(0)).i32(spec.padBegin(1));
        a.i32(spec.dilation(0)).i32(spec.dilation(1)).i32(spec.group());
        long m = (long) spec.batch() * spec.outputSize(0) * spec.outputSize(1);
        if (tcChannels > 0) {
            boolean halo = ConvTiling.haloApplies(spec.stride(0), spec.stride(1), r, s, tcChannels);
            ConvTiling t = ConvTiling.resolve(e.forcedTiling(), k, halo);
            LaunchGeometry g = LaunchGeometry.of((int) t.pixelBlocks(spec.batch(), spec.outputSize(0), spec.outputSize(1)),
                    LaunchGeometry.ceilDiv(k, t.bn()), 1, t.threads(), 1, 1,
                    t.sharedBytes(r, s, spec.dilation(0), spec.dilation(1)));
            e.launch(this, "conv2d", t.kernel(type), g, a.finish(PARAMS_BYTES));
        } else {
            LaunchGeometry g = LaunchGeometry.of((int) LaunchGeometry.ceilDiv(m, 64),
                    LaunchGeometry.ceilDiv(spec.outChannelsPerGroup(), 64), spec.group(), 256, 1, 1, 0);
            e.launch(this, "conv2d", "conv2d_simt_" + type.suffix(), g, a.finish(PARAMS_BYTES));
        }
    }

    @Override
    public String describe() {
        return "Conv " + node + " " + input + " -> " + output + " " + spec.inChannels() + "->" + spec.outChannels() + " k"
                + spec.kernel(0) + "x" + spec.kernel(1) + (spec.group() > 1 ? " g" + spec.group() : "") + epilogue.describe();
    }
}
