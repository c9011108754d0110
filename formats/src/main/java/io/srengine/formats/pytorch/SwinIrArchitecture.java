package io.srengine.formats.pytorch;

import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SwinIR (Liang et al. 2021), the classical ({@code pixelshuffle}), lightweight ({@code
 * pixelshuffledirect}) and real-world ({@code nearest+conv}) super-resolution variants. Everything
 * is read from the weights as spandrel does: the embedding width from {@code conv_first}, the
 * residual groups and their blocks from the keys, the window from the relative position bias table
 * ({@code (2w-1)²} rows, one column per head), the MLP width from {@code fc1}, {@code 1conv} or
 * {@code 3conv} residual convolutions, the upsampler and the scale from the upsampling convolutions.
 * Odd blocks are shifted by half a window when they carry the {@code attn_mask} buffer, which the
 * authors' code saves exactly for the shifted blocks (a training size no larger than the window
 * has none, and no shift).
 *
 * <p>The graph is the one {@code torch.onnx.export} makes of the authors' forward pass, op for op
 * (reflect padding to a multiple of the window computed at run time with {@code Mod}, token reshapes,
 * cyclic shifts as Slice and Concat, window partition, attention with the relative position bias
 * and, on shifted blocks, the region mask built from the padded size), so that shape
 * specialisation folds the same arithmetic and the cpu backend's transformer fusion applies to it as
 * to an export. Buffers ({@code relative_position_index}, {@code attn_mask}) are recomputed, as the
 * forward pass does for the actual size.
 */
final class SwinIrArchitecture implements Architecture {
    private static final float[] MEAN = {0.4488f, 0.4371f, 0.4040f};
    private static final String BLOCK0 = "layers.0.residual_group.blocks.0.";

    @Override
    public String name() {
        return "SwinIR";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_first.weight", BLOCK0 + "attn.relative_position_bias_table", BLOCK0 + "attn.qkv.weight",
                BLOCK0 + "norm1.weight", BLOCK0 + "mlp.fc1.weight", "norm.weight")
                && !sd.has("patch_embed.proj.weight") && !sd.hasPrefix(BLOCK0 + "conv_block.");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        NetBuilder b = new NetBuilder(sd, name());
        int inCh = sd.dim("conv_first.weight", 1);
        int dim = sd.dim("conv_first.weight", 0);
        int groups = 0;
        while (sd.has("layers." + groups + ".residual_group.blocks.0.norm1.weight")) {
            groups++;
        }
        int tableRows = sd.dim(BLOCK0 + "attn.relative_position_bias_table", 0);
        int ws = (int) Math.round((Math.sqrt(tableRows) + 1) / 2);
        if ((2 * ws - 1) * (2 * ws - 1) != tableRows || ws < 1) {
            throw b.invalid("the relative position bias table has " + tableRows + " rows, not (2w-1)² for a window w");
        }
        boolean threeConv = sd.has("conv_after_body.0.weight");
        Upsampler up = upsampler(sd, b, inCh);
        int scale = up.scale;
        Ctx c = new Ctx(b, ws, dim);

        String x = b.input(inCh);
        c.start(x);
        x = c.padded;
        if (inCh == 3) {
            x = b.add(x, b.channelConstant("mean", new float[] {-MEAN[0], -MEAN[1], -MEAN[2]}));
        }
        String first = b.conv(x, "conv_first");
        String t = c.tokens(first);
        if (sd.has("patch_embed.norm.weight")) {
            t = c.layerNorm(t, "patch_embed.norm");
        }
        int blocksTotal = 0;
        for (int g = 0; g < groups; g++) {
            String gp = "layers." + g + ".residual_group.blocks.";
            String y = t;
            int depth = 0;
            while (sd.has(gp + depth + ".norm1.weight")) {
                y = c.block(y, gp + depth + ".", depth % 2 == 1 && sd.has(gp + depth + ".attn_mask"));
                depth++;
            }
            blocksTotal += depth;
            String img = residualConv(b, c.image(y, dim), "layers." + g + ".conv", threeConv);
            t = b.add(c.tokens(img), t);
        }
        String feat = b.add(residualConv(b, c.image(c.layerNorm(t, "norm"), dim), "conv_after_body", threeConv), first);
        String out = switch (up.kind) {
            case "pixelshuffle" -> {
                String y = b.leakyRelu(b.conv(feat, "conv_before_upsample.0"), 0.01f);
                for (int i = 0; i < up.steps.size(); i++) {
                    y = b.pixelShuffle(b.conv(y, "upsample." + 2 * i), up.steps.get(i));
                }
                yield b.conv(y, "conv_last");
            }
            case "pixelshuffledirect" -> b.pixelShuffle(b.conv(feat, "upsample.0"), scale);
            default -> {
                String y = b.leakyRelu(b.conv(feat, "conv_before_upsample.0"), 0.01f);
                y = b.leakyRelu(b.conv(b.upsampleNearest(y, 2), "conv_up1"), 0.2f);
                if (scale == 4) {
                    y = b.leakyRelu(b.conv(b.upsampleNearest(y, 2), "conv_up2"), 0.2f);
                }
                yield b.conv(b.leakyRelu(b.conv(y, "conv_hr"), 0.2f), "conv_last");
            }
        };
        if (inCh == 3) {
            out = b.add(out, b.channelConstant("mean", MEAN));
        }
        out = b.cropToInput(out, scale);
        String desc = "SwinIR " + up.kind + " x" + scale + " (" + dim + " channels, " + groups + " groups, " + blocksTotal
                + " blocks, window " + ws + (threeConv ? ", 3conv" : "") + ")";
        Network net = b.finish(out, scale, desc);
        // Two windows of context per tile (io.srengine.upscale.ModelTiling); the upscaler finds the window
        // grid from the Mod of the run-time padding.
        net.graph().metadata().put(io.srengine.ModelMetadata.TILE_PADDING, Integer.toString(Math.max(16, 2 * ws)));
        return net;
    }

    record Upsampler(String kind, int scale, List<Integer> steps) {}

    static Upsampler upsampler(StateDict sd, NetBuilder b, int inCh) {
        if (sd.has("conv_up1.weight")) {
            return new Upsampler("nearest+conv", sd.has("conv_up2.weight") ? 4 : 2, List.of());
        }
        if (sd.has("conv_before_upsample.0.weight")) {
            int feat = sd.dim("conv_before_upsample.0.weight", 0);
            List<Integer> steps = new ArrayList<>();
            int scale = 1;
            for (int i = 0; sd.has("upsample." + 2 * i + ".weight"); i++) {
                int out = sd.dim("upsample." + 2 * i + ".weight", 0);
                int r = out == 4 * feat ? 2 : out == 9 * feat ? 3 : 0;
                if (r == 0) {
                    throw b.invalid("upsample." + 2 * i + " has " + out + " outputs, neither 4 nor 9 times " + feat);
                }
                steps.add(r);
                scale *= r;
            }
            if (steps.isEmpty()) {
                throw b.invalid("conv_before_upsample without upsample convolutions");
            }
            return new Upsampler("pixelshuffle", scale, steps);
        }
        if (sd.has("upsample.0.weight")) {
            int out = sd.dim("upsample.0.weight", 0);
            int r = (int) Math.round(Math.sqrt((double) out / inCh));
            if (r < 1 || r * r * inCh != out) {
                throw b.invalid("upsample.0 has " + out + " outputs, not " + inCh + " times a square");
            }
            return new Upsampler("pixelshuffledirect", r, List.of(r));
        }
        throw new io.srengine.SrException(io.srengine.ErrorCode.UNSUPPORTED_OP, sd.source()
                + " is SwinIR without an upsampler (denoising or JPEG artefact removal), which srengine does not build");
    }

    /** {@code 1conv}: one 3x3; {@code 3conv}: 3x3 to C/4, LeakyReLU, 1x1, LeakyReLU, 3x3 back. */
    private static String residualConv(NetBuilder b, String x, String key, boolean three) {
        if (!three) {
            return b.conv(x, key);
        }
        String y = b.leakyRelu(b.conv(x, key + ".0"), 0.2f);
        y = b.leakyRelu(b.conv(y, key + ".2"), 0.2f);
        return b.conv(y, key + ".4");
    }

    /** The token-side graph: shapes computed from the padded input's at run time, as an export does. */
    static final class Ctx {
        final NetBuilder b;
        final int ws;
        final int dim;
        String padded;
        String hp;
        String wp;
        String nh;
        String nw;
        private String windows;
        private String mask;

        Ctx(NetBuilder b, int ws, int dim) {
            this.b = b;
            this.ws = ws;
            this.dim = dim;
        }

        String longs(String prefix, long... v) {
            return b.constant(prefix, Tensor.ofLongs(v, v.length));
        }

        String op(String type, List<String> in, Map<String, ?> attrs) {
            return b.op(type, in, attrs, -1);
        }

        String op(String type, String... in) {
            return b.op(type, List.of(in), Map.of(), -1);
        }

        /** Reflect-pads x (NCHW) at the bottom and right to a multiple of the window; records the padded size. */
        void start(String x) {
            start(x, "reflect");
        }

        /** Pads x (NCHW) at the bottom and right to a multiple of the window in the ONNX Pad mode given. */
        void start(String x, String mode) {
            String hw = op("Slice", List.of(op("Shape", x), longs("s", 2), longs("e", 4)), Map.of());
            String w = longs("ws", ws);
            String pad = op("Mod", op("Sub", w, op("Mod", hw, w)), w);
            String pads = op("Concat", List.of(longs("pads", 0, 0, 0, 0, 0, 0), pad), Map.of("axis", 0L));
            padded = b.op("Pad", List.of(x, pads), Map.of("mode", mode), b.channels(x));
            String phw = op("Add", hw, pad);
            hp = op("Slice", List.of(phw, longs("s", 0), longs("e", 1)), Map.of());
            wp = op("Slice", List.of(phw, longs("s", 1), longs("e", 2)), Map.of());
            nh = op("Div", hp, w);
            nw = op("Div", wp, w);
            windows = op("Mul", nh, nw);
        }

        /** (B, C, Hp, Wp) -> (B, HpWp, C). */
        String tokens(String x) {
            String y = op("Reshape", x, longs("shape", 0, dim, -1));
            return op("Transpose", List.of(y), Map.of("perm", new long[] {0, 2, 1}));
        }

        /** (B, HpWp, C) -> (B, C, Hp, Wp), channels known again. */
        String image(String t, int c) {
            String tr = op("Transpose", List.of(t), Map.of("perm", new long[] {0, 2, 1}));
            String shape = op("Concat", List.of(longs("bc", 0, c), hp, wp), Map.of("axis", 0L));
            return b.op("Reshape", List.of(tr, shape), Map.of(), c);
        }

        String layerNorm(String x, String key) {
            Tensor w = b.weight(key + ".weight", 1);
            Tensor bias = b.weight(key + ".bias", 1);
            return op("LayerNormalization", List.of(x, b.constant("ln_w", w), b.constant("ln_b", bias)),
                    Map.of("axis", -1L, "epsilon", 1e-5f));
        }

        /** {@code nn.Linear}: MatMul by the transposed weight, then the bias, as the export writes it. */
        String linear(String x, String key) {
            Tensor w = b.weight(key + ".weight", 2);
            int out = w.dim(0);
            int in = w.dim(1);
            float[] src = w.toFloatArray();
            float[] wt = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    wt[i * out + o] = src[o * in + i];
                }
            }
            String y = op("MatMul", x, b.constant("w", Tensor.of(wt, in, out)));
            if (b.stateDict().has(key + ".bias")) {
                y = op("Add", y, b.constant("b", b.weight(key + ".bias", 1)));
            }
            return y;
        }

        /** One Swin transformer block on tokens (B, HpWp, C). */
        String block(String x, String p, boolean shifted) {
            b.ignore(p + "attn.relative_position_index");
            if (shifted) {
                b.ignore(p + "attn_mask");
            }
            String x1 = op("Add", x, windowAttention(layerNorm(x, p + "norm1"), p, shifted));
            return mlp(x1, p);
        }

        /** {@code x + fc2(GELU(fc1(norm2(x))))}. */
        String mlp(String x, String p) {
            String h = linear(gelu(linear(layerNorm(x, p + "norm2"), p + "mlp.fc1")), p + "mlp.fc2");
            return op("Add", x, h);
        }

        int heads(String tableKey, int rows) {
            int heads = b.stateDict().dim(tableKey, 1);
            if (b.stateDict().dim(tableKey, 0) != rows) {
                throw b.invalid(tableKey + " has " + b.stateDict().dim(tableKey, 0) + " rows; the window needs " + rows);
            }
            if (dim % heads != 0) {
                throw b.invalid(dim + " channels do not split into " + heads + " heads");
            }
            return heads;
        }

        /** (B, HpWp, C) tokens as (B, Hp, Wp, C). */
        String grid(String t, int c) {
            return op("Reshape", t, op("Concat", List.of(longs("b", 0), hp, wp, longs("c", c)), Map.of("axis", 0L)));
        }

        /** (B, Hp, Wp, C) -> (B·nW, ws², C), windows in row-major order. */
        String partition(String y, int c) {
            y = op("Reshape", y, op("Concat", List.of(longs("b", -1), nh, longs("ws", ws), nw, longs("wc", ws, c)),
                    Map.of("axis", 0L)));
            y = op("Transpose", List.of(y), Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
            return op("Reshape", y, longs("shape", -1, (long) ws * ws, c));
        }

        /** (B·nW, ws², C) -> (B, HpWp, C). */
        String unpartition(String y) {
            y = op("Reshape", y, op("Concat", List.of(longs("b", -1), nh, nw, longs("wwc", ws, ws, dim)),
                    Map.of("axis", 0L)));
            y = op("Transpose", List.of(y), Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
            y = op("Reshape", y, op("Concat", List.of(longs("b", -1), hp, wp, longs("c", dim)), Map.of("axis", 0L)));
            return y;
        }

        /** (Shifted) window attention of normalised tokens, back in token order (no residual). */
        String windowAttention(String normed, String p, boolean shifted) {
            int s = shifted ? ws / 2 : 0;
            int heads = heads(p + "attn.relative_position_bias_table", (2 * ws - 1) * (2 * ws - 1));
            String y = grid(normed, dim);
            if (s > 0) {
                y = roll(y, s);
            }
            y = unpartition(attention(partition(y, dim), p, heads, s > 0));
            if (s > 0) {
                y = roll(y, -s);
            }
            return op("Reshape", y, longs("shape", 0, -1, dim));
        }

        /** torch.roll by -s (s > 0) or |s| (s < 0) along axes 1 and 2 of (B, H, W, C): two slices and a concat each. */
        private String roll(String x, int s) {
            for (long axis = 1; axis <= 2; axis++) {
                String ax = longs("axis", axis);
                String head = op("Slice", List.of(x, longs("s", 0), longs("e", s), ax), Map.of());
                String tail = op("Slice", List.of(x, longs("s", s), longs("e", Long.MAX_VALUE), ax), Map.of());
                x = op("Concat", List.of(tail, head), Map.of("axis", axis));
            }
            return x;
        }

        String gelu(String x) {
            String e = op("Erf", op("Div", x, b.constant("sqrt2", Tensor.scalar((float) Math.sqrt(2)))));
            String y = op("Mul", x, op("Add", e, b.constant("one", Tensor.scalar(1f))));
            return op("Mul", y, b.constant("half", Tensor.scalar(0.5f)));
        }

        /** Window attention on (B·nW, N, C) windows. */
        private String attention(String x, String p, int heads, boolean masked) {
            int d = dim / heads;
            int nTok = ws * ws;
            String qkv = linear(x, p + "attn.qkv");
            qkv = op("Reshape", qkv, longs("shape", 0, 0, 3, heads, d));
            qkv = op("Transpose", List.of(qkv), Map.of("perm", new long[] {2, 0, 3, 1, 4}));
            String q = op("Gather", List.of(qkv, b.constant("i", Tensor.ofLongs(new long[] {0}))), Map.of("axis", 0L));
            String k = op("Gather", List.of(qkv, b.constant("i", Tensor.ofLongs(new long[] {1}))), Map.of("axis", 0L));
            String v = op("Gather", List.of(qkv, b.constant("i", Tensor.ofLongs(new long[] {2}))), Map.of("axis", 0L));
            q = op("Mul", q, b.constant("scale", Tensor.scalar((float) Math.pow(d, -0.5))));
            String kt = op("Transpose", List.of(k), Map.of("perm", new long[] {0, 1, 3, 2}));
            String attn = op("MatMul", q, kt);
            attn = op("Add", attn, b.constant("rel_bias", relativeBias(p + "attn.relative_position_bias_table", heads)));
            if (masked) {
                attn = op("Reshape", attn, op("Concat", List.of(longs("b", -1), windows, longs("hnn", heads, nTok, nTok)),
                        Map.of("axis", 0L)));
                attn = op("Add", attn, mask());
                attn = op("Reshape", attn, longs("shape", -1, heads, nTok, nTok));
            }
            attn = op("Softmax", List.of(attn), Map.of("axis", -1L));
            String o = op("MatMul", attn, v);
            o = op("Transpose", List.of(o), Map.of("perm", new long[] {0, 2, 1, 3}));
            o = op("Reshape", o, longs("shape", 0, 0, dim));
            return linear(o, p + "attn.proj");
        }

        /** The rows of the bias table {@code ((2w-1)², heads)} for every pair of window tokens: (1, heads, N, N). */
        Tensor relativeBias(String tableKey, int heads) {
            float[] table = b.weight(tableKey, 2).toFloatArray();
            int n = ws * ws;
            float[] out = new float[heads * n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int row = (i / ws - j / ws + ws - 1) * (2 * ws - 1) + (i % ws - j % ws + ws - 1);
                    for (int h = 0; h < heads; h++) {
                        out[(h * n + i) * n + j] = table[row * heads + h];
                    }
                }
            }
            return Tensor.of(out, 1, heads, n, n);
        }

        /** The shifted windows' mask for this block size, built once per graph (see {@link #regionMask}). */
        String mask() {
            if (mask == null) {
                mask = regionMask(hp, wp, nh, nw, ws, ws, ws / 2, ws / 2);
            }
            return mask;
        }

        /**
         * The mask (1, nW, 1, N, N) of wh × ww windows shifted by (sh, sw) over an h × w grid, from the
         * grid's size at run time: each pixel's region (3 bands per axis: before the last window, the
         * last window up to the shift, the shift), window-partitioned; 0 where two tokens share a
         * region, -100 elsewhere, as the authors compute it.
         */
        String regionMask(String h, String w, String rowsOfWindows, String colsOfWindows, int wh, int ww, int sh, int sw) {
            String rows = band(h, wh, sh, new long[] {-1, 1});
            String cols = band(w, ww, sw, new long[] {1, -1});
            String label = op("Add", op("Mul", rows, b.constant("three", Tensor.scalar(3f))), cols);
            String win = op("Reshape", label, op("Concat", List.of(rowsOfWindows, longs("wh", wh), colsOfWindows,
                    longs("ww", ww)), Map.of("axis", 0L)));
            win = op("Transpose", List.of(win), Map.of("perm", new long[] {0, 2, 1, 3}));
            win = op("Reshape", win, longs("shape", -1, (long) wh * ww));
            String diff = op("Sub", op("Unsqueeze", win, longs("ax", 1)), op("Unsqueeze", win, longs("ax", 2)));
            String same = op("Equal", diff, b.constant("zero", Tensor.scalar(0f)));
            String m = op("Where", same, b.constant("zero", Tensor.scalar(0f)), b.constant("neg", Tensor.scalar(-100f)));
            return op("Unsqueeze", m, longs("ax", 0, 2));
        }

        /** Region 0, 1 or 2 of each index 0..len-1 along one axis, as floats shaped {@code shape}. */
        private String band(String len, int w, int s, long[] shape) {
            String scalar = op("Squeeze", len, longs("ax", 0));
            String idx = op("Range", scalarLong("zero", 0), scalar, scalarLong("one", 1));
            String a = op("Cast", List.of(op("Greater", idx, op("Sub", scalar, scalarLong("k", w + 1)))), Map.of("to", 1L));
            String c = op("Cast", List.of(op("Greater", idx, op("Sub", scalar, scalarLong("k", s + 1)))), Map.of("to", 1L));
            return op("Reshape", op("Add", a, c), longs("shape", shape));
        }

        String scalarLong(String prefix, long v) {
            return b.constant(prefix, Tensor.ofLongs(new long[] {v}, new int[0]));
        }
    }
}
