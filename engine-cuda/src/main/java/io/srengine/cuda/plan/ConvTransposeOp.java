package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import io.srengine.ops.ConvTransposeSpec;
import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;

/** A 2-D ConvTranspose with the shared convolution epilogue (gather kernel, fp32 accumulation). */
public final class ConvTransposeOp extends PlanOp {
    /** Size of ConvTransposeParams in conv_transpose.cuh. */
    public static final int PARAMS_BYTES = 192;

    final ConvTransposeSpec spec;
    String input;
    String output;
    final String weightName;
    final Tensor weight;
    final String biasName;
    final Tensor bias;
    final EpilogueSpec epilogue = new EpilogueSpec();

    ConvTransposeOp(String node, ConvTransposeSpec spec, String input, String output, String weightName, Tensor weight,
            String biasName, Tensor bias, FusedActivation activation) {
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

    public EpilogueSpec epilogue() {
        return epilogue;
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

    @Override
    public void emit(Emitter e) {
        DeviceType type = e.type();
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        TensorView res = epilogue.residual == null ? null : e.view(epilogue.residual);
        int k = spec.outChannels();
        int r = spec.kernel(0);
        int s = spec.kernel(1);
        long w = e.constant(weightName + "|convT|" + type, () -> type.encode(WeightPacking.convTranspose(
                weight.toFloatArray(), spec.group(), spec.inChannelsPerGroup(), spec.outChannelsPerGroup(), r, s)));
        long b = bias == null ? 0 : e.constant(biasName + "|f32", () -> DeviceType.floats(bias.toFloatArray()));
        long slope = epilogue.activation.slope() == null ? 0
                : e.constant(node + "|prelu", () -> DeviceType.floats(epilogue.activation.slope()));
        KernelArgs a = new KernelArgs();
        epilogue.pack(a, k, k, b, slope, out, res, false);
        a.ptr(in.address()).ptr(w);
        a.i32(spec.batch()).i32(spec.inputSize(0)).i32(spec.inputSize(1)).i32(spec.inChannels());
        a.i32(in.cs()).i32(spec.outputSize(0)).i32(spec.outputSize(1)).i32(r).i32(s);
        a.i32(spec.stride(0)).i32(spec.stride(1)).i32(spec.padBegin(0)).i32(spec.padBegin(1));
        a.i32(spec.dilation(0)).i32(spec.dilation(1)).i32(spec.group());
        long items = (long) spec.batch() * spec.outputSize(0) * spec.outputSize(1) * k;
        e.launch(this, "conv_transpose", "conv_transpose_" + type.suffix(), LaunchGeometry.linear(items, 256),
                a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "ConvTranspose " + node + " " + input + " -> " + output + " " + spec.inChannels() + "->" + spec.outChannels()
                + epilogue.describe();
    }
}
