package io.srengine.formats.tfjs;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates Keras layers, one call at a time, into NCHW ONNX nodes of a {@link Graph}. Keeps the
 * NCHW shape of every value so that each layer can be checked against its weights and inputs, and
 * so that the graph output can be declared with its symbolic size.
 */
final class KerasLayers {
    private static final Pattern PIXEL_SHUFFLE = Pattern.compile("PixelShuffle(\\d+)x");
    /** NHWC axis → NCHW axis for rank-4 values. */
    private static final int[] NHWC_TO_NCHW = {0, 2, 3, 1};

    private final Graph graph;
    private final Map<String, TfjsWeights.Weight> weights;
    private final Set<String> usedWeights = new LinkedHashSet<>();
    private final Map<String, Img> shapes = new HashMap<>();
    private final String source;
    private long parameters;

    /** The NCHW shape of an image-like value; channels are always known. */
    private record Img(Dim n, long c, Dim h, Dim w) {
        Shape shape() {
            return Shape.of(n, Dim.of(c), h, w);
        }
    }

    KerasLayers(Graph graph, Map<String, TfjsWeights.Weight> weights, String source) {
        this.graph = graph;
        this.weights = weights;
        this.source = source;
    }

    /** Declares an InputLayer as a graph input {@code [N, C, H, W]}. */
    void input(String name, Cfg cfg) {
        String ctx = where("InputLayer", name);
        Object shapeField = cfg.has("batch_input_shape") ? cfg.raw("batch_input_shape") : cfg.raw("batchInputShape");
        if (shapeField == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has no batch_input_shape");
        }
        List<Object> s = Cfg.asList(shapeField, ctx + ", batch_input_shape");
        if (s.size() != 4) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " has input shape " + s
                    + "; only images (rank 4, NHWC) are supported");
        }
        if (s.get(3) == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " leaves the channel count open: " + s);
        }
        String dtype = cfg.str("dtype", "float32");
        if (!dtype.equals("float32")) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " takes " + dtype + "; only float32 inputs are supported");
        }
        Img img = new Img(dim(s.get(0), "N", ctx), Cfg.toInt(s.get(3), ctx), dim(s.get(1), "H", ctx), dim(s.get(2), "W", ctx));
        shapes.put(name, img);
        graph.inputs().add(new ValueInfo(name, new TensorType(DataType.FLOAT32, img.shape())));
    }

    private static Dim dim(Object v, String symbol, String ctx) {
        return v == null ? Dim.symbol(symbol) : Dim.of(Cfg.toInt(v, ctx + ", batch_input_shape"));
    }

    /** Marks a value as a graph output. */
    void output(String value) {
        Img img = shapes.get(value);
        if (img == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " declares output '" + value
                    + "', which no layer produces");
        }
        graph.outputs().add(new ValueInfo(value, new TensorType(DataType.FLOAT32, img.shape())));
    }

    /**
     * Ends the translation: fails if the manifest holds weights that no layer used (a sign of a layer
     * read wrongly) and records the parameter count as metadata {@code parameters}.
     */
    void finish() {
        List<String> unused = new ArrayList<>(weights.keySet());
        unused.removeAll(usedWeights);
        if (!unused.isEmpty()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " has weights that no layer of its topology uses: " + unused);
        }
        graph.metadata().put(ModelMetadata.PARAMETERS, Long.toString(parameters));
    }

    /** Translates one call of a layer reading {@code inputs} and producing {@code output}. */
    void convert(String cls, String name, Cfg cfg, List<String> inputs, String output) {
        String ctx = where(cls, name);
        List<Img> in = new ArrayList<>();
        for (String i : inputs) {
            Img s = shapes.get(i);
            if (s == null) {
                throw new SrException(ErrorCode.INVALID_MODEL, ctx + " reads '" + i + "', which no earlier layer produces");
            }
            in.add(s);
        }
        Matcher shuffle = PIXEL_SHUFFLE.matcher(cls);
        Img out = switch (cls) {
            case "Conv2D" -> conv2d(ctx, name, cfg, single(ctx, inputs), in.getFirst(), output);
            case "Concatenate" -> concatenate(ctx, name, cfg, inputs, in, output);
            case "Add" -> add(ctx, name, inputs, in, output);
            case "Activation" -> {
                activation(ctx, name, cfg.str("activation"), single(ctx, inputs), output, true);
                yield in.getFirst();
            }
            case "ReLU" -> relu(ctx, name, cfg, single(ctx, inputs), in.getFirst(), output);
            case "LeakyReLU" -> {
                node(name, "LeakyRelu", List.of(single(ctx, inputs)), output,
                        Map.of("alpha", (float) cfg.num("alpha", 0.3)));
                yield in.getFirst();
            }
            case "UpSampling2D" -> upsampling(ctx, name, cfg, single(ctx, inputs), in.getFirst(), output);
            case "MultiplyBeta" -> {
                String beta = constant(name + "/beta", (float) cfg.num("beta", 0.2));
                node(name, "Mul", List.of(single(ctx, inputs), beta), output, Map.of());
                yield in.getFirst();
            }
            default -> {
                if (shuffle.matches()) {
                    yield pixelShuffle(ctx, name, cfg, Integer.parseInt(shuffle.group(1)), single(ctx, inputs),
                            in.getFirst(), output);
                }
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "layer '" + name + "' of class " + cls + " in "
                        + source + " cannot be imported: srengine translates InputLayer, Conv2D, Concatenate, Add,"
                        + " Activation, ReLU, LeakyReLU, UpSampling2D (nearest), MultiplyBeta and PixelShuffle<s>x");
            }
        };
        shapes.put(output, out);
    }

    private Img conv2d(String ctx, String name, Cfg cfg, String input, Img in, String output) {
        channelsLast(ctx, cfg);
        int filters = cfg.integer("filters", -1);
        int[] k = cfg.ints("kernel_size", 2, -1);
        int[] stride = cfg.ints("strides", 2, 1);
        int[] dil = cfg.ints("dilation_rate", 2, 1);
        int groups = cfg.integer("groups", 1);
        String padding = cfg.str("padding", "valid");
        if (filters <= 0 || k[0] <= 0 || k[1] <= 0 || stride[0] <= 0 || stride[1] <= 0 || dil[0] <= 0 || dil[1] <= 0
                || groups <= 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has an invalid configuration: filters " + filters
                    + ", kernel_size " + java.util.Arrays.toString(k) + ", strides " + java.util.Arrays.toString(stride)
                    + ", dilation_rate " + java.util.Arrays.toString(dil) + ", groups " + groups);
        }
        if (in.c % groups != 0 || filters % groups != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + ": " + in.c + " input channels and " + filters
                    + " filters cannot be split into " + groups + " groups");
        }
        TfjsWeights.Weight kernel = weight(ctx, name, "kernel", new int[] {k[0], k[1], (int) (in.c / groups), filters});
        List<String> convInputs = new ArrayList<>(List.of(input, kernelOihw(name, kernel)));
        if (cfg.bool("use_bias", true)) {
            TfjsWeights.Weight bias = weight(ctx, name, "bias", new int[] {filters});
            graph.initializers().put(name + "/bias", Tensor.of(bias.values().clone(), filters));
            convInputs.add(name + "/bias");
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("kernel_shape", new long[] {k[0], k[1]});
        attrs.put("strides", new long[] {stride[0], stride[1]});
        attrs.put("dilations", new long[] {dil[0], dil[1]});
        attrs.put("group", (long) groups);
        Dim h;
        Dim w;
        switch (padding) {
            case "valid" -> {
                attrs.put("pads", new long[] {0, 0, 0, 0});
                h = in.h.minus((long) (k[0] - 1) * dil[0] + 1).floorDiv(stride[0]).plus(1);
                w = in.w.minus((long) (k[1] - 1) * dil[1] + 1).floorDiv(stride[1]).plus(1);
            }
            case "same" -> {
                if (stride[0] == 1 && stride[1] == 1) {
                    // TensorFlow pads (k-1)*d in total and puts the odd pixel after: bottom and right.
                    long th = (long) (k[0] - 1) * dil[0];
                    long tw = (long) (k[1] - 1) * dil[1];
                    attrs.put("pads", new long[] {th / 2, tw / 2, th - th / 2, tw - tw / 2});
                } else {
                    // With strides the total depends on the input size, which is not fixed; SAME_UPPER is
                    // TensorFlow's rule (extra padding at the end) evaluated at run time.
                    attrs.put("auto_pad", "SAME_UPPER");
                }
                h = in.h.ceilDiv(stride[0]);
                w = in.w.ceilDiv(stride[1]);
            }
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " uses padding '" + padding
                    + "'; only 'same' and 'valid' are supported");
        }
        String act = cfg.str("activation", "linear");
        boolean linear = act.equals("linear");
        String convOut = linear ? output : output + "/pre_activation";
        node(name, "Conv", convInputs, convOut, attrs);
        if (!linear) {
            activation(ctx, name + "/activation", act, convOut, output, false);
        }
        return new Img(in.n, filters, h, w);
    }

    /** Registers the kernel as an OIHW initializer: {@code oihw[o][i][y][x] = hwio[y][x][i][o]}. */
    private String kernelOihw(String layer, TfjsWeights.Weight kernel) {
        int[] s = kernel.shape();
        int kh = s[0];
        int kw = s[1];
        int ci = s[2];
        int co = s[3];
        float[] src = kernel.values();
        float[] dst = new float[src.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < ci; i++) {
                    int from = ((y * kw + x) * ci + i) * co;
                    for (int o = 0; o < co; o++) {
                        dst[((o * ci + i) * kh + y) * kw + x] = src[from + o];
                    }
                }
            }
        }
        String value = layer + "/kernel";
        graph.initializers().put(value, Tensor.of(dst, co, ci, kh, kw));
        return value;
    }

    private Img concatenate(String ctx, String name, Cfg cfg, List<String> inputs, List<Img> in, String output) {
        if (inputs.size() < 2) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " concatenates " + inputs.size() + " input(s)");
        }
        int axis = cfg.integer("axis", -1);
        if (axis < -4 || axis > 3) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has axis " + axis + " for rank-4 inputs");
        }
        int nchw = NHWC_TO_NCHW[axis < 0 ? axis + 4 : axis];
        if (nchw != 1) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " concatenates along NHWC axis " + axis
                    + "; only the channel axis is supported");
        }
        long c = 0;
        for (int i = 0; i < in.size(); i++) {
            sameSpatial(ctx, in.getFirst(), in.get(i), inputs.get(i));
            c += in.get(i).c;
        }
        node(name, "Concat", inputs, output, Map.of("axis", 1L));
        Img first = in.getFirst();
        return new Img(first.n, c, first.h, first.w);
    }

    private Img add(String ctx, String name, List<String> inputs, List<Img> in, String output) {
        if (inputs.size() < 2) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " adds " + inputs.size() + " input(s)");
        }
        Img first = in.getFirst();
        for (int i = 1; i < in.size(); i++) {
            sameSpatial(ctx, first, in.get(i), inputs.get(i));
            if (in.get(i).c != first.c) {
                throw new SrException(ErrorCode.INVALID_MODEL, ctx + " adds '" + inputs.getFirst() + "' with " + first.c
                        + " channels and '" + inputs.get(i) + "' with " + in.get(i).c);
            }
        }
        // ONNX Add is binary; a Keras Add of n tensors becomes a chain, summed in input order as TF does.
        String acc = inputs.getFirst();
        for (int i = 1; i < inputs.size(); i++) {
            String out = i == inputs.size() - 1 ? output : output + "/partial_" + i;
            node(i == 1 ? name : name + "/" + i, "Add", List.of(acc, inputs.get(i)), out, Map.of());
            acc = out;
        }
        return first;
    }

    private Img relu(String ctx, String name, Cfg cfg, String input, Img in, String output) {
        double slope = cfg.num("negative_slope", 0);
        double threshold = cfg.num("threshold", 0);
        Object max = cfg.raw("max_value");
        if (threshold != 0 || (slope != 0 && max != null)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " has threshold " + threshold + ", negative_slope "
                    + slope + " and max_value " + max + "; only plain, capped or leaky ReLU is supported");
        }
        if (slope != 0) {
            node(name, "LeakyRelu", List.of(input), output, Map.of("alpha", (float) slope));
        } else if (max != null) {
            clip(name, input, output, 0f, (float) cfg.num("max_value"));
        } else {
            node(name, "Relu", List.of(input), output, Map.of());
        }
        return in;
    }

    private void activation(String ctx, String nodeName, String act, String input, String output, boolean identityOk) {
        switch (act) {
            case "relu" -> node(nodeName, "Relu", List.of(input), output, Map.of());
            case "relu6" -> clip(nodeName, input, output, 0f, 6f);
            case "sigmoid" -> node(nodeName, "Sigmoid", List.of(input), output, Map.of());
            case "tanh" -> node(nodeName, "Tanh", List.of(input), output, Map.of());
            case "linear" -> {
                if (!identityOk) {
                    throw new SrException(ErrorCode.INTERNAL, ctx + ": a linear activation needs no node");
                }
                node(nodeName, "Identity", List.of(input), output, Map.of());
            }
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " uses activation '" + act
                    + "'; srengine translates linear, relu, relu6, sigmoid and tanh");
        }
    }

    private void clip(String name, String input, String output, float min, float max) {
        node(name, "Clip", List.of(input, constant(name + "/min", min), constant(name + "/max", max)), output, Map.of());
    }

    private Img upsampling(String ctx, String name, Cfg cfg, String input, Img in, String output) {
        channelsLast(ctx, cfg);
        int[] size = cfg.ints("size", 2, 2);
        String interpolation = cfg.str("interpolation", "nearest");
        if (!interpolation.equals("nearest")) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " interpolates '" + interpolation
                    + "'; only nearest is supported (Keras and TF.js sample bilinear upsampling differently)");
        }
        if (size[0] <= 0 || size[1] <= 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has size " + java.util.Arrays.toString(size));
        }
        String scales = name + "/scales";
        graph.initializers().put(scales, Tensor.of(new float[] {1, 1, size[0], size[1]}, 4));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("mode", "nearest");
        attrs.put("coordinate_transformation_mode", "asymmetric");
        attrs.put("nearest_mode", "floor");
        node(name, "Resize", List.of(input, "", scales), output, attrs);
        return new Img(in.n, in.c, in.h.times(size[0]), in.w.times(size[1]));
    }

    private Img pixelShuffle(String ctx, String name, Cfg cfg, int s, String input, Img in, String output) {
        int configured = cfg.integer("scale", s);
        if (configured != s || s < 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has scale " + configured + " in its config but "
                    + s + " in its class name");
        }
        if (in.c % ((long) s * s) != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + ": " + in.c + " input channels are not a multiple of "
                    + s + "x" + s);
        }
        // tf.depthToSpace(NHWC) reads channel (i*s + j)*C + c for output pixel (h*s+i, w*s+j): ONNX DCR.
        node(name, "DepthToSpace", List.of(input), output, Map.of("blocksize", (long) s, "mode", "DCR"));
        return new Img(in.n, in.c / ((long) s * s), in.h.times(s), in.w.times(s));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private TfjsWeights.Weight weight(String ctx, String layer, String kind, int[] expected) {
        String key = layer + "/" + kind;
        TfjsWeights.Weight w = weights.get(key);
        if (w == null) {
            // Some converters prefix weight names with the model name: accept one unique suffix match.
            List<String> hits = weights.keySet().stream().filter(n -> n.endsWith("/" + key)).toList();
            if (hits.size() != 1) {
                throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has no weight '" + key + "' in the weights manifest"
                        + (hits.isEmpty() ? "" : " (ambiguous: " + hits + ")"));
            }
            w = weights.get(hits.getFirst());
        }
        if (!java.util.Arrays.equals(w.shape(), expected)) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + ": weight '" + w.name() + "' has shape "
                    + java.util.Arrays.toString(w.shape()) + " but the layer needs " + java.util.Arrays.toString(expected));
        }
        if (usedWeights.add(w.name())) {
            parameters += w.values().length;
        }
        return w;
    }

    private String constant(String value, float v) {
        graph.initializers().put(value, Tensor.scalar(v));
        return value;
    }

    private void node(String name, String op, List<String> inputs, String output, Map<String, ?> attrs) {
        graph.nodes().add(new Node(name, op, inputs, List.of(output), Attributes.of(attrs)));
    }

    private static String single(String ctx, List<String> inputs) {
        if (inputs.size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " takes one input but is given " + inputs.size());
        }
        return inputs.getFirst();
    }

    private static void channelsLast(String ctx, Cfg cfg) {
        String format = cfg.str("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, ctx + " uses data_format '" + format
                    + "'; only channels_last is supported");
        }
    }

    private static void sameSpatial(String ctx, Img a, Img b, String value) {
        if (differ(a.h, b.h) || differ(a.w, b.w)) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + ": input '" + value + "' is " + b.h + "x" + b.w
                    + " but the first input is " + a.h + "x" + a.w);
        }
    }

    /** True when two sizes certainly differ; symbolic sizes whose difference is not constant may be equal. */
    private static boolean differ(Dim a, Dim b) {
        Dim d = a.minus(b);
        return d.isKnown() && d.value() != 0;
    }

    private String where(String cls, String name) {
        return "layer '" + name + "' (" + cls + ") in " + source;
    }
}
