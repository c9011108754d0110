package io.srengine.formats.pytorch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * DnCNN and FDnCNN as KAIR names them ({@code model.N}): a conv and ReLU, convs each followed by
 * batch norm (eps 1e-4, KAIR's) and ReLU or by ReLU alone, and a last conv. DnCNN (as many
 * channels in as out) predicts the noise and returns {@code x - noise}; FDnCNN takes one more input
 * channel, a noise-level map, and returns the clean image: srengine feeds it a constant map of
 * {@link BuildOptions#noiseLevel()} / 255 (KAIR's default 15).
 */
final class DncnnArchitecture implements Architecture {
    private static final Pattern KEY = Pattern.compile("model\\.\\d+\\.(weight|bias|running_mean|running_var|num_batches_tracked)");

    @Override
    public String name() {
        return "DnCNN";
    }

    @Override
    public boolean detect(StateDict sd) {
        return sd.hasAll("model.0.weight", "model.0.bias", "model.2.weight") && sd.allKeysMatch(KEY);
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        int n = sd.seqLength("model");
        List<Integer> convs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (sd.has("model." + i + ".weight") && sd.shape("model." + i + ".weight").length == 4) {
                convs.add(i);
            }
        }
        NetBuilder b = new NetBuilder(sd, name());
        int inCh = sd.dim("model.0.weight", 1);
        int nc = sd.dim("model.0.weight", 0);
        int outCh = sd.dim("model." + (n - 1) + ".weight", 0);
        boolean flexible = inCh == outCh + 1;
        if (!flexible && inCh != outCh) {
            throw b.invalid("it takes " + inCh + " channels and returns " + outCh + "; DnCNN maps an image to one of"
                    + " the same channels, FDnCNN takes one more (the noise map)");
        }
        if (convs.isEmpty() || convs.getLast() != n - 1) {
            throw b.invalid("its last module, model." + (n - 1) + ", is not a convolution");
        }
        String x = b.input(outCh);
        String y = x;
        if (flexible) {
            // The noise map: x's first channel times 0 plus the level, so it follows x's size.
            String level = b.offset(b.scale(b.sliceChannels(x, 0, 1), 0f), (float) (options.noiseLevel() / 255.0));
            y = b.concat(List.of(x, level));
        }
        boolean batchNorm = false;
        for (int j = 0; j < convs.size(); j++) {
            int i = convs.get(j);
            y = b.conv(y, "model." + i);
            if (j == convs.size() - 1) {
                break;
            }
            int next = convs.get(j + 1);
            if (next == i + 3 && sd.has("model." + (i + 1) + ".running_mean")) {
                y = b.batchNorm(y, "model." + (i + 1), 1e-4f);
                batchNorm = true;
            } else if (next != i + 2) {
                throw b.invalid("modules model." + (i + 1) + " to model." + (next - 1) + " between two convolutions are"
                        + " neither ReLU nor batch norm + ReLU");
            }
            y = b.relu(y);
        }
        String out = flexible ? y : b.sub(x, y);
        String desc = (flexible ? "FDnCNN" : "DnCNN") + " (" + nc + " features, " + convs.size() + " convolutions"
                + (batchNorm ? ", batch norm" : "") + (flexible ? ", noise level " + options.noiseLevel() : "") + ")";
        return b.finish(out, 1, desc);
    }
}
