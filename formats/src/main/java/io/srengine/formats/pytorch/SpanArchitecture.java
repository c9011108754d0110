package io.srengine.formats.pytorch;

import io.srengine.Tensor;
import java.util.List;

/**
 * SPAN, the Swift Parameter-free Attention Network (Wan et al. 2024): every convolution is a
 * Conv3XC whose 1x1-3x3-1x1 training chain and 1x1 skip fold into one 3x3 convolution, which SPAN
 * itself recomputes from the trained weights at each eval forward pass; srengine folds them the same
 * way once, and ignores the stored {@code eval_conv} copy. Blocks (SPAB, usually six) apply three such
 * convolutions with SiLU between them and the parameter-free attention {@code (out + x) *
 * (sigmoid(out) - 0.5)}; the input is shifted by DIV2K's mean and scaled to [0, 255] unless the
 * checkpoint carries the {@code no_norm} buffer.
 */
final class SpanArchitecture implements Architecture {
    private static final float[] MEAN = {0.4488f, 0.4371f, 0.4040f};

    @Override
    public String name() {
        return "SPAN";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_1.sk.weight", "block_1.c1_r.sk.weight", "conv_cat.weight", "conv_2.sk.weight",
                "upsampler.0.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int inCh = sd.dim("conv_1.sk.weight", 1);
        int feat = sd.dim("conv_1.sk.weight", 0);
        int blocks = 0;
        while (sd.has("block_" + (blocks + 1) + ".c1_r.sk.weight")) {
            blocks++;
        }
        int upOut = sd.dim("upsampler.0.weight", 0);
        int scale = (int) Math.round(Math.sqrt((double) upOut / inCh));
        NetBuilder b = new NetBuilder(sd, name());
        if (scale < 1 || scale * scale * inCh != upOut) {
            throw b.invalid("the upsampler's " + upOut + " channels are not " + inCh + " times a square");
        }
        boolean norm = !sd.has("no_norm");
        if (!norm) {
            b.ignore("no_norm");
        }
        String x = b.input(inCh);
        if (norm) {
            if (inCh != 3) {
                throw b.invalid("the input is normalised by an RGB mean but has " + inCh + " channels");
            }
            float[] neg = {-MEAN[0], -MEAN[1], -MEAN[2]};
            x = b.scale(b.add(x, b.channelConstant("mean", neg)), 255f);
        }
        String f0 = conv3xc(b, x, "conv_1");
        String first = null;
        String lastFirst = null;
        String y = f0;
        for (int i = 1; i <= blocks; i++) {
            String p = "block_" + i;
            String out1 = conv3xc(b, y, p + ".c1_r");
            String out2 = conv3xc(b, b.silu(out1), p + ".c2_r");
            String out3 = conv3xc(b, b.silu(out2), p + ".c3_r");
            String att = b.offset(b.sigmoid(out3), -0.5f);
            y = b.mul(b.add(out3, y), att);
            if (i == 1) {
                first = y;
            }
            lastFirst = out1;
        }
        String cat = b.conv(b.concat(List.of(f0, conv3xc(b, y, "conv_2"), first, lastFirst)), "conv_cat");
        String out = b.pixelShuffle(b.conv(cat, "upsampler.0"), scale);
        String desc = "SPAN (" + feat + " features, " + blocks + " blocks" + (norm ? "" : ", no input normalisation") + ")";
        return b.finish(out, scale, desc);
    }

    /** A Conv3XC: its training chain and skip folded into one 3x3 convolution. */
    private static String conv3xc(NetBuilder b, String x, String p) {
        check(b, p);
        Tensor[] fused = Weights.fuseConv3xc(
                b.weight(p + ".conv.0.weight", 4), b.weight(p + ".conv.0.bias", 1),
                b.weight(p + ".conv.1.weight", 4), b.weight(p + ".conv.1.bias", 1),
                b.weight(p + ".conv.2.weight", 4), b.weight(p + ".conv.2.bias", 1),
                b.weight(p + ".sk.weight", 4), b.weight(p + ".sk.bias", 1));
        if (b.stateDict().has(p + ".eval_conv.weight")) {
            b.ignore(p + ".eval_conv.weight");
        }
        if (b.stateDict().has(p + ".eval_conv.bias")) {
            b.ignore(p + ".eval_conv.bias");
        }
        return b.conv(x, fused[0], fused[1], p);
    }

    /** The chain's shapes must compose: 1x1 (in -> m1), 3x3 (m1 -> m2), 1x1 (m2 -> out), skip (in -> out). */
    private static void check(NetBuilder b, String p) {
        StateDict sd = b.stateDict();
        for (String k : List.of("conv.0", "conv.1", "conv.2", "sk")) {
            b.weight(p + "." + k + ".weight", 4);
            b.weight(p + "." + k + ".bias", 1);
        }
        int[] w1 = sd.shape(p + ".conv.0.weight");
        int[] w2 = sd.shape(p + ".conv.1.weight");
        int[] w3 = sd.shape(p + ".conv.2.weight");
        int[] sk = sd.shape(p + ".sk.weight");
        boolean ok = w1[2] == 1 && w1[3] == 1 && w2[1] == w1[0] && w2[2] == 3 && w2[3] == 3 && w3[1] == w2[0]
                && w3[2] == 1 && w3[3] == 1 && sk[2] == 1 && sk[3] == 1 && sk[0] == w3[0] && sk[1] == w1[1]
                && sd.shape(p + ".conv.0.bias")[0] == w1[0] && sd.shape(p + ".conv.1.bias")[0] == w2[0]
                && sd.shape(p + ".conv.2.bias")[0] == w3[0] && sd.shape(p + ".sk.bias")[0] == sk[0];
        if (!ok) {
            throw b.invalid("the Conv3XC '" + p + "' has shapes that do not compose: conv.0 "
                    + java.util.Arrays.toString(w1) + ", conv.1 " + java.util.Arrays.toString(w2) + ", conv.2 "
                    + java.util.Arrays.toString(w3) + ", sk " + java.util.Arrays.toString(sk));
        }
    }
}
