package io.srengine.formats.pytorch;

import java.util.List;

/**
 * RealPLKSR, neosr's variant of PLKSR (Lee et al. 2024, "Partial Large Kernel CNNs"), {@code feats.N}:
 * a 3x3 conv, blocks of [channel LayerNorm when present] conv-Mish-conv channel mixer, a large-kernel
 * conv on the first {@code pdim} channels only, element attention {@code x * sigmoid(conv(x))} when
 * present, a 1x1 refinement and GroupNorm with 4 groups (the count is not stored; 4 is the
 * architecture's default and what spandrel assumes) when there is no LayerNorm, with a residual;
 * then a conv to {@code 3 s^2} channels, the input repeated {@code s^2} times per channel added, and a
 * pixel shuffle. GroupNorm takes its statistics over the whole image, so tiled upscaling changes
 * the result slightly unless a tile covers the image.
 */
final class RealPlksrArchitecture implements Architecture {
    static final int NORM_GROUPS = 4;

    @Override
    public String name() {
        return "RealPLKSR";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("feats.0.weight", "feats.1.lk.conv.weight", "feats.1.refine.weight",
                "feats.1.channel_mixer.0.weight");
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int layers = sd.seqLength("feats");
        int blocks = layers - 3;
        int dim = sd.dim("feats.0.weight", 0);
        int pdim = sd.dim("feats.1.lk.conv.weight", 0);
        int kernel = sd.dim("feats.1.lk.conv.weight", 2);
        boolean ea = sd.has("feats.1.attn.f.0.weight");
        boolean layerNorm = sd.has("feats.1.layer_norm.weight");
        String last = "feats." + (layers - 1);
        NetBuilder b = new NetBuilder(sd, name());
        int outCh = sd.dim(last + ".weight", 0);
        int scale = (int) Math.round(Math.sqrt(outCh / 3.0));
        if (blocks < 1 || scale < 1 || 3 * scale * scale != outCh || sd.dim("feats.0.weight", 1) != 3) {
            throw b.invalid(blocks + " blocks ending in a conv to " + outCh + " channels; RealPLKSR maps RGB to"
                    + " 3 * scale^2 channels");
        }
        String x = b.input(3);
        String y = b.conv(x, "feats.0");
        for (int i = 1; i <= blocks; i++) {
            String p = "feats." + i;
            String skip = y;
            if (layerNorm) {
                y = b.channelLayerNorm(y, p + ".layer_norm", 1e-6f);
            }
            y = b.conv(b.mish(b.conv(y, p + ".channel_mixer.0")), p + ".channel_mixer.2");
            String large = b.conv(b.sliceChannels(y, 0, pdim), p + ".lk.conv");
            y = b.concat(List.of(large, b.sliceChannels(y, pdim, dim)));
            if (ea) {
                y = b.mul(y, b.sigmoid(b.conv(y, p + ".attn.f.0")));
            }
            y = b.conv(y, p + ".refine");
            if (!layerNorm) {
                y = b.groupNorm(y, NORM_GROUPS, p + ".norm", 1e-5f);
            }
            y = b.add(y, skip);
        }
        // feats.(blocks + 1) is a Dropout2d: nothing at inference.
        y = b.conv(y, last);
        int s2 = scale * scale;
        int[] repeat = new int[3 * s2];
        for (int i = 0; i < repeat.length; i++) {
            repeat[i] = i / s2;
        }
        String out = b.pixelShuffle(b.add(y, b.selectChannels(x, repeat)), scale);
        String desc = "RealPLKSR (" + dim + " features, " + blocks + " blocks, kernel " + kernel + ", partial "
                + pdim + " channels" + (ea ? "" : ", no element attention") + (layerNorm ? ", LayerNorm" : ", GroupNorm 4")
                + ")";
        return b.finish(out, scale, desc);
    }
}
