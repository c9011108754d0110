package io.srengine.formats.pytorch;

import io.srengine.Tensor;

/**
 * RCAN (Zhang et al. 2018), residual groups of channel-attention blocks (conv, ReLU, conv, then
 * global-average-pool, 1x1 squeeze, ReLU, 1x1 excite, sigmoid gate; residual), each group closed by
 * a conv and a residual, a body conv with the long skip, a conv + pixel-shuffle upsampler and a last
 * conv, in two key layouts:
 *
 * <ul>
 *   <li>BasicSR's: {@code conv_first}, {@code body.G.residual_group.B.rcab}, {@code body.G.conv},
 *       {@code conv_after_body}, {@code upsample}, {@code conv_last}; the input shifted by DIV2K's
 *       mean and scaled to [0, 255];
 *   <li>the authors' (kept by community trainers such as traiNNer-redux): {@code head}, {@code
 *       body.G.body.B.body}, {@code body.G.body.N}, {@code body.N}, {@code tail}, with the mean shift
 *       as stored 1x1 convs {@code sub_mean}/{@code add_mean} around a range the shift's bias tells
 *       (255) or none at all; {@code head.1} instead of {@code head.0} marks the pixel-unshuffle
 *       variant (x1/x2 models unshuffled by 4/scale, run on any size by reflect-padding and cropping).
 * </ul>
 * Residual scale 1 and ReLU, the defaults; neither is stored.
 */
final class RcanArchitecture implements Architecture {
    @Override
    public String name() {
        return "RCAN";
    }

    @Override
    public boolean detect(StateDict sd) {
        return basicsr(sd) || original(sd);
    }

    private static boolean basicsr(StateDict sd) {
        return sd.hasAll("conv_first.weight", "body.0.residual_group.0.rcab.0.weight", "body.0.conv.weight",
                "conv_after_body.weight", "conv_last.weight");
    }

    private static boolean original(StateDict sd) {
        return (sd.has("head.0.weight") || sd.has("head.1.weight"))
                && sd.hasAll("tail.1.weight", "body.0.body.0.body.0.weight", "body.0.body.0.body.3.conv_du.0.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        return basicsr(sd) ? buildBasicSr(sd) : buildOriginal(sd);
    }

    private Network buildBasicSr(StateDict sd) {
        int groups = sd.seqLength("body");
        int nf = sd.dim("conv_first.weight", 0);
        NetBuilder b = new NetBuilder(sd, name());
        String x = b.input(3);
        String fea = b.conv(BasicSrParts.toModelRange(b, x), "conv_first");
        String y = fea;
        for (int g = 0; g < groups; g++) {
            String gp = "body." + g;
            String r = y;
            int n = sd.seqLength(gp + ".residual_group");
            for (int i = 0; i < n; i++) {
                r = rcab(b, r, gp + ".residual_group." + i + ".rcab", ".3.attention.1", ".3.attention.3");
            }
            y = b.add(y, b.conv(r, gp + ".conv"));
        }
        y = b.add(b.conv(y, "conv_after_body"), fea);
        BasicSrParts.Upsampled up = BasicSrParts.upsample(b, y, "upsample");
        String out = BasicSrParts.fromModelRange(b, b.conv(up.value(), "conv_last"));
        return b.finish(out, up.scale(), describe(sd, nf, groups, sd.seqLength("body.0.residual_group"),
                "body.0.residual_group.0.rcab.3.attention.1.weight", "BasicSR layout"));
    }

    private Network buildOriginal(StateDict sd) {
        NetBuilder b = new NetBuilder(sd, name());
        boolean unshuffle = sd.has("head.1.weight");
        String head = unshuffle ? "head.1" : "head.0";
        int nf = sd.dim(head + ".weight", 0);
        int headIn = sd.dim(head + ".weight", 1);
        int groups = sd.seqLength("body") - 1;
        int factor = unshuffle ? (int) Math.round(Math.sqrt(headIn / 3.0)) : 1;
        if (factor * factor * 3 != headIn || (unshuffle && factor != 2 && factor != 4)) {
            throw b.invalid("its first conv '" + head + "' takes " + headIn + " channels; RCAN takes RGB, or RGB"
                    + " unshuffled by 2 or 4");
        }
        boolean norm = sd.has("sub_mean.weight");
        float range = norm ? rgbRange(b) : 1f;

        String x = b.input(3);
        String y = x;
        if (unshuffle) {
            y = b.padAndSpaceToDepth(y, factor);
        }
        if (range != 1f) {
            y = b.scale(y, range);
        }
        if (norm) {
            y = unshuffle ? meanShiftUnshuffled(b, y, factor) : b.conv(y, "sub_mean");
        }
        String fea = unshuffle
                ? b.conv(y, Weights.permuteInputChannels(b.weight(head + ".weight", 4), NetBuilder.unshuffleOrder(3, factor)),
                        b.weight(head + ".bias", 1), head)
                : b.conv(y, head);
        String body = fea;
        for (int g = 0; g < groups; g++) {
            String gp = "body." + g + ".body";
            int n = sd.seqLength(gp) - 1;
            String r = body;
            for (int i = 0; i < n; i++) {
                r = rcab(b, r, gp + "." + i + ".body", ".3.conv_du.0", ".3.conv_du.2");
            }
            body = b.add(body, b.conv(r, gp + "." + n));
        }
        body = b.add(b.conv(body, "body." + groups), fea);
        BasicSrParts.Upsampled up = BasicSrParts.upsample(b, body, "tail.0");
        String out = b.conv(up.value(), "tail.1");
        if (norm) {
            out = b.conv(out, "add_mean");
        }
        if (range != 1f) {
            out = b.scale(out, 1f / range);
        }
        int scale = up.scale() / factor;
        if (unshuffle) {
            if (up.scale() % factor != 0 || scale < 1) {
                throw b.invalid("it unshuffles by " + factor + " but upsamples only " + up.scale() + "x");
            }
            out = b.cropToInput(out, scale);
        }
        String layout = "original layout" + (unshuffle ? ", pixel-unshuffle " + factor : "") + (norm ? "" : ", no mean shift");
        return b.finish(out, scale, describe(sd, nf, groups, sd.seqLength("body.0.body") - 1,
                "body.0.body.0.body.3.conv_du.0.weight", layout));
    }

    /** Residual channel-attention block under {@code p}: convs {@code p.0}, {@code p.2}, gate convs. */
    private static String rcab(NetBuilder b, String x, String p, String squeeze, String excite) {
        String t = b.conv(b.relu(b.conv(x, p + ".0")), p + ".2");
        String gate = b.sigmoid(b.conv(b.relu(b.conv(b.globalAveragePool(t), p + squeeze)), p + excite));
        return b.add(x, b.mul(t, gate));
    }

    /**
     * The range the input was scaled to before the mean shift: the shift's bias is
     * {@code -range * mean / std} and its weight {@code 1 / std}, so range = -bias / (weight * mean).
     */
    private static float rgbRange(NetBuilder b) {
        Tensor w = b.weight("sub_mean.weight", 4);
        Tensor bias = b.weight("sub_mean.bias", 1);
        if (w.dim(0) != 3 || w.dim(1) != 3 || bias.size() != 3) {
            throw b.invalid("its mean shift 'sub_mean' is not a 3x3 1x1 convolution");
        }
        double range = -bias.floats()[0] / (w.floats()[0] * BasicSrParts.DIV2K_MEAN[0]);
        long rounded = Math.round(range);
        if (rounded < 1 || Math.abs(range - rounded) > 1e-3 * rounded) {
            throw b.invalid("its mean shift implies a value range of " + range + "; RCAN uses 1 or 255");
        }
        return rounded;
    }

    /**
     * The mean shift applied after SpaceToDepth: the same 1x1 conv on every unshuffled position, i.e.
     * a grouped conv whose groups are the (dy, dx) blocks of 3 channels that SpaceToDepth produces.
     */
    private static String meanShiftUnshuffled(NetBuilder b, String x, int factor) {
        Tensor w = b.weight("sub_mean.weight", 4);
        Tensor bias = b.weight("sub_mean.bias", 1);
        int blocks = factor * factor;
        float[] gw = new float[blocks * 9];
        float[] gb = new float[blocks * 3];
        for (int k = 0; k < blocks; k++) {
            System.arraycopy(w.floats(), 0, gw, k * 9, 9);
            System.arraycopy(bias.floats(), 0, gb, k * 3, 3);
        }
        return b.conv(x, Tensor.of(gw, blocks * 3, 3, 1, 1), Tensor.of(gb, blocks * 3), "sub_mean");
    }

    private static String describe(StateDict sd, int nf, int groups, int blocks, String squeezeKey, String layout) {
        int squeezed = sd.dim(squeezeKey, 0);
        return "RCAN (" + nf + " features, " + groups + " groups of " + blocks + " blocks, squeeze "
                + (squeezed == 0 ? "?" : nf / squeezed) + ", " + layout + ")";
    }
}
