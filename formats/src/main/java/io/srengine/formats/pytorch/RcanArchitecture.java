package io.srengine.formats.pytorch;

/**
 * RCAN (Zhang et al. 2018) as BasicSR names it: {@code conv_first}, residual groups
 * {@code body.G.residual_group.B.rcab} of channel-attention blocks (conv, ReLU, conv, then
 * global-average-pool, 1x1 squeeze, ReLU, 1x1 excite, sigmoid gate; residual) closed by
 * {@code body.G.conv} and a group residual, {@code conv_after_body} with the long skip, the upsampler
 * and {@code conv_last}, in [0, 255] around DIV2K's mean. Residual scale 1, BasicSR's default.
 */
final class RcanArchitecture implements Architecture {
    @Override
    public String name() {
        return "RCAN";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_first.weight", "body.0.residual_group.0.rcab.0.weight", "body.0.conv.weight",
                "conv_after_body.weight", "conv_last.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int groups = sd.seqLength("body");
        int blocks = sd.seqLength("body.0.residual_group");
        int nf = sd.dim("conv_first.weight", 0);
        int squeezed = sd.dim("body.0.residual_group.0.rcab.3.attention.1.weight", 0);
        NetBuilder b = new NetBuilder(sd, name());
        String x = b.input(3);
        String fea = b.conv(BasicSrParts.toModelRange(b, x), "conv_first");
        String y = fea;
        for (int g = 0; g < groups; g++) {
            String gp = "body." + g;
            String r = y;
            int n = sd.seqLength(gp + ".residual_group");
            for (int i = 0; i < n; i++) {
                String p = gp + ".residual_group." + i + ".rcab";
                String t = b.conv(b.relu(b.conv(r, p + ".0")), p + ".2");
                String gate = b.sigmoid(b.conv(b.relu(b.conv(b.globalAveragePool(t), p + ".3.attention.1")),
                        p + ".3.attention.3"));
                r = b.add(r, b.mul(t, gate));
            }
            y = b.add(y, b.conv(r, gp + ".conv"));
        }
        y = b.add(b.conv(y, "conv_after_body"), fea);
        BasicSrParts.Upsampled up = BasicSrParts.upsample(b, y, "upsample");
        String out = BasicSrParts.fromModelRange(b, b.conv(up.value(), "conv_last"));
        String desc = "RCAN (" + nf + " features, " + groups + " groups of " + blocks + " blocks, squeeze "
                + (squeezed == 0 ? "?" : nf / squeezed) + ")";
        return b.finish(out, up.scale(), desc);
    }
}
