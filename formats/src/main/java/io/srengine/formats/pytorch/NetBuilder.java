package io.srengine.formats.pytorch;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a network's graph from a state dict, one PyTorch module at a time, in ONNX ops on NCHW
 * float32 values. It knows every value's channel count, so each weight is checked against what it
 * is applied to, and it records which tensors of the state dict were used, so that {@link #finish}
 * can refuse a checkpoint with weights the detected architecture does not have (a sign of a variant
 * it does not know).
 *
 * <p>The graph's input is {@value #INPUT} {@code [N, C, H, W]} and its output {@value #OUTPUT}
 * {@code [N, C', H*s, W*s]}, with H and W free.
 */
final class NetBuilder {
    public static final String INPUT = "input";
    public static final String OUTPUT = "network_output";
    /** Opset of the graphs built: Pad, Slice and Resize take their parameters as inputs. */
    public static final int OPSET = 17;

    private final StateDict sd;
    private final String arch;
    private final Graph graph;
    private final Map<String, Integer> channels = new HashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    private long parameters;
    private int counter;

    /**
     * @param arch the architecture's name, for messages and the graph's name
     */
    public NetBuilder(StateDict sd, String arch) {
        this.sd = sd;
        this.arch = arch;
        this.graph = new Graph(arch, OPSET);
    }

    public StateDict stateDict() {
        return sd;
    }

    /** Declares the input {@code [N, c, H, W]}. */
    public String input(int c) {
        graph.inputs().add(new ValueInfo(INPUT, new TensorType(DataType.FLOAT32,
                Shape.of(Dim.symbol("N"), Dim.of(c), Dim.symbol("H"), Dim.symbol("W")))));
        channels.put(INPUT, c);
        return INPUT;
    }

    /** The channel count of a value. */
    public int channels(String v) {
        Integer c = channels.get(v);
        if (c == null) {
            throw new SrException(ErrorCode.INTERNAL, arch + " builder: unknown value '" + v + "'");
        }
        return c;
    }

    // ---- weights ------------------------------------------------------------------------------

    /** A tensor of the state dict, marked as used, with its rank checked. */
    public Tensor weight(String key, int rank) {
        Tensor t = sd.tensor(key);
        if (t.rank() != rank || t.dataType() != DataType.FLOAT32) {
            throw invalid("tensor '" + key + "' has shape " + Arrays.toString(t.shape()) + " (" + t.dataType()
                    + "); " + arch + " expects a float tensor of rank " + rank);
        }
        if (used.add(key)) {
            parameters += t.size();
        }
        return t;
    }

    /** Marks tensors as read without building anything from them (e.g. folded into others). */
    public void consume(String... keys) {
        for (String k : keys) {
            if (used.add(k)) {
                parameters += sd.tensor(k).size();
            }
        }
    }

    /** Marks tensors as deliberately unused: buffers and precomputed copies that inference ignores. */
    public void ignore(String key) {
        sd.tensor(key);
        used.add(key);
    }

    public String constant(String prefix, Tensor t) {
        String name = prefix + "_" + (counter++);
        graph.initializers().put(name, t);
        return name;
    }

    /** A per-channel constant shaped {@code [1, C, 1, 1]} for broadcasting. */
    public String channelConstant(String prefix, float[] perChannel) {
        return constant(prefix, Tensor.of(perChannel.clone(), 1, perChannel.length, 1, 1));
    }

    // ---- layers -------------------------------------------------------------------------------

    /**
     * {@code nn.Conv2d} stored under {@code key} ({@code key.weight}, optional {@code key.bias}),
     * stride 1, zero padding {@code k/2} ("same" for odd kernels), groups from the channel counts.
     */
    public String conv(String x, String key) {
        Tensor w = weight(key + ".weight", 4);
        Tensor b = sd.has(key + ".bias") ? weight(key + ".bias", 1) : null;
        return conv(x, w, b, key);
    }

    /** {@code nn.Conv2d} stored under {@code key} with the given stride and zero padding on every side. */
    public String conv(String x, String key, int stride, int pad) {
        Tensor w = weight(key + ".weight", 4);
        Tensor b = sd.has(key + ".bias") ? weight(key + ".bias", 1) : null;
        return conv(x, w, b, key, stride, pad);
    }

    /** A convolution with the given OIHW weights and optional bias, "same" padding, stride 1. */
    public String conv(String x, Tensor w, Tensor b, String what) {
        return conv(x, w, b, what, 1, -1);
    }

    /** A convolution with the given stride and padding ({@code -1}: "same", {@code k/2}). */
    private String conv(String x, Tensor w, Tensor b, String what, int stride, int pad) {
        int cin = channels(x);
        int[] s = w.shape();
        if (s[1] == 0 || cin % s[1] != 0 || s[0] % (cin / s[1]) != 0 || s[2] % 2 == 0 || s[3] % 2 == 0) {
            throw invalid("convolution '" + what + "' has weights " + Arrays.toString(s) + " but is applied to "
                    + cin + " channels");
        }
        int groups = cin / s[1];
        List<String> ins = new ArrayList<>(List.of(x, constant(what + ".weight", w)));
        if (b != null) {
            if (b.size() != s[0]) {
                throw invalid("convolution '" + what + "' has " + s[0] + " filters but " + b.size() + " biases");
            }
            ins.add(constant(what + ".bias", b.reshape(s[0])));
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("kernel_shape", new long[] {s[2], s[3]});
        long ph = pad < 0 ? s[2] / 2 : pad;
        long pw = pad < 0 ? s[3] / 2 : pad;
        a.put("pads", new long[] {ph, pw, ph, pw});
        a.put("strides", new long[] {stride, stride});
        a.put("dilations", new long[] {1, 1});
        a.put("group", (long) groups);
        return op("Conv", ins, a, s[0]);
    }

    public String relu(String x) {
        return op("Relu", List.of(x), Map.of(), channels(x));
    }

    public String leakyRelu(String x, float alpha) {
        return op("LeakyRelu", List.of(x), Map.of("alpha", alpha), channels(x));
    }

    /** {@code nn.PReLU} stored as {@code key} (one slope, or one per channel). */
    public String prelu(String x, String key) {
        Tensor slope = weight(key, 1);
        int c = channels(x);
        if (slope.size() != 1 && slope.size() != c) {
            throw invalid("PReLU '" + key + "' has " + slope.size() + " slopes for " + c + " channels");
        }
        String s = constant(key, slope.reshape(slope.size(), 1, 1));
        return op("PRelu", List.of(x, s), Map.of(), c);
    }

    public String sigmoid(String x) {
        return op("Sigmoid", List.of(x), Map.of(), channels(x));
    }

    /** SiLU (swish): x * sigmoid(x). */
    public String silu(String x) {
        return mul(x, sigmoid(x));
    }

    /**
     * Mish, x * tanh(softplus(x)), without a logarithm: with u = e^x, tanh(ln(1 + u)) equals
     * n / (n + 2) for n = u (u + 2). x is clipped at 20 before the exponential, where the factor is
     * 1 in float32 already (PyTorch's softplus switches to the identity there too).
     */
    public String mish(String x) {
        int c = channels(x);
        String u = op("Exp", List.of(op("Clip", List.of(x, "", scalar(20)), Map.of(), c)), Map.of(), c);
        String n = mul(u, op("Add", List.of(u, scalar(2)), Map.of(), c));
        String ratio = op("Div", List.of(n, op("Add", List.of(n, scalar(2)), Map.of(), c)), Map.of(), c);
        return mul(x, ratio);
    }

    public String add(String a, String b) {
        return op("Add", List.of(a, b), Map.of(), Math.max(channelsOrOne(a), channelsOrOne(b)));
    }

    public String sub(String a, String b) {
        return op("Sub", List.of(a, b), Map.of(), Math.max(channelsOrOne(a), channelsOrOne(b)));
    }

    public String mul(String a, String b) {
        return op("Mul", List.of(a, b), Map.of(), Math.max(channelsOrOne(a), channelsOrOne(b)));
    }

    /** x * c. */
    public String scale(String x, float c) {
        return op("Mul", List.of(x, scalar(c)), Map.of(), channels(x));
    }

    /** x + c. */
    public String offset(String x, float c) {
        return op("Add", List.of(x, scalar(c)), Map.of(), channels(x));
    }

    public String scalar(float v) {
        return constant("const", Tensor.scalar(v));
    }

    private int channelsOrOne(String v) {
        Integer c = channels.get(v);
        if (c != null) {
            return c;
        }
        Tensor t = graph.initializers().get(v);
        return t != null && t.rank() == 4 ? t.dim(1) : 1;
    }

    public String concat(List<String> xs) {
        int c = 0;
        for (String x : xs) {
            c += channels(x);
        }
        return op("Concat", xs, Map.of("axis", 1L), c);
    }

    /** {@code nn.PixelShuffle(r)}: ONNX DepthToSpace in CRD order. */
    public String pixelShuffle(String x, int r) {
        int c = channels(x);
        if (c % (r * r) != 0) {
            throw invalid("a pixel shuffle by " + r + " on " + c + " channels");
        }
        if (r == 1) {
            return x;
        }
        return op("DepthToSpace", List.of(x), Map.of("blocksize", (long) r, "mode", "CRD"), c / (r * r));
    }

    /** {@code F.interpolate(x, scale_factor=s, mode="nearest")}. */
    public String upsampleNearest(String x, int s) {
        if (s == 1) {
            return x;
        }
        String scales = constant("scales", Tensor.of(new float[] {1, 1, s, s}, 4));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", "nearest");
        a.put("coordinate_transformation_mode", "asymmetric");
        a.put("nearest_mode", "floor");
        return op("Resize", List.of(x, "", scales), a, channels(x));
    }

    /** Channels {@code [from, to)} of x. */
    public String sliceChannels(String x, int from, int to) {
        String starts = constant("starts", Tensor.ofLongs(new long[] {from}, 1));
        String ends = constant("ends", Tensor.ofLongs(new long[] {to}, 1));
        String axes = constant("axes", Tensor.ofLongs(new long[] {1}, 1));
        return op("Slice", List.of(x, starts, ends, axes), Map.of(), to - from);
    }

    /**
     * The channels of x in the given order (repeats allowed): output channel {@code j} is input
     * channel {@code sources[j]}. Written as a 1x1 convolution with one weight of 1 per output, which
     * is exact (every other term is a zero product) and runs on every backend.
     */
    public String selectChannels(String x, int[] sources) {
        int c = channels(x);
        float[] w = new float[sources.length * c];
        for (int j = 0; j < sources.length; j++) {
            w[j * c + sources[j]] = 1f;
        }
        return conv(x, Tensor.of(w, sources.length, c, 1, 1), null, "select_channels");
    }

    /** Global average pooling to {@code [N, C, 1, 1]}. */
    public String globalAveragePool(String x) {
        return op("GlobalAveragePool", List.of(x), Map.of(), channels(x));
    }

    /** {@code nn.BatchNorm2d} in eval mode stored under {@code key}; folded into the previous conv later. */
    public String batchNorm(String x, String key, float eps) {
        int c = channels(x);
        List<String> ins = new ArrayList<>(List.of(x));
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
            Tensor t = weight(key + "." + p, 1);
            if (t.size() != c) {
                throw invalid("batch norm '" + key + "' has " + t.size() + " values of " + p + " for " + c + " channels");
            }
            ins.add(constant(key + "." + p, t));
        }
        if (sd.has(key + ".num_batches_tracked")) {
            ignore(key + ".num_batches_tracked");
        }
        return op("BatchNormalization", ins, Map.of("epsilon", eps), c);
    }

    /**
     * {@code nn.GroupNorm(groups, C)} stored under {@code key}: each group's channels normalised by
     * their mean and variance over the group and the whole image, then the per-channel affine map.
     * The groups are channel slices, so every value stays NCHW (as the CUDA backend requires).
     */
    public String groupNorm(String x, int groups, String key, float eps) {
        int c = channels(x);
        if (c % groups != 0) {
            throw invalid("group norm '" + key + "' splits " + c + " channels into " + groups + " groups");
        }
        int per = c / groups;
        List<String> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            parts.add(normalise(groups == 1 ? x : sliceChannels(x, g * per, (g + 1) * per), new long[] {1, 2, 3}, eps));
        }
        return affine(groups == 1 ? parts.getFirst() : concat(parts), key, c);
    }

    /** A LayerNorm over the channel axis of each pixel, stored under {@code key}. */
    public String channelLayerNorm(String x, String key, float eps) {
        return affine(normalise(x, new long[] {1}, eps), key, channels(x));
    }

    /** (x - mean) / sqrt(var + eps) over the axes, with the mean and (biased) variance kept broadcastable. */
    private String normalise(String x, long[] axes, float eps) {
        int c = channels(x);
        int reducedC = axes[0] == 1 ? 1 : c;
        Map<String, Object> reduce = Map.of("axes", axes.clone(), "keepdims", 1L);
        String mean = op("ReduceMean", List.of(x), reduce, reducedC);
        String centred = op("Sub", List.of(x, mean), Map.of(), c);
        String var = op("ReduceMean", List.of(mul(centred, centred)), reduce, reducedC);
        String std = op("Sqrt", List.of(op("Add", List.of(var, scalar(eps)), Map.of(), reducedC)), Map.of(), reducedC);
        return op("Div", List.of(centred, std), Map.of(), c);
    }

    private String affine(String x, String key, int c) {
        Tensor w = weight(key + ".weight", 1);
        Tensor b = weight(key + ".bias", 1);
        if (w.size() != c || b.size() != c) {
            throw invalid("normalisation '" + key + "' has " + w.size() + " weights and " + b.size() + " biases for "
                    + c + " channels");
        }
        String scaled = op("Mul", List.of(x, constant(key + ".weight", w.reshape(1, c, 1, 1))), Map.of(), c);
        return op("Add", List.of(scaled, constant(key + ".bias", b.reshape(1, c, 1, 1))), Map.of(), c);
    }

    /**
     * Real-ESRGAN's pixel unshuffle by {@code f} for inputs of any size: reflect-pad the bottom and
     * right edges to multiples of f, then SpaceToDepth. SpaceToDepth orders the output channels
     * (dy, dx, c) where PyTorch's pixel_unshuffle orders them (c, dy, dx); the caller's first conv
     * must take its input channels in that order ({@link #unshuffleOrder}).
     */
    public String padAndSpaceToDepth(String x, int f) {
        int c = channels(x);
        String shape = op("Shape", List.of(x), Map.of(), 1);
        String hw = op("Gather", List.of(shape, constant("hw", Tensor.ofLongs(new long[] {2, 3}, 2))), Map.of("axis", 0L), 1);
        // pad = (f - hw mod f) mod f, with integer division: hw mod f = hw - (hw / f) * f.
        String fc = constant("factor", Tensor.ofLongs(new long[] {f}, 1));
        String mod = op("Sub", List.of(hw, op("Mul", List.of(op("Div", List.of(hw, fc), Map.of(), 1), fc), Map.of(), 1)),
                Map.of(), 1);
        String rest = op("Sub", List.of(fc, mod), Map.of(), 1);
        String pad = op("Sub", List.of(rest, op("Mul", List.of(op("Div", List.of(rest, fc), Map.of(), 1), fc), Map.of(), 1)),
                Map.of(), 1);
        String pads = op("Concat", List.of(constant("zeros", Tensor.ofLongs(new long[] {0, 0, 0, 0, 0, 0}, 6)), pad),
                Map.of("axis", 0L), 1);
        String padded = op("Pad", List.of(x, pads), Map.of("mode", "reflect"), c);
        return op("SpaceToDepth", List.of(padded), Map.of("blocksize", (long) f), c * f * f);
    }

    /** For each SpaceToDepth output channel, the pixel_unshuffle channel it corresponds to. */
    public static int[] unshuffleOrder(int c, int f) {
        int[] order = new int[c * f * f];
        for (int dy = 0; dy < f; dy++) {
            for (int dx = 0; dx < f; dx++) {
                for (int k = 0; k < c; k++) {
                    order[(dy * f + dx) * c + k] = k * f * f + dy * f + dx;
                }
            }
        }
        return order;
    }

    /** The top-left {@code H*s x W*s} of x, where H and W are the graph input's size. */
    public String cropToInput(String x, int s) {
        String shape = op("Shape", List.of(INPUT), Map.of(), 1);
        String hw = op("Gather", List.of(shape, constant("hw", Tensor.ofLongs(new long[] {2, 3}, 2))), Map.of("axis", 0L), 1);
        String ends = op("Mul", List.of(hw, constant("scale", Tensor.ofLongs(new long[] {s}, 1))), Map.of(), 1);
        String starts = constant("starts", Tensor.ofLongs(new long[] {0, 0}, 2));
        String axes = constant("axes", Tensor.ofLongs(new long[] {2, 3}, 2));
        return op("Slice", List.of(x, starts, ends, axes), Map.of(), channels(x));
    }

    /** Adds a node with one output whose channel count is {@code c}; returns the output. */
    public String op(String type, List<String> inputs, Map<String, ?> attributes, int c) {
        String out = type.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
        graph.nodes().add(new Node(out, type, inputs, List.of(out), Attributes.of(attributes)));
        channels.put(out, c);
        return out;
    }

    // ---- the end ------------------------------------------------------------------------------

    /**
     * Names {@code result} the graph's output {@code [N, C, H*scale, W*scale]} and checks that every
     * tensor of the state dict was used or deliberately ignored.
     *
     * @throws SrException {@code UNSUPPORTED_OP} listing (some of) the unused tensors
     */
    public Network finish(String result, int scale, String description) {
        List<String> unused = new ArrayList<>();
        for (String k : sd.keys()) {
            if (!used.contains(k)) {
                unused.add(k);
            }
        }
        if (!unused.isEmpty()) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " looks like " + arch + " but has "
                    + unused.size() + " tensor(s) that " + arch + " as srengine builds it does not use, e.g. "
                    + unused.subList(0, Math.min(6, unused.size())) + "; it is a variant srengine does not know");
        }
        String out = op("Identity", List.of(result), Map.of(), channels(result));
        rename(out, OUTPUT);
        int c = channels(OUTPUT);
        graph.outputs().add(new ValueInfo(OUTPUT, new TensorType(DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(c),
                Dim.symbol("H").times(scale), Dim.symbol("W").times(scale)))));
        graph.validateReferences();
        return new Network(graph, arch, description, scale, channels(INPUT), c, parameters);
    }

    private void rename(String from, String to) {
        List<Node> nodes = graph.nodes();
        Node last = nodes.getLast();
        nodes.set(nodes.size() - 1, last.withOutputs(List.of(to)));
        channels.put(to, channels.get(from));
    }

    /** An {@code INVALID_MODEL} error about this checkpoint. */
    public SrException invalid(String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, sd.source() + " (" + arch + "): " + detail);
    }
}
