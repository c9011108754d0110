package io.srengine.formats.pytorch;

import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * OmniSR (Wang et al., "Omni Aggregation Networks for Lightweight Image Super-Resolution", CVPR
 * 2023), in the authors' key layout, which spandrel reads too: {@code input}, {@code
 * residual_layer.G} (OSAG groups: {@code residual_layer.B.layer.*} OSA blocks, a 1x1 convolution
 * after them, {@code esa.*}), {@code output}, {@code up.0}. An OSA block is an MBConv, block-window
 * attention, gated convolutional feed-forward, channel attention inside each window, feed-forward,
 * grid attention (windows of pixels strided across the whole image), feed-forward, channel attention
 * across the grid and feed-forward; each group ends in enhanced spatial attention (ESA).
 *
 * <p>Read from the weights, as spandrel does: the width and input channels from {@code input}, a
 * bias or none from {@code input.bias}, the groups and blocks per group from the keys, the window
 * from the relative position bias table ({@code (2w-1)²} rows, one column per head) and its
 * presence ({@code pe}), the scale and output channels from {@code up.0} (output channels tried as
 * the input's, then 3, 4, 1). A checkpoint without position bias does not record its window; like
 * spandrel, srengine then takes the authors' default of 8. Keys ending in {@code total_ops} or
 * {@code total_params} (a FLOP counter's leftovers in some released files) are ignored.
 *
 * <p>The graph is written as {@code torch.onnx.export} writes the authors' forward pass: zero padding
 * to a multiple of the window computed at run time with {@code Mod} (the authors' {@code
 * check_image_size}, so any input size works and the tiler finds the window), the einops rearranges
 * as Reshape and Transpose on run-time shapes, the attention einsums as MatMuls, {@code F.normalize}
 * as ReduceL2, Clip and Div, ESA's bilinear resize back to the feature size, and the crop of the
 * upscaled result. Tiles cannot reproduce the untiled result: the grid attention reaches across the
 * whole image.
 */
final class OmniSrArchitecture implements Architecture {
    /** The authors' window, which a checkpoint without position bias does not record (spandrel's default too). */
    static final int DEFAULT_WINDOW = 8;
    private static final String BLOCK0 = "residual_layer.0.residual_layer.0.layer.";

    @Override
    public String name() {
        return "OmniSR";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll(BLOCK0 + "0.fn.0.weight", "input.weight", "up.0.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        NetBuilder b = new NetBuilder(sd, name());
        for (String k : sd.keys()) {
            if (k.endsWith("total_ops") || k.endsWith("total_params")) {
                b.ignore(k);
            }
        }
        int inCh = sd.dim("input.weight", 1);
        int dim = sd.dim("input.weight", 0);
        int groups = sd.seqLength("residual_layer");
        int blocks = sd.seqLength("residual_layer.0.residual_layer") - 1;
        if (blocks < 1) {
            throw b.invalid("group 0 has no OSA block before its closing convolution (residual_layer.0.residual_layer)");
        }
        for (int g = 1; g < groups; g++) {
            int n = sd.seqLength("residual_layer." + g + ".residual_layer") - 1;
            if (n != blocks) {
                throw b.invalid("group " + g + " has " + Math.max(n, 0) + " OSA blocks and group 0 has " + blocks
                        + "; OmniSR's groups are alike");
            }
        }
        if (dim < 4 || dim % (dim / 4) != 0) {
            throw b.invalid(dim + " channels do not split into heads of " + dim / 4 + " (a quarter of the width)");
        }
        int heads = dim / (dim / 4);
        String table = BLOCK0 + "2.fn.rel_pos_bias.weight";
        boolean pe = sd.has(table);
        int ws = DEFAULT_WINDOW;
        if (pe) {
            int rows = sd.dim(table, 0);
            ws = (int) Math.round((Math.sqrt(rows) + 1) / 2);
            if (ws < 1 || (2 * ws - 1) * (2 * ws - 1) != rows) {
                throw b.invalid(table + " has " + rows + " rows, not (2w-1)² for a window w");
            }
        }
        int[] up = scaleAndChannels(b, sd.dim("up.0.weight", 0), inCh);
        int scale = up[0];

        Parts p = new Parts(b, new SwinIrArchitecture.Ctx(b, ws, dim), heads, pe);
        String x = b.input(inCh);
        p.c.start(x, "constant");
        String residual = b.conv(p.c.padded, "input");
        String y = residual;
        for (int g = 0; g < groups; g++) {
            y = p.osag(y, "residual_layer." + g + ".", blocks);
        }
        y = b.add(b.conv(y, "output"), residual);
        String out = b.pixelShuffle(b.conv(y, "up.0"), scale);
        out = b.cropToInput(out, scale);
        String desc = "OmniSR x" + scale + " (" + dim + " channels, " + groups + (groups == 1 ? " group of " : " groups of ") + blocks + (blocks == 1 ? " block" : " blocks") + ", window "
                + ws + (pe ? "" : " (not stored; the authors' default), no position bias")
                + (sd.has("input.bias") ? "" : ", no bias") + ")";
        Network net = b.finish(out, scale, desc);
        net.graph().metadata().put(io.srengine.ModelMetadata.TILE_PADDING, Integer.toString(Math.max(16, 2 * ws)));
        return net;
    }

    /**
     * {scale, output channels} with {@code scale² · channels = n}, channels tried in spandrel's order:
     * the input's, 3, 4, 1.
     */
    static int[] scaleAndChannels(NetBuilder b, int n, int inCh) {
        for (int c : new int[] {inCh, 3, 4, 1}) {
            if (n % c == 0) {
                int s = (int) Math.round(Math.sqrt((double) n / c));
                if (s >= 1 && s * s * c == n) {
                    return new int[] {s, c};
                }
            }
        }
        throw b.invalid("up.0 has " + n + " outputs, which is no square scale times " + inCh + ", 3, 4 or 1 channels");
    }

    /** The modules of the network, on NCHW images whose channel counts the builder knows. */
    private record Parts(NetBuilder b, SwinIrArchitecture.Ctx c, int heads, boolean pe) {
        /** OSA blocks, the 1x1 convolution, the group's residual, then ESA. */
        String osag(String x, String p, int blocks) {
            String y = x;
            for (int i = 0; i < blocks; i++) {
                y = osa(y, p + "residual_layer." + i + ".layer.");
            }
            y = b.add(b.conv(y, p + "residual_layer." + blocks), x);
            return esa(y, p + "esa.");
        }

        String osa(String x, String p) {
            String y = mbconv(x, p + "0.fn.");
            y = windowAttention(y, p + "2.", false);
            y = b.add(feedForward(b.channelLayerNorm(y, p + "4.norm", 1e-6f), p + "4.fn."), y);
            y = b.add(channelAttention(b.channelLayerNorm(y, p + "5.norm", 1e-6f), p + "5.fn.", false), y);
            y = b.add(feedForward(b.channelLayerNorm(y, p + "6.norm", 1e-6f), p + "6.fn."), y);
            y = windowAttention(y, p + "8.", true);
            y = b.add(feedForward(b.channelLayerNorm(y, p + "10.norm", 1e-6f), p + "10.fn."), y);
            y = b.add(channelAttention(b.channelLayerNorm(y, p + "11.norm", 1e-6f), p + "11.fn.", true), y);
            return b.add(feedForward(b.channelLayerNorm(y, p + "12.norm", 1e-6f), p + "12.fn."), y);
        }

        /** 1x1, GELU, depthwise 3x3, GELU, squeeze-excitation, 1x1, plus the input. */
        String mbconv(String x, String p) {
            String h = HatArchitecture.gelu(b, b.conv(x, p + "0"));
            h = HatArchitecture.gelu(b, b.conv(h, p + "2"));
            int ch = b.channels(h);
            // Squeeze-excitation as its export: a mean over the pixels, two bias-free linear layers, a gate.
            String m = c.op("ReduceMean", List.of(h), Map.of("axes", new long[] {2, 3}, "keepdims", 0L));
            expect(p + "4.gate.1.weight", -1, ch);
            String g = c.linear(m, p + "4.gate.1");
            g = c.op("Mul", g, c.op("Sigmoid", g));
            expect(p + "4.gate.3.weight", ch, b.stateDict().dim(p + "4.gate.1.weight", 0));
            g = c.op("Sigmoid", c.linear(g, p + "4.gate.3"));
            g = b.op("Reshape", List.of(g, c.longs("shape", 0, ch, 1, 1)), Map.of(), ch);
            return b.add(b.conv(b.mul(h, g), p + "5"), x);
        }

        /** Gated feed-forward: 1x1 to twice the hidden width, depthwise 3x3, GELU(first half) · second half, 1x1. */
        String feedForward(String x, String p) {
            String h = b.conv(b.conv(x, p + "project_in"), p + "dwconv");
            int hidden = b.channels(h) / 2;
            if (hidden * 2 != b.channels(h)) {
                throw b.invalid(p + "dwconv has " + b.channels(h) + " outputs, which do not halve into the gate's two parts");
            }
            String gated = b.mul(HatArchitecture.gelu(b, b.sliceChannels(h, 0, hidden)), b.sliceChannels(h, hidden, 2 * hidden));
            return b.conv(gated, p + "project_out");
        }

        /**
         * Pre-norm attention inside windows plus its input: block windows ({@code b d (x w1) (y w2)}) or
         * grid windows ({@code b d (w1 x) (w2 y)}: the pixels of a window are a grid cell apart).
         */
        String windowAttention(String x, String p, boolean grid) {
            int dim = c.dim;
            int ws = c.ws;
            String t;
            if (grid) {
                t = c.op("Reshape", x, shape(0L, (long) dim, (long) ws, c.nh, (long) ws, c.nw));
                t = c.op("Transpose", List.of(t), Map.of("perm", new long[] {0, 3, 5, 2, 4, 1}));
            } else {
                t = c.op("Reshape", x, shape(0L, (long) dim, c.nh, (long) ws, c.nw, (long) ws));
                t = c.op("Transpose", List.of(t), Map.of("perm", new long[] {0, 2, 4, 3, 5, 1}));
            }
            t = c.op("Add", attention(c.layerNorm(t, p + "norm"), p + "fn."), t);
            long[] back = grid ? new long[] {0, 5, 3, 1, 4, 2} : new long[] {0, 5, 1, 3, 2, 4};
            t = c.op("Transpose", List.of(t), Map.of("perm", back));
            return b.op("Reshape", List.of(t, shape(0L, (long) dim, c.hp, c.wp)), Map.of(), dim);
        }

        /** Multi-head self-attention on (b, X, Y, w, w, d) windows with the relative position bias. */
        String attention(String t, String p) {
            int dim = c.dim;
            int ws = c.ws;
            int d = dim / heads;
            expect(p + "to_qkv.weight", 3 * dim, dim);
            expect(p + "to_out.0.weight", dim, dim);
            String x = c.op("Reshape", t, c.longs("shape", -1, (long) ws * ws, dim));
            String qkv = c.linear(x, p + "to_qkv");
            String[] qkvs = new String[3];
            for (int i = 0; i < 3; i++) {
                String s = c.op("Slice", List.of(qkv, c.longs("s", (long) i * dim), c.longs("e", (long) (i + 1) * dim),
                        c.longs("axis", 2)), Map.of());
                s = c.op("Reshape", s, c.longs("shape", 0, 0, heads, d));
                qkvs[i] = c.op("Transpose", List.of(s), Map.of("perm", new long[] {0, 2, 1, 3}));
            }
            String q = c.op("Mul", qkvs[0], b.constant("scale", Tensor.scalar((float) Math.pow(d, -0.5))));
            String kt = c.op("Transpose", List.of(qkvs[1]), Map.of("perm", new long[] {0, 1, 3, 2}));
            String sim = c.op("MatMul", q, kt);
            if (pe) {
                String key = p + "rel_pos_bias.weight";
                if (c.heads(key, (2 * ws - 1) * (2 * ws - 1)) != heads) {
                    throw b.invalid(key + " has " + b.stateDict().dim(key, 1) + " columns; " + dim + " channels make "
                            + heads + " heads");
                }
                sim = c.op("Add", sim, b.constant("rel_bias", c.relativeBias(key, heads)));
            } else if (b.stateDict().has(p + "rel_pos_bias.weight")) {
                throw b.invalid(p + "rel_pos_bias.weight is present but the first block has no position bias");
            }
            String attn = c.op("Softmax", List.of(sim), Map.of("axis", -1L));
            String o = c.op("Transpose", List.of(c.op("MatMul", attn, qkvs[2])), Map.of("perm", new long[] {0, 2, 1, 3}));
            o = c.op("Reshape", o, c.longs("shape", -1, ws, ws, dim));
            o = c.linear(o, p + "to_out.0");
            return c.op("Reshape", o, shape(-1L, c.nh, c.nw, (long) ws, (long) ws, (long) dim));
        }

        /**
         * Attention between the channels of each head: over the pixels of each window, or (grid) over
         * the pixels at one position of every window; queries and keys L2-normalised, scores scaled
         * by a learnt temperature per head.
         */
        String channelAttention(String x, String p, boolean grid) {
            int dim = c.dim;
            long ws = c.ws;
            String qkv = b.conv(b.conv(x, p + "qkv"), p + "qkv_dwconv");
            if (b.channels(qkv) != 3 * dim) {
                throw b.invalid(p + "qkv_dwconv has " + b.channels(qkv) + " outputs, not 3 x " + dim);
            }
            Tensor temperature = b.weight(p + "temperature", 3);
            int[] ts = temperature.shape();
            int h = ts[0];
            if (ts[1] != 1 || ts[2] != 1 || h < 1 || dim % h != 0) {
                throw b.invalid(p + "temperature has shape " + Arrays.toString(ts) + "; it must be (heads, 1, 1) with"
                        + " heads dividing " + dim);
            }
            long d = dim / h;
            String[] parts = new String[3];
            for (int i = 0; i < 3; i++) {
                String t = c.op("Reshape", b.sliceChannels(qkv, i * dim, (i + 1) * dim),
                        shape(0L, (long) h, d, c.nh, ws, c.nw, ws));
                if (grid) {
                    t = c.op("Transpose", List.of(t), Map.of("perm", new long[] {0, 4, 6, 1, 2, 3, 5}));
                    parts[i] = c.op("Reshape", t, c.longs("shape", 0, ws * ws, h, d, -1));
                } else {
                    t = c.op("Transpose", List.of(t), Map.of("perm", new long[] {0, 3, 5, 1, 2, 4, 6}));
                    parts[i] = c.op("Reshape", t, c.longs("shape", 0, -1, h, d, ws * ws));
                }
            }
            String q = normalize(parts[0]);
            String k = normalize(parts[1]);
            String attn = c.op("MatMul", q, c.op("Transpose", List.of(k), Map.of("perm", new long[] {0, 1, 2, 4, 3})));
            attn = c.op("Mul", attn, b.constant("temperature", temperature));
            attn = c.op("Softmax", List.of(attn), Map.of("axis", -1L));
            String o = c.op("MatMul", attn, parts[2]);
            if (grid) {
                o = c.op("Reshape", o, shape(0L, ws, ws, (long) h, d, c.nh, c.nw));
                o = c.op("Transpose", List.of(o), Map.of("perm", new long[] {0, 3, 4, 5, 1, 6, 2}));
            } else {
                o = c.op("Reshape", o, shape(0L, c.nh, c.nw, (long) h, d, ws, ws));
                o = c.op("Transpose", List.of(o), Map.of("perm", new long[] {0, 3, 4, 1, 5, 2, 6}));
            }
            o = b.op("Reshape", List.of(o, shape(0L, (long) dim, c.hp, c.wp)), Map.of(), dim);
            return b.conv(o, p + "project_out");
        }

        /** {@code F.normalize(x, dim=-1)}: x / max(‖x‖₂, 1e-12) along the last axis. */
        String normalize(String x) {
            String norm = c.op("ReduceL2", List.of(x), Map.of("axes", new long[] {-1}, "keepdims", 1L));
            norm = c.op("Clip", norm, b.constant("eps", Tensor.scalar(1e-12f)));
            return c.op("Div", x, norm);
        }

        /**
         * Enhanced spatial attention: a gate from a 1x1 reduction, a stride-2 convolution, a 7x7
         * max-pool with stride 3, a 3x3 convolution, bilinear resize back, plus a 1x1 branch.
         */
        String esa(String x, String p) {
            String c1 = b.conv(x, p + "conv1");
            String c2 = b.conv(c1, p + "conv2", 2, 0);
            int f = b.channels(c2);
            String pooled = b.op("MaxPool", List.of(c2), Map.of("kernel_shape", new long[] {7, 7},
                    "strides", new long[] {3, 3}, "pads", new long[] {0, 0, 0, 0}), f);
            String c3 = b.conv(pooled, p + "conv3");
            // F.interpolate(size=x's, bilinear, align_corners=False) as PyTorch exports it.
            String nc = c.op("Slice", List.of(c.op("Shape", c3), c.longs("s", 0), c.longs("e", 2)), Map.of());
            String hw = c.op("Slice", List.of(c.op("Shape", x), c.longs("s", 2), c.longs("e", 4)), Map.of());
            String sizes = c.op("Concat", List.of(nc, hw), Map.of("axis", 0L));
            String resized = b.op("Resize", List.of(c3, "", "", sizes), Map.of("mode", "linear",
                    "coordinate_transformation_mode", "pytorch_half_pixel"), b.channels(c3));
            String gate = b.sigmoid(b.conv(b.add(resized, b.conv(c1, p + "conv_f")), p + "conv4"));
            if (b.channels(gate) != b.channels(x)) {
                throw b.invalid(p + "conv4 has " + b.channels(gate) + " outputs for " + b.channels(x) + " channels");
            }
            return b.mul(x, gate);
        }

        /** A run-time shape: longs are constants, strings one-element int64 values. */
        private String shape(Object... parts) {
            List<String> ins = new ArrayList<>();
            List<Long> run = new ArrayList<>();
            for (Object o : parts) {
                if (o instanceof Long l) {
                    run.add(l);
                    continue;
                }
                flush(ins, run);
                ins.add((String) o);
            }
            flush(ins, run);
            return c.op("Concat", ins, Map.of("axis", 0L));
        }

        private void flush(List<String> ins, List<Long> run) {
            if (!run.isEmpty()) {
                ins.add(c.longs("shape", run.stream().mapToLong(Long::longValue).toArray()));
                run.clear();
            }
        }

        /** Checks a weight's shape ({@code -1}: any size on that axis) before it is used. */
        private void expect(String key, int... dims) {
            int[] s = b.stateDict().shape(key);
            boolean ok = s.length == dims.length;
            for (int i = 0; ok && i < dims.length; i++) {
                ok = dims[i] < 0 || dims[i] == s[i];
            }
            if (!ok) {
                throw b.invalid("tensor '" + key + "' has shape " + Arrays.toString(s) + "; OmniSR of this width needs "
                        + Arrays.toString(dims).replace("-1", "any"));
            }
        }
    }
}
