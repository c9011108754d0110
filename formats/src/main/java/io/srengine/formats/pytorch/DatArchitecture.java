package io.srengine.formats.pytorch;

import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DAT, the Dual Aggregation Transformer (Chen et al. 2023): residual groups whose blocks alternate
 * spatial window attention (half the channels in split₀ × split₁ rectangles, the other half in
 * split₁ × split₀, padded inside the block to a multiple of the longer side, some blocks shifted on
 * the authors' schedule) with channel attention (between channels over the whole image, with learned
 * temperatures), each coupled to a depthwise-convolution branch through channel and spatial
 * interaction maps, and a spatial-gate feed-forward network. Read from the weights: width, groups,
 * blocks, heads, split sizes (the stored position offsets), the FFN width, {@code 1conv}/{@code
 * 3conv}, upsampler and scale. The dynamic position bias is an MLP of constant offsets, evaluated
 * here once into a table as an export folds it.
 */
final class DatArchitecture implements Architecture {
    private static final float[] MEAN = {0.4488f, 0.4371f, 0.4040f};
    private static final float BN_EPS = 1e-5f;

    @Override
    public String name() {
        return "DAT";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_first.weight", "before_RG.1.weight", "layers.0.blocks.0.ffn.sg.conv.weight",
                "layers.0.blocks.0.attn.attns.0.pos.pos_proj.weight", "norm.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        NetBuilder b = new NetBuilder(sd, name());
        int inCh = sd.dim("conv_first.weight", 1);
        int dim = sd.dim("conv_first.weight", 0);
        int[] split = splitSize(sd, b);
        int m = Math.max(split[0], split[1]);
        boolean threeConv = sd.has("conv_after_body.0.weight");
        SwinIrArchitecture.Upsampler up = SwinIrArchitecture.upsampler(sd, b, inCh);
        if (up.kind().equals("nearest+conv")) {
            throw b.invalid("DAT reconstructs with pixel shuffles; this one has nearest+conv keys");
        }
        SwinIrArchitecture.Ctx c = new SwinIrArchitecture.Ctx(b, m, dim);
        String x = b.input(inCh);
        // Token reshapes use the input's own size; only the spatial attention pads, inside each block.
        String hw = c.op("Slice", List.of(c.op("Shape", x), c.longs("s", 2), c.longs("e", 4)), Map.of());
        c.hp = c.op("Slice", List.of(hw, c.longs("s", 0), c.longs("e", 1)), Map.of());
        c.wp = c.op("Slice", List.of(hw, c.longs("s", 1), c.longs("e", 2)), Map.of());
        Pads pads = pads(c, hw, m);
        if (inCh == 3) {
            x = b.add(x, b.channelConstant("mean", new float[] {-MEAN[0], -MEAN[1], -MEAN[2]}));
        }
        String first = b.conv(x, "conv_first");
        String t = c.layerNorm(c.tokens(first), "before_RG.1");
        int groups = 0;
        int blocks = 0;
        while (sd.has("layers." + groups + ".blocks.0.norm1.weight")) {
            String p = "layers." + groups + ".";
            String y = t;
            for (int i = 0; sd.has(p + "blocks." + i + ".norm1.weight"); i++) {
                String bp = p + "blocks." + i + ".";
                String normed = c.layerNorm(y, bp + "norm1");
                String a;
                if (i % 2 == 0) {
                    boolean shifted = (groups % 2 == 0 && i > 0 && (i - 2) % 4 == 0) || (groups % 2 != 0 && i % 4 == 0);
                    a = spatial(c, normed, bp + "attn.", split, shifted, pads);
                } else {
                    a = channel(c, normed, bp + "attn.");
                }
                y = c.op("Add", y, a);
                y = c.op("Add", y, sgfn(c, c.layerNorm(y, bp + "norm2"), bp + "ffn."));
                blocks++;
            }
            String img = residualConv(b, c.image(y, dim), p + "conv", threeConv);
            t = c.op("Add", t, c.tokens(img));
            groups++;
        }
        String feat = b.add(residualConv(b, c.image(c.layerNorm(t, "norm"), dim), "conv_after_body", threeConv), first);
        String out;
        if (up.kind().equals("pixelshuffle")) {
            String y = b.leakyRelu(b.conv(feat, "conv_before_upsample.0"), 0.01f);
            for (int i = 0; i < up.steps().size(); i++) {
                y = b.pixelShuffle(b.conv(y, "upsample." + 2 * i), up.steps().get(i));
            }
            out = b.conv(y, "conv_last");
        } else {
            out = b.pixelShuffle(b.conv(feat, "upsample.0"), up.scale());
        }
        if (inCh == 3) {
            out = b.add(out, b.channelConstant("mean", MEAN));
        }
        String desc = "DAT " + up.kind() + " x" + up.scale() + " (" + dim + " channels, " + groups + " groups, " + blocks
                + " blocks, split " + split[0] + "x" + split[1] + (threeConv ? ", 3conv" : "") + ")";
        Network net = b.finish(out, up.scale(), desc);
        net.graph().metadata().put(io.srengine.ModelMetadata.TILE_PADDING, Integer.toString(Math.max(16, 2 * m)));
        return net;
    }

    /** split₀ × split₁ of the first spatial attention, from its stored offsets (the first is (1 - H, 1 - W)). */
    private static int[] splitSize(StateDict sd, NetBuilder b) {
        String key = "layers.0.blocks.0.attn.attns.0.rpe_biases";
        Tensor biases = sd.tensor(key);
        float[] v = biases.to(io.srengine.DataType.FLOAT32).floats();
        if (biases.rank() != 2 || biases.dim(1) != 2 || v.length < 2) {
            throw b.invalid(key + " is not a list of (dy, dx) offsets");
        }
        int h = 1 - Math.round(v[0]);
        int w = 1 - Math.round(v[1]);
        if (h < 1 || w < 1 || biases.dim(0) != (2 * h - 1) * (2 * w - 1)) {
            throw b.invalid(key + " holds " + biases.dim(0) + " offsets starting at (" + v[0] + ", " + v[1] + ")");
        }
        return new int[] {h, w};
    }

    private record Pads(String hw, String padded, String hp, String wp) {}

    /** The padding of the spatial attention to a multiple of m, from the input's size. */
    private static Pads pads(SwinIrArchitecture.Ctx c, String hw, int m) {
        String mm = c.longs("m", m);
        String pad = c.op("Mod", c.op("Sub", mm, c.op("Mod", hw, mm)), mm);
        String padded = c.op("Add", hw, pad);
        String hp = c.op("Slice", List.of(padded, c.longs("s", 0), c.longs("e", 1)), Map.of());
        String wp = c.op("Slice", List.of(padded, c.longs("s", 1), c.longs("e", 2)), Map.of());
        return new Pads(hw, c.op("Concat", List.of(c.longs("pads", 0, 0, 0, 0, 0, 0), pad), Map.of("axis", 0L)), hp, wp);
    }

    private static String residualConv(NetBuilder b, String x, String key, boolean three) {
        if (!three) {
            return b.conv(x, key);
        }
        String y = b.leakyRelu(b.conv(x, key + ".0"), 0.2f);
        y = b.leakyRelu(b.conv(y, key + ".2"), 0.2f);
        return b.conv(y, key + ".4");
    }

    /** (B, L, ch) -> (B, ch, H, W) for any channel count. */
    private static String image(SwinIrArchitecture.Ctx c, String t, int ch) {
        return c.image(t, ch);
    }

    /** (B, ch, H, W) -> (B, L, ch). */
    private static String tokens(SwinIrArchitecture.Ctx c, String x, int ch) {
        String y = c.op("Reshape", x, c.longs("shape", 0, ch, -1));
        return c.op("Transpose", List.of(y), Map.of("perm", new long[] {0, 2, 1}));
    }

    private static String slice(SwinIrArchitecture.Ctx c, String x, long from, long to, long axis) {
        return c.op("Slice", List.of(x, c.longs("s", from), c.longs("e", to), c.longs("axis", axis)), Map.of());
    }

    /** conv, BatchNorm, GELU on the depthwise branch; the two interaction maps. */
    private static String dwconv(NetBuilder b, String img, String p) {
        return HatArchitecture.gelu(b, b.batchNorm(b.conv(img, p + "dwconv.0"), p + "dwconv.1", BN_EPS));
    }

    private static String channelMap(NetBuilder b, String img, String p) {
        String y = HatArchitecture.gelu(b, b.batchNorm(b.conv(b.globalAveragePool(img), p + "channel_interaction.1"),
                p + "channel_interaction.2", BN_EPS));
        return b.conv(y, p + "channel_interaction.4");
    }

    private static String spatialMap(NetBuilder b, String img, String p) {
        String y = HatArchitecture.gelu(b, b.batchNorm(b.conv(img, p + "spatial_interaction.0"),
                p + "spatial_interaction.1", BN_EPS));
        return b.conv(y, p + "spatial_interaction.3");
    }

    /** Adaptive spatial attention: two halves of the channels in transposed rectangles, the conv branch, the maps. */
    private static String spatial(SwinIrArchitecture.Ctx c, String x, String p, int[] split, boolean shifted, Pads pads) {
        NetBuilder b = c.b;
        int dim = c.dim;
        int half = dim / 2;
        String qkv = c.linear(x, p + "qkv");
        String vImg = image(c, slice(c, qkv, 2L * dim, 3L * dim, 2), dim);
        // (B, 3C, H, W) zero-padded at the bottom and right, as (B, Hp, Wp, 3C).
        String padded = c.op("Pad", List.of(image(c, qkv, 3 * dim), pads.padded()), Map.of("mode", "constant"));
        String grid = c.op("Transpose", List.of(padded), Map.of("perm", new long[] {0, 2, 3, 1}));
        List<String> halves = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int hs = i == 0 ? split[0] : split[1];
            int wsp = i == 0 ? split[1] : split[0];
            int th = shifted ? hs / 2 : 0;
            int tw = shifted ? wsp / 2 : 0;
            String ap = p + "attns." + i + ".";
            int heads = b.stateDict().dim(ap + "pos.pos3.2.weight", 0);
            if (half % heads != 0) {
                throw b.invalid(half + " channels do not split into " + heads + " heads");
            }
            Win w = new Win(c, hs, wsp, pads);
            List<String> qkvh = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                String part = slice(c, grid, (long) j * dim + (long) i * half, (long) j * dim + (long) (i + 1) * half, 3);
                if (shifted) {
                    part = roll(c, part, th, tw);
                }
                String win = w.partition(part, half);
                String hd = c.op("Reshape", win, c.longs("shape", 0, 0, heads, half / heads));
                qkvh.add(c.op("Transpose", List.of(hd), Map.of("perm", new long[] {0, 2, 1, 3})));
            }
            int n = hs * wsp;
            String q = c.op("Mul", qkvh.get(0), b.constant("scale", Tensor.scalar((float) Math.pow(half / heads, -0.5))));
            String kt = c.op("Transpose", List.of(qkvh.get(1)), Map.of("perm", new long[] {0, 1, 3, 2}));
            String attn = c.op("MatMul", q, kt);
            attn = c.op("Add", attn, b.constant("pos_bias", positionBias(b, ap, hs, wsp, heads)));
            if (shifted) {
                attn = c.op("Reshape", attn, c.op("Concat", List.of(c.longs("b", -1), w.count, c.longs("hnn", heads, n, n)),
                        Map.of("axis", 0L)));
                attn = c.op("Add", attn, w.mask(th, tw));
                attn = c.op("Reshape", attn, c.longs("shape", -1, heads, n, n));
            }
            attn = c.op("Softmax", List.of(attn), Map.of("axis", -1L));
            String o = c.op("Transpose", List.of(c.op("MatMul", attn, qkvh.get(2))), Map.of("perm", new long[] {0, 2, 1, 3}));
            o = w.reverse(c.op("Reshape", o, c.longs("shape", 0, 0, half)), half);
            if (shifted) {
                o = roll(c, o, -th, -tw);
            }
            // The padded rows and columns are dropped before the tokens go back to the input's order.
            String cropped = c.op("Slice", List.of(o, c.longs("s", 0, 0), pads.hw(), c.longs("axes", 1, 2)), Map.of());
            halves.add(c.op("Reshape", cropped, c.longs("shape", 0, -1, half)));
            b.ignore(ap + "rpe_biases");
            b.ignore(ap + "relative_position_index");
        }
        String attened = c.op("Concat", halves, Map.of("axis", 2L));
        String convX = dwconv(b, vImg, p);
        String chMap = c.op("Reshape", channelMap(b, convX, p), c.longs("shape", 0, 1, dim));
        String spMap = spatialMap(b, image(c, attened, dim), p);
        attened = c.op("Mul", attened, c.op("Sigmoid", chMap));
        String conv = c.tokens(b.mul(b.sigmoid(spMap), convX));
        return c.linear(c.op("Add", attened, conv), p + "proj");
    }

    /** Adaptive channel attention: attention between the channels of each head over all tokens. */
    private static String channel(SwinIrArchitecture.Ctx c, String x, String p) {
        NetBuilder b = c.b;
        int dim = c.dim;
        Tensor temperature = b.weight(p + "temperature", 3);
        int heads = temperature.dim(0);
        if (dim % heads != 0) {
            throw b.invalid(dim + " channels do not split into " + heads + " heads");
        }
        int d = dim / heads;
        String qkv = c.op("Reshape", c.linear(x, p + "qkv"), c.longs("shape", 0, 0, 3, heads, d));
        qkv = c.op("Transpose", List.of(qkv), Map.of("perm", new long[] {2, 0, 3, 4, 1}));
        String[] parts = new String[3];
        for (int j = 0; j < 3; j++) {
            parts[j] = c.op("Gather", List.of(qkv, b.constant("i", Tensor.ofLongs(new long[] {j}))), Map.of("axis", 0L));
        }
        String vImg = b.op("Reshape", List.of(parts[2], c.op("Concat", List.of(c.longs("bc", 0, dim), c.hp, c.wp),
                Map.of("axis", 0L))), Map.of(), dim);
        String q = normalize(c, parts[0]);
        String k = normalize(c, parts[1]);
        String attn = c.op("MatMul", q, c.op("Transpose", List.of(k), Map.of("perm", new long[] {0, 1, 3, 2})));
        attn = c.op("Mul", attn, b.constant("temperature", temperature));
        attn = c.op("Softmax", List.of(attn), Map.of("axis", -1L));
        String o = c.op("Transpose", List.of(c.op("MatMul", attn, parts[2])), Map.of("perm", new long[] {0, 3, 1, 2}));
        String attened = c.op("Reshape", o, c.longs("shape", 0, 0, dim));
        String convX = dwconv(b, vImg, p);
        String chMap = channelMap(b, image(c, attened, dim), p);
        String spMap = c.op("Reshape", spatialMap(b, convX, p), c.longs("shape", 0, -1, 1));
        attened = c.op("Mul", attened, c.op("Sigmoid", spMap));
        String conv = c.tokens(b.mul(convX, b.sigmoid(chMap)));
        return c.linear(c.op("Add", attened, conv), p + "proj");
    }

    /** F.normalize over the last axis: x / max(‖x‖₂, 1e-12). */
    private static String normalize(SwinIrArchitecture.Ctx c, String x) {
        String norm = c.op("ReduceL2", List.of(x), Map.of("axes", new long[] {-1}, "keepdims", 1L));
        return c.op("Div", x, c.op("Max", norm, c.b.constant("eps", Tensor.scalar(1e-12f))));
    }

    /** Spatial-gate FFN: fc1, GELU, half times the depthwise-convolved other half, fc2. */
    private static String sgfn(SwinIrArchitecture.Ctx c, String x, String p) {
        NetBuilder b = c.b;
        int hidden = b.stateDict().dim(p + "fc1.weight", 0);
        int half = hidden / 2;
        String h = c.gelu(c.linear(x, p + "fc1"));
        String x1 = slice(c, h, 0, half, 2);
        String x2 = c.layerNorm(slice(c, h, half, hidden, 2), p + "sg.norm");
        x2 = tokens(c, b.conv(image(c, x2, half), p + "sg.conv"), half);
        return c.linear(c.op("Mul", x1, x2), p + "fc2");
    }

    /** torch.roll by (-sh, -sw) over axes 1 and 2 (by (|sh|, |sw|) when negative). */
    private static String roll(SwinIrArchitecture.Ctx c, String x, int sh, int sw) {
        int[] s = {sh, sw};
        for (int a = 0; a < 2; a++) {
            if (s[a] == 0) {
                continue;
            }
            long axis = a + 1;
            String head = slice(c, x, 0, s[a], axis);
            String tail = slice(c, x, s[a], Long.MAX_VALUE, axis);
            x = c.op("Concat", List.of(tail, head), Map.of("axis", axis));
        }
        return x;
    }

    /** The dynamic position bias MLP on every offset, gathered for each pair of window tokens: (1, heads, n, n). */
    private static Tensor positionBias(NetBuilder b, String p, int hs, int wsp, int heads) {
        int rows = (2 * hs - 1) * (2 * wsp - 1);
        float[][] t = new float[rows][];
        for (int r = 0; r < rows; r++) {
            float[] in = {r / (2 * wsp - 1) + 1 - hs, r % (2 * wsp - 1) + 1 - wsp};
            float[] y = linear(b, p + "pos.pos_proj", in);
            for (String stage : List.of("pos1", "pos2", "pos3")) {
                y = linear(b, p + "pos." + stage + ".2", relu(layerNorm(b, p + "pos." + stage + ".0", y)));
            }
            t[r] = y;
        }
        int n = hs * wsp;
        float[] out = new float[heads * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int row = (i / wsp - j / wsp + hs - 1) * (2 * wsp - 1) + (i % wsp - j % wsp + wsp - 1);
                for (int h = 0; h < heads; h++) {
                    out[(h * n + i) * n + j] = t[row][h];
                }
            }
        }
        return Tensor.of(out, 1, heads, n, n);
    }

    private static float[] linear(NetBuilder b, String key, float[] x) {
        Tensor w = b.weight(key + ".weight", 2);
        float[] wv = w.toFloatArray();
        float[] bias = b.weight(key + ".bias", 1).toFloatArray();
        int out = w.dim(0);
        int in = w.dim(1);
        if (in != x.length) {
            throw b.invalid(key + " takes " + in + " values, given " + x.length);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) {
                s += (double) wv[o * in + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    private static float[] layerNorm(NetBuilder b, String key, float[] x) {
        float[] g = b.weight(key + ".weight", 1).toFloatArray();
        float[] be = b.weight(key + ".bias", 1).toFloatArray();
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) ((x[i] - mean) / Math.sqrt(var + 1e-5) * g[i] + be[i]);
        }
        return y;
    }

    private static float[] relu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0f, x[i]);
        }
        return y;
    }

    /** Rectangular windows of hs × ws over the padded grid. */
    private static final class Win {
        final SwinIrArchitecture.Ctx c;
        final int hs;
        final int ws;
        final Pads pads;
        final String nh;
        final String nw;
        final String count;

        Win(SwinIrArchitecture.Ctx c, int hs, int ws, Pads pads) {
            this.c = c;
            this.hs = hs;
            this.ws = ws;
            this.pads = pads;
            this.nh = c.op("Div", pads.hp(), c.longs("hs", hs));
            this.nw = c.op("Div", pads.wp(), c.longs("ws", ws));
            this.count = c.op("Mul", nh, nw);
        }

        String partition(String x, int ch) {
            String y = c.op("Reshape", x, c.op("Concat", List.of(c.longs("b", -1), nh, c.longs("hs", hs), nw,
                    c.longs("wc", ws, ch)), Map.of("axis", 0L)));
            y = c.op("Transpose", List.of(y), Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
            return c.op("Reshape", y, c.longs("shape", -1, (long) hs * ws, ch));
        }

        String reverse(String x, int ch) {
            String y = c.op("Reshape", x, c.op("Concat", List.of(c.longs("b", -1), nh, nw, c.longs("hwc", hs, ws, ch)),
                    Map.of("axis", 0L)));
            y = c.op("Transpose", List.of(y), Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
            return c.op("Reshape", y, c.op("Concat", List.of(c.longs("b", -1), pads.hp(), pads.wp(), c.longs("c", ch)),
                    Map.of("axis", 0L)));
        }

        /** The shifted windows' region mask (1, nW, 1, n, n) for shifts (sh, sw). */
        String mask(int sh, int sw) {
            return c.regionMask(pads.hp(), pads.wp(), nh, nw, hs, ws, sh, sw);
        }
    }
}
