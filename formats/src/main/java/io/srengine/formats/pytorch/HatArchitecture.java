package io.srengine.formats.pytorch;

import io.srengine.Tensor;
import java.util.List;
import java.util.Map;

/**
 * HAT, the Hybrid Attention Transformer (Chen et al. 2023): SwinIR's groups of (shifted) window
 * attention blocks, each with a channel-attention convolution branch (CAB) added at {@value
 * #CONV_SCALE} of its weight, and each group closed by an overlapping cross-attention block (OCAB)
 * whose keys and values come from windows enlarged by the overlap ratio ({@code nn.Unfold} in the
 * authors' code, here a zero padding and two Gathers whose indices follow from the padded size).
 * Read from the weights: width, groups, blocks, heads, window (the self-attention bias table),
 * overlapping window (the cross-attention table's {@code (w + ow - 1)²} rows), CAB compression and
 * squeeze, {@code 1conv} or no residual convolution, scale. The CAB weight {@value #CONV_SCALE} is
 * not stored; it is the authors' value in every released configuration. Classical pixel-shuffle
 * reconstruction only, as released.
 */
final class HatArchitecture implements Architecture {
    private static final float[] MEAN = {0.4488f, 0.4371f, 0.4040f};
    private static final float CONV_SCALE = 0.01f;
    private static final String BLOCK0 = "layers.0.residual_group.blocks.0.";

    @Override
    public String name() {
        return "HAT";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_first.weight", BLOCK0 + "attn.relative_position_bias_table",
                BLOCK0 + "conv_block.cab.0.weight", "layers.0.residual_group.overlap_attn.relative_position_bias_table",
                "norm.weight");
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
        int saRows = sd.dim(BLOCK0 + "attn.relative_position_bias_table", 0);
        int ws = (int) Math.round((Math.sqrt(saRows) + 1) / 2);
        if (ws < 1 || (2 * ws - 1) * (2 * ws - 1) != saRows) {
            throw b.invalid("the relative position bias table has " + saRows + " rows, not (2w-1)² for a window w");
        }
        int ocaRows = sd.dim("layers.0.residual_group.overlap_attn.relative_position_bias_table", 0);
        int ows = (int) Math.round(Math.sqrt(ocaRows)) - ws + 1;
        if (ows < ws || (ws + ows - 1) * (ws + ows - 1) != ocaRows || (ows - ws) % 2 != 0) {
            throw b.invalid("the overlapping attention's bias table has " + ocaRows + " rows, which fits no overlapping"
                    + " window of a " + ws + " window");
        }
        SwinIrArchitecture.Upsampler up = SwinIrArchitecture.upsampler(sd, b, inCh);
        if (!up.kind().equals("pixelshuffle")) {
            throw b.invalid("HAT reconstructs with conv_before_upsample and pixel shuffles; this one has " + up.kind());
        }
        for (String buffer : List.of("relative_position_index_SA", "relative_position_index_OCA")) {
            if (sd.has(buffer)) {
                b.ignore(buffer);
            }
        }
        int[] ocaIndex = overlapIndex(ws, ows);
        SwinIrArchitecture.Ctx c = new SwinIrArchitecture.Ctx(b, ws, dim);
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
        int blocks = 0;
        for (int g = 0; g < groups; g++) {
            String gp = "layers." + g + ".residual_group.";
            String y = t;
            int depth = 0;
            while (sd.has(gp + "blocks." + depth + ".norm1.weight")) {
                y = hab(c, y, gp + "blocks." + depth + ".", depth % 2 == 1);
                depth++;
            }
            blocks += depth;
            y = ocab(c, y, gp + "overlap_attn.", ows, ocaIndex);
            String img = c.image(y, dim);
            if (sd.has("layers." + g + ".conv.weight")) {
                img = b.conv(img, "layers." + g + ".conv");
            }
            t = b.add(c.tokens(img), t);
        }
        String feat = c.image(c.layerNorm(t, "norm"), dim);
        if (sd.has("conv_after_body.weight")) {
            feat = b.conv(feat, "conv_after_body");
        }
        feat = b.add(feat, first);
        String y = b.leakyRelu(b.conv(feat, "conv_before_upsample.0"), 0.01f);
        for (int i = 0; i < up.steps().size(); i++) {
            y = b.pixelShuffle(b.conv(y, "upsample." + 2 * i), up.steps().get(i));
        }
        String out = b.conv(y, "conv_last");
        if (inCh == 3) {
            out = b.add(out, b.channelConstant("mean", MEAN));
        }
        out = b.cropToInput(out, up.scale());
        String desc = "HAT x" + up.scale() + " (" + dim + " channels, " + groups + " groups, " + blocks + " blocks, window "
                + ws + ", overlapping window " + ows + ")";
        Network net = b.finish(out, up.scale(), desc);
        net.graph().metadata().put(io.srengine.ModelMetadata.TILE_PADDING, Integer.toString(Math.max(16, 2 * ws)));
        return net;
    }

    /** Hybrid attention block: window attention and the scaled CAB on the same normalised tokens, then the MLP. */
    private static String hab(SwinIrArchitecture.Ctx c, String x, String p, boolean shifted) {
        NetBuilder b = c.b;
        String normed = c.layerNorm(x, p + "norm1");
        String attn = c.windowAttention(normed, p, shifted);
        String img = c.image(normed, c.dim);
        String h = b.conv(img, p + "conv_block.cab.0");
        h = gelu(b, h);
        h = b.conv(h, p + "conv_block.cab.2");
        String a = b.relu(b.conv(b.globalAveragePool(h), p + "conv_block.cab.3.attention.1"));
        a = b.sigmoid(b.conv(a, p + "conv_block.cab.3.attention.3"));
        String convX = c.op("Mul", c.tokens(b.mul(h, a)), b.constant("conv_scale", Tensor.scalar(CONV_SCALE)));
        String x1 = c.op("Add", c.op("Add", x, attn), convX);
        return c.mlp(x1, p);
    }

    /** GELU (erf form) keeping the channel count for the convolution that follows. */
    static String gelu(NetBuilder b, String x) {
        int ch = b.channels(x);
        String e = b.op("Erf", List.of(b.op("Div", List.of(x, b.scalar((float) Math.sqrt(2))), Map.of(), ch)), Map.of(), ch);
        String y = b.op("Mul", List.of(x, b.op("Add", List.of(e, b.scalar(1f)), Map.of(), ch)), Map.of(), ch);
        return b.op("Mul", List.of(y, b.scalar(0.5f)), Map.of(), ch);
    }

    /** Overlapping cross-attention: queries from the windows, keys and values from the enlarged windows around them. */
    private static String ocab(SwinIrArchitecture.Ctx c, String x, String p, int ows, int[] index) {
        NetBuilder b = c.b;
        int ws = c.ws;
        int dim = c.dim;
        int rows = (ws + ows - 1) * (ws + ows - 1);
        int heads = c.heads(p + "relative_position_bias_table", rows);
        int d = dim / heads;
        int n = ws * ws;
        int on = ows * ows;
        int pad = (ows - ws) / 2;
        String qkv = c.linear(c.layerNorm(x, p + "norm1"), p + "qkv");
        String axis2 = c.longs("axis", 2);
        String q = c.op("Slice", List.of(qkv, c.longs("s", 0), c.longs("e", dim), axis2), Map.of());
        String kv = c.op("Slice", List.of(qkv, c.longs("s", dim), c.longs("e", 3L * dim), axis2), Map.of());
        String qw = c.partition(c.grid(q, dim), dim);
        // nn.Unfold(ows, stride ws, padding pad) as zero padding and gathers of rows and columns.
        String g = c.op("Pad", List.of(c.grid(kv, 2 * dim), c.longs("pads", 0, pad, pad, 0, 0, pad, pad, 0)),
                Map.of("mode", "constant"));
        g = c.op("Gather", List.of(g, starts(c, c.nh, ows)), Map.of("axis", 1L));
        g = c.op("Gather", List.of(g, starts(c, c.nw, ows)), Map.of("axis", 3L));
        g = c.op("Transpose", List.of(g), Map.of("perm", new long[] {0, 1, 3, 2, 4, 5}));
        g = c.op("Reshape", g, c.longs("shape", -1, on, 2L * dim));
        String k = c.op("Slice", List.of(g, c.longs("s", 0), c.longs("e", dim), axis2), Map.of());
        String v = c.op("Slice", List.of(g, c.longs("s", dim), c.longs("e", 2L * dim), axis2), Map.of());
        String qh = heads(c, qw, heads, d);
        String kh = heads(c, k, heads, d);
        String vh = heads(c, v, heads, d);
        qh = c.op("Mul", qh, b.constant("scale", Tensor.scalar((float) Math.pow(d, -0.5))));
        String attn = c.op("MatMul", qh, c.op("Transpose", List.of(kh), Map.of("perm", new long[] {0, 1, 3, 2})));
        float[] table = b.weight(p + "relative_position_bias_table", 2).toFloatArray();
        float[] bias = new float[heads * n * on];
        for (int i = 0; i < n * on; i++) {
            int row = Math.floorMod(index[i], rows); // a negative index counts from the end, as in PyTorch
            for (int h = 0; h < heads; h++) {
                bias[h * n * on + i] = table[row * heads + h];
            }
        }
        attn = c.op("Add", attn, b.constant("oca_bias", Tensor.of(bias, 1, heads, n, on)));
        attn = c.op("Softmax", List.of(attn), Map.of("axis", -1L));
        String o = c.op("Transpose", List.of(c.op("MatMul", attn, vh)), Map.of("perm", new long[] {0, 2, 1, 3}));
        o = c.op("Reshape", o, c.longs("shape", 0, 0, dim));
        o = c.op("Reshape", c.unpartition(o), c.longs("shape", 0, -1, dim));
        String x1 = c.op("Add", c.linear(o, p + "proj"), x);
        return c.mlp(x1, p);
    }

    /** (B', T, C) -> (B', heads, T, d). */
    private static String heads(SwinIrArchitecture.Ctx c, String x, int heads, int d) {
        String y = c.op("Reshape", x, c.longs("shape", 0, 0, heads, d));
        return c.op("Transpose", List.of(y), Map.of("perm", new long[] {0, 2, 1, 3}));
    }

    /** (count, ows) indices {@code i·ws + r} into the padded axis: the rows (or columns) of each enlarged window. */
    private static String starts(SwinIrArchitecture.Ctx c, String count, int ows) {
        NetBuilder b = c.b;
        String scalar = c.op("Squeeze", count, c.longs("ax", 0));
        String i = c.op("Range", c.scalarLong("zero", 0), scalar, c.scalarLong("one", 1));
        String base = c.op("Unsqueeze", c.op("Mul", i, c.scalarLong("ws", c.ws)), c.longs("ax", 1));
        long[] r = new long[ows];
        for (int j = 0; j < ows; j++) {
            r[j] = j;
        }
        return c.op("Add", base, b.constant("r", Tensor.ofLongs(r, 1, ows)));
    }

    /**
     * HAT's index from a query window token to a token of the overlapping window around it (its
     * calculate_rpi_oca): {@code (Δrow + w - ow + 1)·(w + ow - 1) + Δcol + w - ow + 1}, where Δ is
     * the key's coordinate in the enlarged window minus the query's in its window.
     */
    private static int[] overlapIndex(int ws, int ows) {
        int[] idx = new int[ws * ws * ows * ows];
        int off = ws - ows + 1;
        for (int qi = 0; qi < ws * ws; qi++) {
            for (int ki = 0; ki < ows * ows; ki++) {
                int dr = ki / ows - qi / ws + off;
                int dc = ki % ows - qi % ws + off;
                idx[qi * ows * ows + ki] = dr * (ws + ows - 1) + dc;
            }
        }
        return idx;
    }
}
