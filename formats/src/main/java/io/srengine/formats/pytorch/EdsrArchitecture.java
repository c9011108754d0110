package io.srengine.formats.pytorch;

/**
 * EDSR (Lim et al. 2017) as BasicSR names it: {@code conv_first}, residual blocks
 * {@code body.N.conv1/conv2} (conv, ReLU, conv, scaled residual), {@code conv_after_body} with the
 * long skip, the upsampler and {@code conv_last}, in [0, 255] around DIV2K's mean. The residual
 * scale is not stored: BasicSR's configurations use 0.1 for the 256-feature EDSR and 1 for the
 * 64-feature one, which is the default here; {@link BuildOptions#residualScale()} overrides it.
 */
final class EdsrArchitecture implements Architecture {
    @Override
    public String name() {
        return "EDSR";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("conv_first.weight", "body.0.conv1.weight", "body.0.conv2.weight", "conv_after_body.weight",
                "upsample.0.weight", "conv_last.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int blocks = sd.seqLength("body");
        int nf = sd.dim("conv_first.weight", 0);
        float resScale = options.residualScale() != null ? options.residualScale().floatValue() : nf >= 256 ? 0.1f : 1f;
        NetBuilder b = new NetBuilder(sd, name());
        String x = b.input(3);
        String fea = b.conv(BasicSrParts.toModelRange(b, x), "conv_first");
        String y = fea;
        for (int i = 0; i < blocks; i++) {
            String p = "body." + i;
            String r = b.conv(b.relu(b.conv(y, p + ".conv1")), p + ".conv2");
            y = b.add(y, resScale == 1f ? r : b.scale(r, resScale));
        }
        y = b.add(b.conv(y, "conv_after_body"), fea);
        BasicSrParts.Upsampled up = BasicSrParts.upsample(b, y, "upsample");
        String out = BasicSrParts.fromModelRange(b, b.conv(up.value(), "conv_last"));
        String desc = "EDSR (" + nf + " features, " + blocks + " blocks, residual scale " + resScale + ")";
        return b.finish(out, up.scale(), desc);
    }
}
