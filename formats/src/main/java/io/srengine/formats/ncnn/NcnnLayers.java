package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.formats.ncnn.NcnnParam.Layer;
import io.srengine.formats.ncnn.NcnnParam.Params;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates ncnn layers, in file order, into ONNX nodes on NCHW tensors, reading each layer's
 * weights from the {@code .bin} as it goes (the {@code .bin} has no index: its order is the layer
 * order). An ncnn image blob {@code (c, h, w)} becomes {@code [1, C, H, W]}; a vector blob
 * {@code (c)} (what global pooling and InnerProduct produce) becomes {@code [1, C, 1, 1]}, so that
 * ncnn's per-channel broadcasting of a vector over an image is ONNX broadcasting.
 *
 * <p>Parameters follow ncnn's {@code load_param} ids and defaults (Tencent/ncnn {@code src/layer}).
 */
final class NcnnLayers {
    /** The layer types this translation reads. */
    static final Set<String> SUPPORTED = Set.of("Input", "Convolution", "ConvolutionDepthWise", "Deconvolution", "Split",
            "Concat", "Eltwise", "BinaryOp", "PReLU", "ReLU", "Sigmoid", "TanH", "Clip", "Crop", "Pooling",
            "InnerProduct", "Scale", "Interp", "PixelShuffle", "Padding", "BatchNorm", "Dropout", "Noop");

    /** What the translation knows of a blob: its graph value, ncnn rank (1 or 3) and channel count (-1 unknown). */
    record Blob(String value, int dims, long channels) {}

    private final GraphEmitter e;
    private final NcnnWeights weights;
    private final Map<String, Blob> blobs = new HashMap<>();
    private long parameters;

    NcnnLayers(GraphEmitter e, NcnnWeights weights) {
        this.e = e;
        this.weights = weights;
    }

    /** Fails listing every layer type this translation lacks, with the layers that use it. */
    static void checkSupported(NcnnParam param) {
        Map<String, List<String>> bad = new TreeMap<>();
        for (Layer l : param.layers) {
            if (!SUPPORTED.contains(l.type())) {
                bad.computeIfAbsent(l.type(), k -> new ArrayList<>()).add(l.name());
            }
        }
        if (!bad.isEmpty()) {
            StringBuilder sb = new StringBuilder(param.source).append(" uses ").append(bad.size())
                    .append(bad.size() == 1 ? " ncnn layer type" : " ncnn layer types").append(" srengine cannot read: ");
            boolean first = true;
            for (Map.Entry<String, List<String>> en : bad.entrySet()) {
                sb.append(first ? "" : "; ").append(en.getKey()).append(" (layer").append(en.getValue().size() == 1 ? " " : "s ")
                        .append(String.join(", ", en.getValue().stream().map(s -> "'" + s + "'").toList())).append(')');
                first = false;
            }
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sb.toString());
        }
    }

    long parameters() {
        return parameters;
    }

    Blob blob(String name) {
        return blobs.get(name);
    }

    /** Binds the network's input blob to a graph value holding a 3-channel image. */
    void bindInput(String blobName, String value, long channels) {
        blobs.put(blobName, new Blob(value, 3, channels));
    }

    /** Translates one layer. */
    void translate(Layer l) {
        Params p = l.params();
        switch (l.type()) {
            case "Input" -> input(l);
            case "Split" -> {
                Blob in = in(l, 0);
                for (String t : l.tops()) {
                    blobs.put(t, in);
                }
            }
            case "Convolution", "ConvolutionDepthWise" -> NcnnConvLayers.convolution(this, l, l.type().equals("ConvolutionDepthWise"));
            case "Deconvolution" -> NcnnConvLayers.deconvolution(this, l);
            case "InnerProduct" -> NcnnConvLayers.innerProduct(this, l);
            case "Pooling" -> NcnnConvLayers.pooling(this, l);
            case "ReLU" -> {
                float slope = p.getFloat(0, 0f);
                Blob in = one(l);
                out(l, slope == 0f ? e.node(l.name(), "Relu", List.of(in.value()))
                        : e.node(l.name(), "LeakyRelu", List.of(in.value()), Map.of("alpha", slope)), in);
            }
            case "Sigmoid" -> unary(l, "Sigmoid");
            case "TanH" -> unary(l, "Tanh");
            case "Clip" -> {
                Blob in = one(l);
                out(l, e.node(l.name(), "Clip", List.of(in.value(), e.scalar(l.name() + "_min", p.getFloat(0, -Float.MAX_VALUE)),
                        e.scalar(l.name() + "_max", p.getFloat(1, Float.MAX_VALUE)))), in);
            }
            case "Dropout" -> {
                Blob in = one(l);
                float scale = p.getFloat(0, 1f);
                out(l, scale == 1f ? in.value() : e.node(l.name(), "Mul", List.of(in.value(), e.scalar(l.name() + "_scale", scale))), in);
            }
            case "Noop" -> {
                for (int i = 0; i < l.tops().size() && i < l.bottoms().size(); i++) {
                    blobs.put(l.tops().get(i), in(l, i));
                }
            }
            case "PReLU" -> prelu(l);
            case "Concat" -> concat(l);
            case "Eltwise" -> eltwise(l);
            case "BinaryOp" -> binaryOp(l);
            case "Scale" -> scale(l);
            case "Crop" -> NcnnCrop.crop(this, l);
            case "Interp" -> interp(l);
            case "PixelShuffle" -> pixelShuffle(l);
            case "Padding" -> padding(l);
            case "BatchNorm" -> batchNorm(l);
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " is not supported");
        }
    }

    // ---- helpers shared with NcnnConvLayers and NcnnCrop -----------------------------------------

    GraphEmitter emitter() {
        return e;
    }

    NcnnWeights weights() {
        return weights;
    }

    void countParameters(long n) {
        parameters += n;
    }

    /** The blob a layer reads at position {@code i}. */
    Blob in(Layer l, int i) {
        if (i >= l.bottoms().size()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " needs at least " + (i + 1) + " input(s), has "
                    + l.bottoms().size());
        }
        Blob b = blobs.get(l.bottoms().get(i));
        if (b == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " reads blob '" + l.bottoms().get(i)
                    + "' before any layer that srengine translated produced it");
        }
        return b;
    }

    /** The single input of a one-in, one-out layer. */
    Blob one(Layer l) {
        if (l.bottoms().size() != 1 || l.tops().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should read one blob and produce one, but reads "
                    + l.bottoms().size() + " and produces " + l.tops().size());
        }
        return in(l, 0);
    }

    /** Records the layer's single output. */
    void out(Layer l, String value, int dims, long channels) {
        if (l.tops().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should produce one blob, produces " + l.tops().size());
        }
        blobs.put(l.tops().getFirst(), new Blob(value, dims, channels));
    }

    void out(Layer l, String value, Blob like) {
        out(l, value, like.dims(), like.channels());
    }

    /** The graph axis of ncnn axis {@code axis} of a blob of rank {@code dims}. */
    static int graphAxis(Layer l, int axis, int dims) {
        int a = axis < 0 ? axis + dims : axis;
        if (a < 0 || a >= dims) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + ": axis " + axis + " is outside a blob of rank " + dims);
        }
        return dims == 1 ? 1 : a + 1;
    }

    /** Applies ncnn's fused activation (params 9 and 10) to {@code x}. */
    String activation(Layer l, String x) {
        Params p = l.params();
        int type = p.getInt(9, 0);
        float[] ap = p.getFloats(10);
        String n = l.name();
        return switch (type) {
            case 0 -> x;
            case 1 -> e.node(n + "_relu", "Relu", List.of(x));
            case 2 -> e.node(n + "_leaky", "LeakyRelu", List.of(x), Map.of("alpha", actParam(l, ap, 0, 1)));
            case 3 -> e.node(n + "_clip", "Clip", List.of(x, e.scalar(n + "_min", actParam(l, ap, 0, 2)),
                    e.scalar(n + "_max", actParam(l, ap, 1, 2))));
            case 4 -> e.node(n + "_sigmoid", "Sigmoid", List.of(x));
            case 6 -> {
                // x * clip(alpha * x + beta, 0, 1)
                String lin = e.node(n + "_hs_add", "Add", List.of(e.node(n + "_hs_mul", "Mul",
                        List.of(x, e.scalar(n + "_hs_alpha", actParam(l, ap, 0, 2)))), e.scalar(n + "_hs_beta", actParam(l, ap, 1, 2))));
                String gate = e.node(n + "_hs_clip", "Clip", List.of(lin, e.scalar(n + "_zero", 0f), e.scalar(n + "_one", 1f)));
                yield e.node(n + "_hardswish", "Mul", List.of(x, gate));
            }
            case 5 -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " uses the fused activation Mish (9=5),"
                    + " which srengine cannot express");
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " uses fused activation type " + type
                    + ", which ncnn does not define");
        };
    }

    private static float actParam(Layer l, float[] ap, int i, int needed) {
        if (ap == null || ap.length < needed) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + ": its fused activation needs " + needed
                    + " parameter(s) in 10=, has " + (ap == null ? 0 : ap.length));
        }
        return ap[i];
    }

    // ---- simple layers ------------------------------------------------------------------------

    private void input(Layer l) {
        throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " is a second input; srengine reads networks with one"
                + " image input");
    }

    private void unary(Layer l, String op) {
        Blob in = one(l);
        out(l, e.node(l.name(), op, List.of(in.value())), in);
    }

    private void prelu(Layer l) {
        Blob in = one(l);
        int n = l.params().getInt(0, 0);
        if (n <= 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " declares " + n + " slopes");
        }
        if (n != 1 && in.channels() >= 0 && n != in.channels()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + n + " slopes for " + in.channels() + " channels");
        }
        float[] slopes = weights.raw(n, l, "slopes");
        countParameters(n);
        Tensor t = n == 1 ? Tensor.of(slopes, 1) : Tensor.of(slopes, n, 1, 1);
        out(l, e.node(l.name(), "PRelu", List.of(in.value(), e.constant(l.name() + "_slope", t))), in);
    }

    private void concat(Layer l) {
        if (l.bottoms().isEmpty() || l.tops().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should read blobs and produce one");
        }
        Blob first = in(l, 0);
        int axis = graphAxis(l, l.params().getInt(0, 0), first.dims());
        List<String> values = new ArrayList<>();
        long channels = 0;
        for (int i = 0; i < l.bottoms().size(); i++) {
            Blob b = in(l, i);
            if (b.dims() != first.dims()) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " joins blobs of rank " + first.dims() + " and " + b.dims());
            }
            values.add(b.value());
            channels = channels < 0 || b.channels() < 0 ? -1 : channels + b.channels();
        }
        out(l, e.node(l.name(), "Concat", values, Map.of("axis", (long) axis)), first.dims(), axis == 1 ? channels : first.channels());
    }

    private void eltwise(Layer l) {
        if (l.bottoms().size() < 2 || l.tops().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should read at least two blobs and produce one");
        }
        int op = l.params().getInt(0, 0);
        float[] coeffs = l.params().getFloats(1);
        String onnx = switch (op) {
            case 0 -> "Mul";
            case 1 -> "Add";
            case 2 -> "Max";
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has operation " + op
                    + "; ncnn defines 0 (product), 1 (sum) and 2 (max)");
        };
        if (coeffs != null && coeffs.length > 0 && op != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has coefficients, which only a sum takes");
        }
        if (coeffs != null && coeffs.length > 0 && coeffs.length != l.bottoms().size()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + coeffs.length + " coefficients for "
                    + l.bottoms().size() + " inputs");
        }
        Blob first = in(l, 0);
        String acc = null;
        for (int i = 0; i < l.bottoms().size(); i++) {
            String v = in(l, i).value();
            if (coeffs != null && coeffs.length > 0 && coeffs[i] != 1f) {
                v = e.node(l.name() + "_coeff", "Mul", List.of(v, e.scalar(l.name() + "_c", coeffs[i])));
            }
            acc = acc == null ? v : e.node(l.name(), onnx, List.of(acc, v));
        }
        out(l, acc, first);
    }

    private void binaryOp(Layer l) {
        Params p = l.params();
        int op = p.getInt(0, 0);
        boolean withScalar = p.getInt(1, 0) != 0;
        String[] ops = {"Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Sub", "Div", "Pow"};
        if (op < 0 || op >= ops.length) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has operation " + op
                    + "; srengine reads 0-9 (add, sub, mul, div, max, min, pow, rsub, rdiv, rpow)");
        }
        boolean reversed = op >= 7;
        Blob a;
        String av;
        String bv;
        int dims;
        long channels;
        if (withScalar) {
            a = one(l);
            av = a.value();
            bv = e.scalar(l.name() + "_b", p.getFloat(2, 0f));
            dims = a.dims();
            channels = a.channels();
        } else {
            if (l.bottoms().size() != 2 || l.tops().size() != 1) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " should read two blobs and produce one");
            }
            a = in(l, 0);
            Blob b = in(l, 1);
            av = a.value();
            bv = b.value();
            dims = Math.max(a.dims(), b.dims());
            channels = a.dims() >= b.dims() ? a.channels() : b.channels();
        }
        List<String> ins = reversed ? List.of(bv, av) : List.of(av, bv);
        out(l, e.node(l.name(), ops[op], ins), dims, channels);
    }

    private void scale(Layer l) {
        Params p = l.params();
        int size = p.getInt(0, 0);
        boolean bias = p.getInt(1, 0) != 0;
        if (size == -233) {
            if (l.bottoms().size() != 2 || l.tops().size() != 1) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " takes its scales from a second blob (0=-233)"
                        + " but reads " + l.bottoms().size());
            }
            Blob x = in(l, 0);
            Blob s = in(l, 1);
            out(l, e.node(l.name(), "Mul", List.of(x.value(), s.value())), x);
            return;
        }
        Blob x = one(l);
        if (size <= 0 || (size != 1 && x.channels() >= 0 && size != x.channels())) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + size + " scales for " + x.channels() + " channels");
        }
        float[] s = weights.raw(size, l, "scales");
        countParameters(size);
        String y = e.node(l.name(), "Mul", List.of(x.value(), e.constant(l.name() + "_scale", perChannel(s))));
        if (bias) {
            float[] b = weights.raw(size, l, "biases");
            countParameters(size);
            y = e.node(l.name() + "_bias", "Add", List.of(y, e.constant(l.name() + "_b", perChannel(b))));
        }
        out(l, y, x);
    }

    static Tensor perChannel(float[] v) {
        return v.length == 1 ? Tensor.of(v, 1) : Tensor.of(v, 1, v.length, 1, 1);
    }

    private void interp(Layer l) {
        Params p = l.params();
        Blob in = one(l);
        int type = p.getInt(0, 0);
        if (p.getInt(5, 0) != 0 || p.has(9)) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " takes its output size from another blob or an"
                    + " expression, which srengine does not read");
        }
        if (in.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " resizes a blob of rank " + in.dims()
                    + "; srengine reads image resizes");
        }
        boolean alignCorner = p.getInt(6, 0) != 0;
        Map<String, Object> attrs = new LinkedHashMap<>();
        switch (type) {
            case 1 -> {
                // ncnn nearest: source = (int) (dst * (1 / scale)), i.e. asymmetric with floor
                attrs.put("mode", "nearest");
                attrs.put("coordinate_transformation_mode", "asymmetric");
                attrs.put("nearest_mode", "floor");
            }
            case 2, 3 -> {
                attrs.put("mode", type == 2 ? "linear" : "cubic");
                attrs.put("coordinate_transformation_mode", alignCorner ? "align_corners" : "half_pixel");
                if (type == 3) {
                    attrs.put("cubic_coeff_a", -0.75f); // ncnn's interpolate_cubic; edges clamped like ONNX
                }
            }
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has resize type " + type
                    + "; ncnn defines 1 (nearest), 2 (bilinear) and 3 (bicubic)");
        }
        int oh = p.getInt(3, 0);
        int ow = p.getInt(4, 0);
        String y;
        if (oh > 0 || ow > 0) {
            if (oh <= 0 || ow <= 0) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " fixes only one of the output height and width");
            }
            attrs.put("axes", new long[] {2, 3});
            y = e.node(l.name(), "Resize", List.of(in.value(), "", "", e.longs(l.name() + "_sizes", oh, ow)), attrs);
        } else {
            float hs = p.getFloat(1, 1f);
            float ws = p.getFloat(2, 1f);
            if (!(hs > 0) || !(ws > 0)) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has scales " + hs + " x " + ws);
            }
            y = e.node(l.name(), "Resize", List.of(in.value(), "", e.constant(l.name() + "_scales",
                    Tensor.of(new float[] {1, 1, hs, ws}, 4))), attrs);
        }
        out(l, y, in);
    }

    private void pixelShuffle(Layer l) {
        Blob in = one(l);
        int r = l.params().getInt(0, 1);
        int mode = l.params().getInt(1, 0);
        if (r < 1 || mode < 0 || mode > 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has upscale factor " + r + " and mode " + mode);
        }
        if (in.channels() >= 0 && in.channels() % ((long) r * r) != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + ": " + in.channels() + " channels do not divide by "
                    + r + "x" + r);
        }
        // mode 0 reads channel c*r*r + i*r + j (PyTorch's pixel_shuffle, ONNX CRD); mode 1 reads (i*r + j)*C + c (DCR)
        out(l, e.node(l.name(), "DepthToSpace", List.of(in.value()), Map.of("blocksize", (long) r, "mode", mode == 0 ? "CRD" : "DCR")),
                3, in.channels() < 0 ? -1 : in.channels() / ((long) r * r));
    }

    private void padding(Layer l) {
        Params p = l.params();
        Blob in = one(l);
        long top = p.getInt(0, 0);
        long bottom = p.getInt(1, 0);
        long left = p.getInt(2, 0);
        long right = p.getInt(3, 0);
        int type = p.getInt(4, 0);
        float value = p.getFloat(5, 0f);
        long front = p.getInt(7, 0);
        long behind = p.getInt(8, 0);
        if (p.getInt(6, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " pads each channel with its own value (6=),"
                    + " which srengine does not read");
        }
        if (in.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " pads a blob of rank " + in.dims());
        }
        String mode = switch (type) {
            case 0 -> "constant";
            case 1 -> "edge";
            case 2 -> "reflect";
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has padding type " + type
                    + "; ncnn defines 0 (constant), 1 (replicate) and 2 (reflect)");
        };
        String pads = e.longs(l.name() + "_pads", 0, front, top, left, 0, behind, bottom, right);
        List<String> ins = type == 0 ? List.of(in.value(), pads, e.scalar(l.name() + "_value", value)) : List.of(in.value(), pads);
        out(l, e.node(l.name(), "Pad", ins, Map.of("mode", mode)), 3, in.channels() < 0 ? -1 : in.channels() + front + behind);
    }

    private void batchNorm(Layer l) {
        Blob in = one(l);
        int c = l.params().getInt(0, 0);
        float eps = l.params().getFloat(1, 0f);
        if (c <= 0 || (in.channels() >= 0 && c != in.channels())) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + c + " channels, its input " + in.channels());
        }
        // ncnn's load_model order: slope, mean, variance, bias
        String[] what = {"slopes", "means", "variances", "biases"};
        String[] values = new String[4];
        for (int i = 0; i < 4; i++) {
            values[i] = e.constant(l.name() + "_" + what[i], Tensor.of(weights.raw(c, l, what[i]), c));
        }
        countParameters(4L * c);
        out(l, e.node(l.name(), "BatchNormalization", List.of(in.value(), values[0], values[3], values[1], values[2]),
                Map.of("epsilon", eps)), in);
    }
}
