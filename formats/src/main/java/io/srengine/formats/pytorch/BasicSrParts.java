package io.srengine.formats.pytorch;

/**
 * What BasicSR's EDSR and RCAN share: the input shifted by DIV2K's RGB mean and scaled to [0, 255]
 * ({@code (x - mean) * 255}), the output mapped back ({@code y / 255 + mean}), and the upsampler
 * ({@code upsample.0}, {@code upsample.2}, ...: a conv to 4x the features and a pixel shuffle by 2
 * per factor 2, or one conv to 9x and a shuffle by 3).
 */
final class BasicSrParts {
    static final float[] DIV2K_MEAN = {0.4488f, 0.4371f, 0.4040f};
    static final float RANGE = 255f;

    private BasicSrParts() {}

    static String toModelRange(NetBuilder b, String x) {
        float[] neg = {-DIV2K_MEAN[0], -DIV2K_MEAN[1], -DIV2K_MEAN[2]};
        return b.scale(b.add(x, b.channelConstant("neg_mean", neg)), RANGE);
    }

    static String fromModelRange(NetBuilder b, String y) {
        return b.add(b.scale(y, 1 / RANGE), b.channelConstant("mean", DIV2K_MEAN));
    }

    /** The upsampler's result and the factor it upscales by. */
    record Upsampled(String value, int scale) {}

    static Upsampled upsample(NetBuilder b, String x, String prefix) {
        StateDict sd = b.stateDict();
        int nf = b.channels(x);
        int scale = 1;
        int i = 0;
        while (sd.has(prefix + "." + i + ".weight")) {
            int out = sd.dim(prefix + "." + i + ".weight", 0);
            int r = out == 4 * nf ? 2 : out == 9 * nf ? 3 : 0;
            if (r == 0 || (r == 3 && i > 0)) {
                throw b.invalid("upsampler conv '" + prefix + "." + i + "' maps " + nf + " features to " + out
                        + "; BasicSR's upsampler goes to 4x (pixel shuffle 2) or 9x (pixel shuffle 3, once)");
            }
            x = b.pixelShuffle(b.conv(x, prefix + "." + i), r);
            scale *= r;
            i += 2;
        }
        if (i == 0) {
            throw b.invalid("it has no upsampler ('" + prefix + ".0.weight')");
        }
        return new Upsampled(x, scale);
    }
}
