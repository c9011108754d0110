package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.formats.ncnn.NcnnLayers.Blob;
import io.srengine.formats.ncnn.NcnnParam.Layer;
import io.srengine.formats.ncnn.NcnnParam.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The layers with weights and windows: Convolution (and depthwise), Deconvolution, InnerProduct, Pooling. */
final class NcnnConvLayers {
    private NcnnConvLayers() {}

    /** ncnn pads 4/15/14/16 (left, right, top, bottom) as ONNX attributes; -233/-234 are SAME_UPPER/SAME_LOWER. */
    private static void pads(Layer l, int left, int right, int top, int bottom, Map<String, Object> attrs) {
        int[] v = {top, left, bottom, right};
        boolean allUpper = true;
        boolean allLower = true;
        boolean allPositive = true;
        for (int x : v) {
            allUpper &= x == -233;
            allLower &= x == -234;
            allPositive &= x >= 0;
        }
        if (allUpper) {
            attrs.put("auto_pad", "SAME_UPPER");
        } else if (allLower) {
            attrs.put("auto_pad", "SAME_LOWER");
        } else if (allPositive) {
            attrs.put("pads", new long[] {top, left, bottom, right});
        } else {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has paddings (left, right, top, bottom) "
                    + left + ", " + right + ", " + top + ", " + bottom + ", which srengine does not read");
        }
    }

    /** Convolution / ConvolutionDepthWise: weights [out][in/group][kh][kw] after the tag, then float32 biases. */
    static void convolution(NcnnLayers t, Layer l, boolean depthwise) {
        Params p = l.params();
        Blob in = t.one(l);
        GraphEmitter e = t.emitter();
        int out = p.getInt(0, 0);
        int kw = p.getInt(1, 0);
        int kh = p.getInt(11, kw);
        int dw = p.getInt(2, 1);
        int dh = p.getInt(12, dw);
        int sw = p.getInt(3, 1);
        int sh = p.getInt(13, sw);
        int padLeft = p.getInt(4, 0);
        int padRight = p.getInt(15, padLeft);
        int padTop = p.getInt(14, padLeft);
        int padBottom = p.getInt(16, padTop);
        float padValue = p.getFloat(18, 0f);
        boolean bias = p.getInt(5, 0) != 0;
        int size = p.getInt(6, 0);
        int group = depthwise ? p.getInt(7, 1) : 1;
        if (p.getInt(8, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " is int8-quantized (8=" + p.getInt(8, 0)
                    + "); srengine reads float models");
        }
        if (p.getInt(19, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " takes its weights from a blob (19=1)");
        }
        checkPositive(l, "output channels", out);
        checkPositive(l, "kernel size", kw, kh);
        checkPositive(l, "dilation", dw, dh);
        checkPositive(l, "stride", sw, sh);
        checkPositive(l, "group", group);
        if (out % group != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + ": " + out + " outputs do not divide into " + group + " groups");
        }
        long perInput = (long) out / group * kh * kw;
        if (size <= 0 || size % perInput != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " declares " + size + " weights, not a multiple of "
                    + perInput + " (" + out + " outputs / " + group + " groups x " + kh + "x" + kw + ")");
        }
        long inPerGroup = size / perInput;
        long inChannels = inPerGroup * group;
        if (in.channels() >= 0 && inChannels != in.channels()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has weights for " + inChannels
                    + " input channels, but its input has " + in.channels());
        }
        NcnnWeights.Blob w = t.weights().weights(size, l, "weights");
        String weight = e.constant(l.name() + "_weight", Tensor.of(w.values(), out, (int) inPerGroup, kh, kw));
        List<String> ins = new ArrayList<>(List.of(in.value(), weight));
        if (bias) {
            ins.add(e.constant(l.name() + "_bias", Tensor.of(t.weights().raw(out, l, "biases"), out)));
            t.countParameters(out);
        }
        t.countParameters(size);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("kernel_shape", new long[] {kh, kw});
        attrs.put("strides", new long[] {sh, sw});
        attrs.put("dilations", new long[] {dh, dw});
        attrs.put("group", (long) group);
        if (padValue != 0f && (padLeft > 0 || padRight > 0 || padTop > 0 || padBottom > 0)) {
            // ONNX Conv pads with zeros; another value is an explicit Pad in front
            String padded = e.node(l.name() + "_pad", "Pad", List.of(in.value(),
                    e.longs(l.name() + "_pads", 0, 0, padTop, padLeft, 0, 0, padBottom, padRight),
                    e.scalar(l.name() + "_padvalue", padValue)), Map.of("mode", "constant"));
            ins.set(0, padded);
        } else {
            pads(l, padLeft, padRight, padTop, padBottom, attrs);
        }
        String y = e.node(l.name(), "Conv", ins, attrs);
        t.out(l, t.activation(l, y), 3, out);
    }

    /** Deconvolution: weights [out][in][kh][kw] (ONNX wants [in][out][kh][kw]), then float32 biases. */
    static void deconvolution(NcnnLayers t, Layer l) {
        Params p = l.params();
        Blob in = t.one(l);
        GraphEmitter e = t.emitter();
        int out = p.getInt(0, 0);
        int kw = p.getInt(1, 0);
        int kh = p.getInt(11, kw);
        int dw = p.getInt(2, 1);
        int dh = p.getInt(12, dw);
        int sw = p.getInt(3, 1);
        int sh = p.getInt(13, sw);
        int padLeft = p.getInt(4, 0);
        int padRight = p.getInt(15, padLeft);
        int padTop = p.getInt(14, padLeft);
        int padBottom = p.getInt(16, padTop);
        int outPadRight = p.getInt(18, 0);
        int outPadBottom = p.getInt(19, outPadRight);
        boolean bias = p.getInt(5, 0) != 0;
        int size = p.getInt(6, 0);
        if (p.getInt(20, 0) > 0 || p.getInt(21, 0) > 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " fixes its output size (20=, 21=), which"
                    + " srengine does not read");
        }
        if (p.getInt(28, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " takes its weights from a blob (28=1)");
        }
        checkPositive(l, "output channels", out);
        checkPositive(l, "kernel size", kw, kh);
        checkPositive(l, "dilation", dw, dh);
        checkPositive(l, "stride", sw, sh);
        if (padLeft < 0 || padRight < 0 || padTop < 0 || padBottom < 0 || outPadRight < 0 || outPadBottom < 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has negative paddings, which srengine does not"
                    + " read without a fixed output size");
        }
        long perInput = (long) out * kh * kw;
        if (size <= 0 || size % perInput != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " declares " + size + " weights, not a multiple of "
                    + perInput + " (" + out + " outputs x " + kh + "x" + kw + ")");
        }
        int inChannels = (int) (size / perInput);
        if (in.channels() >= 0 && inChannels != in.channels()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has weights for " + inChannels
                    + " input channels, but its input has " + in.channels());
        }
        float[] w = t.weights().weights(size, l, "weights").values();
        int k = kh * kw;
        float[] onnx = new float[size];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < inChannels; i++) {
                System.arraycopy(w, (o * inChannels + i) * k, onnx, (i * out + o) * k, k);
            }
        }
        List<String> ins = new ArrayList<>(List.of(in.value(),
                e.constant(l.name() + "_weight", Tensor.of(onnx, inChannels, out, kh, kw))));
        if (bias) {
            ins.add(e.constant(l.name() + "_bias", Tensor.of(t.weights().raw(out, l, "biases"), out)));
            t.countParameters(out);
        }
        t.countParameters(size);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("kernel_shape", new long[] {kh, kw});
        attrs.put("strides", new long[] {sh, sw});
        attrs.put("dilations", new long[] {dh, dw});
        attrs.put("pads", new long[] {padTop, padLeft, padBottom, padRight});
        if (outPadRight > 0 || outPadBottom > 0) {
            attrs.put("output_padding", new long[] {outPadBottom, outPadRight});
        }
        String y = e.node(l.name(), "ConvTranspose", ins, attrs);
        t.out(l, t.activation(l, y), 3, out);
    }

    /**
     * InnerProduct on a vector blob (the squeeze-and-excitation blocks after global pooling): a 1x1
     * convolution on {@code [1, C, 1, 1]}. On an image blob ncnn flattens it first, which srengine does
     * not read.
     */
    static void innerProduct(NcnnLayers t, Layer l) {
        Params p = l.params();
        Blob in = t.one(l);
        GraphEmitter e = t.emitter();
        int out = p.getInt(0, 0);
        boolean bias = p.getInt(1, 0) != 0;
        int size = p.getInt(2, 0);
        if (p.getInt(8, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " is int8-quantized (8=" + p.getInt(8, 0) + ")");
        }
        if (in.dims() != 1) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " flattens an image blob; srengine reads"
                    + " InnerProduct only on vectors (after global pooling)");
        }
        checkPositive(l, "outputs", out);
        if (size <= 0 || size % out != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " declares " + size + " weights for " + out + " outputs");
        }
        int inChannels = size / out;
        if (in.channels() >= 0 && inChannels != in.channels()) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has weights for " + inChannels
                    + " inputs, but its input has " + in.channels());
        }
        float[] w = t.weights().weights(size, l, "weights").values();
        List<String> ins = new ArrayList<>(List.of(in.value(), e.constant(l.name() + "_weight", Tensor.of(w, out, inChannels, 1, 1))));
        if (bias) {
            ins.add(e.constant(l.name() + "_bias", Tensor.of(t.weights().raw(out, l, "biases"), out)));
            t.countParameters(out);
        }
        t.countParameters(size);
        String y = e.node(l.name(), "Conv", ins, Map.of("kernel_shape", new long[] {1, 1}));
        t.out(l, t.activation(l, y), 1, out);
    }

    /** Pooling: global (a vector out), or windows with ncnn's pad modes mapped to ONNX. */
    static void pooling(NcnnLayers t, Layer l) {
        Params p = l.params();
        Blob in = t.one(l);
        GraphEmitter e = t.emitter();
        int type = p.getInt(0, 0);
        if (type != 0 && type != 1) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has pooling type " + type
                    + "; ncnn defines 0 (max) and 1 (average)");
        }
        if (in.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " pools a blob of rank " + in.dims());
        }
        if (p.getInt(7, 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " is adaptive pooling (7=1), which srengine does not read");
        }
        if (p.getInt(4, 0) != 0) {
            t.out(l, e.node(l.name(), type == 0 ? "GlobalMaxPool" : "GlobalAveragePool", List.of(in.value())), 1, in.channels());
            return;
        }
        int kw = p.getInt(1, 0);
        int kh = p.getInt(11, kw);
        int sw = p.getInt(2, 1);
        int sh = p.getInt(12, sw);
        int padLeft = p.getInt(3, 0);
        int padRight = p.getInt(14, padLeft);
        int padTop = p.getInt(13, padLeft);
        int padBottom = p.getInt(15, padTop);
        int padMode = p.getInt(5, 0);
        boolean includePad = p.getInt(6, 0) != 0;
        checkPositive(l, "kernel size", kw, kh);
        checkPositive(l, "stride", sw, sh);
        if (padLeft < 0 || padRight < 0 || padTop < 0 || padBottom < 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has negative paddings");
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("kernel_shape", new long[] {kh, kw});
        attrs.put("strides", new long[] {sh, sw});
        switch (padMode) {
            case 0 -> {
                // "full": ncnn pads the end until the last window fits, i.e. ONNX ceil_mode. ONNX drops a last
                // window that starts in the end padding and counts no overhang, ncnn does neither; the two agree
                // when the end padding is smaller than the kernel and padding is not counted.
                if (padRight >= kw || padBottom >= kh) {
                    throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " pads the end by at least a kernel in"
                            + " full padding mode, where ncnn and ONNX count windows differently");
                }
                if (type == 1 && includePad) {
                    throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " averages full-mode windows counting"
                            + " padding (6=1), which ONNX counts differently");
                }
                attrs.put("pads", new long[] {padTop, padLeft, padBottom, padRight});
                attrs.put("ceil_mode", 1L);
            }
            case 1 -> attrs.put("pads", new long[] {padTop, padLeft, padBottom, padRight});
            case 2, 3 -> {
                if (padLeft != 0 || padRight != 0 || padTop != 0 || padBottom != 0) {
                    throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " combines same-padding mode with"
                            + " explicit paddings");
                }
                attrs.put("auto_pad", padMode == 2 ? "SAME_UPPER" : "SAME_LOWER");
                // ncnn's average excludes only the explicit paddings, so the implicit same-padding is counted
                includePad = true;
            }
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, l.describe() + " has pad mode " + padMode
                    + "; ncnn defines 0 (full), 1 (valid), 2 (same upper) and 3 (same lower)");
        }
        if (type == 1) {
            attrs.put("count_include_pad", includePad ? 1L : 0L);
        }
        t.out(l, e.node(l.name(), type == 0 ? "MaxPool" : "AveragePool", List.of(in.value()), attrs), 3, in.channels());
    }

    private static void checkPositive(Layer l, String what, int... v) {
        for (int x : v) {
            if (x <= 0) {
                throw new SrException(ErrorCode.INVALID_MODEL, l.describe() + " has " + what + " " + x);
            }
        }
    }
}
