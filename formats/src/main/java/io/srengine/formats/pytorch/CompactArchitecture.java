package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.regex.Pattern;

/**
 * Real-ESRGAN's SRVGGNetCompact ({@code body.N}): 3x3 convolutions each followed by an activation
 * in low resolution, a last convolution to {@code out * s^2} channels, a pixel shuffle, and the
 * nearest-upsampled input added. PReLU slopes are stored ({@code body.1.weight}, ...); ReLU and
 * LeakyReLU (slope 0.1) leave no trace in the weights, so for checkpoints without slopes the
 * activation must come from {@link BuildOptions#compactActivation()}.
 */
final class CompactArchitecture implements Architecture {
    private static final Pattern KEY = Pattern.compile("body\\.\\d+\\.(weight|bias)");

    @Override
    public String name() {
        return "SRVGGNetCompact";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.has("body.0.weight") && sd.shape("body.0.weight").length == 4 && sd.allKeysMatch(KEY);
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int n = sd.seqLength("body");
        boolean prelu = sd.has("body.1.weight");
        String act = prelu ? "prelu" : options.compactActivation();
        if (act == null) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " is an SRVGGNetCompact without PReLU"
                    + " slopes, so its activation (ReLU or LeakyReLU 0.1) is not recorded in the checkpoint; name it"
                    + " with -Dsrengine.pytorch.compact-activation=relu|leakyrelu or SRENGINE_PYTORCH_COMPACT_ACTIVATION");
        }
        if (!prelu && act.equals("prelu")) {
            throw new SrException(ErrorCode.INVALID_MODEL, sd.source() + " has no PReLU slopes but the activation"
                    + " was given as prelu");
        }
        int inCh = sd.dim("body.0.weight", 1);
        int nf = sd.dim("body.0.weight", 0);
        int lastOut = sd.dim("body." + (n - 1) + ".weight", 0);
        int scale = (int) Math.round(Math.sqrt((double) lastOut / inCh));
        if (scale < 1 || scale * scale * inCh != lastOut) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " (SRVGGNetCompact) ends in " + lastOut
                    + " channels, which is not " + inCh + " times a square; srengine builds image-to-image models");
        }
        NetBuilder b = new NetBuilder(sd, name());
        String x = b.input(inCh);
        String y = x;
        int convs = 0;
        // Convs at 0, 2, 4, ... with an activation (PReLU weights at the odd indices) after each but the last.
        for (int i = 0; i < n; i += 2) {
            y = b.conv(y, "body." + i);
            convs++;
            if (i == n - 1) {
                break;
            }
            y = switch (act) {
                case "prelu" -> b.prelu(y, "body." + (i + 1) + ".weight");
                case "relu" -> b.relu(y);
                default -> b.leakyRelu(y, 0.1f);
            };
        }
        if ((n - 1) % 2 != 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, sd.source() + " (SRVGGNetCompact) ends with body." + (n - 1)
                    + ", an activation, where the last module is a convolution");
        }
        String out = b.add(b.pixelShuffle(y, scale), b.upsampleNearest(x, scale));
        String desc = "SRVGGNetCompact (" + nf + " features, " + (convs - 2) + " body convolutions, "
                + (act.equals("prelu") ? "PReLU" : act.equals("relu") ? "ReLU" : "LeakyReLU 0.1") + ")";
        return b.finish(out, scale, desc);
    }
}
