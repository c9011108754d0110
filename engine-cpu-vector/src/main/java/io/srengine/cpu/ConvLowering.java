package io.srengine.cpu;

import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.ops.ConvSpec;
import io.srengine.ops.ConvTransposeSpec;
import java.util.Locale;

/**
 * Chooses the kernel for a Conv or ConvTranspose node and packs its weights. The choice depends only
 * on the weights, the attributes and the channel counts, never on the image size, so a model's
 * weights are packed once and shared by the plans of every input size.
 */
final class ConvLowering {
    /** System property: {@code auto} (default), {@code on} or {@code off}, for Winograd on 3×3 and 5×5 layers. */
    static final String WINOGRAD_PROPERTY = "srengine.cpu.winograd";

    enum Kind {
        /** Register-blocked direct convolution over the blocked layout: any geometry. */
        DIRECT,
        /** Direct convolution reading a few-channel NCHW graph input without converting it. */
        PLANAR,
        /** Winograd, F(4×4, 3×3) or F(2×2, 5×5), for stride 1, dilation 1, one group. */
        WINOGRAD,
        /** One group per channel. */
        DEPTHWISE,
        /** Few output channels: vectorised over input channels. */
        DOT
    }

    private ConvLowering() {}

    /**
     * The kernel for a Conv.
     *
     * @param planarInput whether the input is a graph input still in NCHW
     */
    static Kind choose(ConvSpec s, boolean planarInput) {
        boolean k3 = (s.kernel(0) == 3 && s.kernel(1) == 3 || s.kernel(0) == 5 && s.kernel(1) == 5)
                && s.stride(0) == 1 && s.stride(1) == 1 && s.dilation(0) == 1 && s.dilation(1) == 1 && s.group() == 1;
        if (s.group() > 1 && s.group() == s.inChannels() && s.group() == s.outChannels()) {
            return Kind.DEPTHWISE;
        }
        if (planarInput && s.group() == 1 && s.inChannels() <= 4) {
            return Kind.PLANAR;
        }
        if (k3 && winograd(s.inChannels(), s.outChannels())) {
            return Kind.WINOGRAD;
        }
        if (PackedConv.prefersDot(s.outChannels(), s.inChannels(), s.group())) {
            return Kind.DOT;
        }
        return Kind.DIRECT;
    }

    /** Whether a 3×3 or 5×5 layer with these channel counts runs as Winograd. */
    static boolean winograd(int inC, int outC) {
        String p = System.getProperty(WINOGRAD_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            // Below 8 channels the transforms cost more than the multiplications they save.
            default -> inC >= 8 && outC >= 8;
        };
    }

    /** Packs a Conv's weights for the chosen kernel. */
    static Object pack(Kind kind, ConvSpec s, Tensor w, Tensor b) {
        float[] wf = w.toFloatArray();
        float[] bf = b == null ? null : b.toFloatArray();
        int m = s.outChannels();
        int c = s.inChannels();
        int kh = s.kernel(0);
        int kw = s.kernel(1);
        return switch (kind) {
            case DIRECT -> PackedConv.pack(wf, bf, m, c, s.group(), kh, kw, false);
            case PLANAR -> PackedConv.pack(wf, bf, m, c, 1, kh, kw, true);
            case DOT -> PackedConv.packDot(wf, bf, m, c, kh, kw);
            case WINOGRAD -> VectorConvWinograd.Packed.pack(wf, bf, m, c, kh);
            case DEPTHWISE -> VectorConvDepthwise.PackedDepthwise.pack(wf, bf, c, kh, kw);
        };
    }

    /** Packs a ConvTranspose's weights: one sub-kernel per output phase. */
    static VectorConvTranspose.Phases packTranspose(ConvTransposeSpec s, Tensor w, Tensor b) {
        return VectorConvTranspose.Phases.pack(w.toFloatArray(), b == null ? null : b.toFloatArray(), s.inChannels(),
                s.outChannels(), s.group(), s.kernel(0), s.kernel(1), s.stride(0), s.stride(1), s.dilation(0),
                s.dilation(1), s.padBegin(0), s.padBegin(1));
    }

    /** The cache key of a node's packed weights: its name plus whatever else decides the packing. */
    static String key(Node n, Object... parts) {
        StringBuilder sb = new StringBuilder(n.opType()).append(':').append(n.name());
        for (Object p : parts) {
            sb.append('|').append(p);
        }
        return sb.toString();
    }
}
