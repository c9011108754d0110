package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * ESRGAN's generator, RRDBNet (Wang et al. 2018), in its three key layouts: the original repository's
 * ({@code model.0}, {@code model.1.sub.N.RDB1.conv1.0}, {@code model.3}, ...; most community
 * models), BasicSR's / Real-ESRGAN's ({@code conv_first}, {@code body.N.rdb1.conv1},
 * {@code conv_body}, {@code conv_up1}, {@code conv_hr}, {@code conv_last}) and the ESRGAN
 * repository's later one ({@code RRDB_trunk.N.RDB1.conv1}, {@code trunk_conv}, {@code upconv1},
 * {@code HRconv}). Widths, growth, block count and the number of x2 upsampling stages come from the
 * shapes; a first convolution taking 4 or 16 times the output channels is Real-ESRGAN's
 * pixel-unshuffle variant (x2 and x1 models), run here on any image size by reflect-padding to the
 * unshuffle factor and cropping the result, as Real-ESRGAN's own inference does.
 */
final class EsrganArchitecture implements Architecture {
    private enum Layout {
        OLD("original ESRGAN"), BASICSR("BasicSR"), ESRGAN_NEW("ESRGAN RRDB_trunk");

        final String label;

        Layout(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "ESRGAN";
    }

    @Override
    public boolean detect(StateDict sd) {
        return layout(sd) != null;
    }

    private static Layout layout(StateDict sd) {
        if (sd.hasAll("model.0.weight", "model.1.sub.0.RDB1.conv1.0.weight")) {
            return Layout.OLD;
        }
        if (sd.hasAll("conv_first.weight", "body.0.rdb1.conv1.weight", "conv_body.weight", "conv_last.weight")) {
            return Layout.BASICSR;
        }
        if (sd.hasAll("conv_first.weight", "RRDB_trunk.0.RDB1.conv1.weight", "trunk_conv.weight", "conv_last.weight")) {
            return Layout.ESRGAN_NEW;
        }
        return null;
    }

    /** The module names of one layout. */
    private record Keys(Layout layout, int blocks, int ups) {
        String first() {
            return layout == Layout.OLD ? "model.0" : "conv_first";
        }

        String dense(int block, int rdb, int conv) {
            return switch (layout) {
                case OLD -> "model.1.sub." + block + ".RDB" + rdb + ".conv" + conv + ".0";
                case BASICSR -> "body." + block + ".rdb" + rdb + ".conv" + conv;
                case ESRGAN_NEW -> "RRDB_trunk." + block + ".RDB" + rdb + ".conv" + conv;
            };
        }

        String trunk() {
            return switch (layout) {
                case OLD -> "model.1.sub." + blocks;
                case BASICSR -> "conv_body";
                case ESRGAN_NEW -> "trunk_conv";
            };
        }

        /** Upsampling conv {@code i}, counted from 1. */
        String up(int i) {
            return switch (layout) {
                case OLD -> "model." + 3 * i;
                case BASICSR -> "conv_up" + i;
                case ESRGAN_NEW -> "upconv" + i;
            };
        }

        String hr() {
            return switch (layout) {
                case OLD -> "model." + (3 * ups + 2);
                case BASICSR -> "conv_hr";
                case ESRGAN_NEW -> "HRconv";
            };
        }

        String last() {
            return layout == Layout.OLD ? "model." + (3 * ups + 4) : "conv_last";
        }
    }

    @Override
    public Network build(StateDict sd, BuildOptions options) {
        Layout layout = layout(sd);
        int blocks = switch (layout) {
            case OLD -> sd.seqLength("model.1.sub") - 1;
            case BASICSR -> sd.seqLength("body");
            case ESRGAN_NEW -> sd.seqLength("RRDB_trunk");
        };
        int ups = 0;
        while (sd.has(new Keys(layout, blocks, 0).up(ups + 1) + ".weight")) {
            ups++;
        }
        Keys k = new Keys(layout, blocks, ups);
        for (String key : List.of(k.trunk(), k.hr(), k.last())) {
            if (!sd.has(key + ".weight")) {
                throw new SrException(ErrorCode.INVALID_MODEL, sd.source() + " (ESRGAN, " + layout.label + " layout, "
                        + blocks + " blocks, " + ups + " upsampling stages) lacks '" + key + ".weight'");
            }
        }
        if (layout == Layout.OLD && sd.seqLength("model") != 3 * ups + 5) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " (ESRGAN, original layout) has modules up"
                    + " to model." + (sd.seqLength("model") - 1) + " where " + ups + " upsampling stages end at model."
                    + (3 * ups + 4) + "; it is a variant srengine does not know");
        }
        int inCh = sd.dim(k.first() + ".weight", 1);
        int nf = sd.dim(k.first() + ".weight", 0);
        int outCh = sd.dim(k.last() + ".weight", 0);
        int gc = sd.dim(k.dense(0, 1, 1) + ".weight", 0);
        int unshuffle = inCh == outCh * 4 ? 2 : inCh == outCh * 16 ? 4 : 1;
        if (unshuffle == 1 && inCh != outCh) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " (ESRGAN) takes " + inCh + " channels and"
                    + " returns " + outCh + "; srengine builds image-to-image models (or Real-ESRGAN's 4x/16x unshuffled"
                    + " inputs)");
        }
        if ((1 << ups) % unshuffle != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " (ESRGAN) unshuffles by " + unshuffle
                    + " but upsamples only " + (1 << ups) + "x");
        }
        int scale = (1 << ups) / unshuffle;
        int imageCh = inCh / (unshuffle * unshuffle);

        NetBuilder b = new NetBuilder(sd, name());
        String x = b.input(imageCh);
        String fea;
        if (unshuffle > 1) {
            String s2d = b.padAndSpaceToDepth(x, unshuffle);
            Tensor w = Weights.permuteInputChannels(b.weight(k.first() + ".weight", 4),
                    NetBuilder.unshuffleOrder(imageCh, unshuffle));
            fea = b.conv(s2d, w, b.weight(k.first() + ".bias", 1), k.first());
        } else {
            fea = b.conv(x, k.first());
        }
        String trunk = fea;
        for (int i = 0; i < blocks; i++) {
            trunk = rrdb(b, trunk, k, i);
        }
        fea = b.add(fea, b.conv(trunk, k.trunk()));
        for (int i = 1; i <= ups; i++) {
            fea = b.leakyRelu(b.conv(b.upsampleNearest(fea, 2), k.up(i)), 0.2f);
        }
        String out = b.conv(b.leakyRelu(b.conv(fea, k.hr()), 0.2f), k.last());
        if (unshuffle > 1) {
            out = b.cropToInput(out, scale);
        }
        String desc = "ESRGAN (RRDBNet, " + nf + " features, " + blocks + " blocks, growth " + gc + ", " + layout.label
                + " layout" + (unshuffle > 1 ? ", pixel-unshuffle " + unshuffle : "") + ")";
        return b.finish(out, scale, desc);
    }

    /** Residual in residual dense block: three dense blocks, the result scaled by 0.2 and added. */
    private static String rrdb(NetBuilder b, String x, Keys k, int block) {
        String y = x;
        for (int rdb = 1; rdb <= 3; rdb++) {
            y = dense(b, y, k, block, rdb);
        }
        return b.add(x, b.scale(y, 0.2f));
    }

    /** Five convolutions, each on the concatenation of the input and all earlier outputs. */
    private static String dense(NetBuilder b, String x, Keys k, int block, int rdb) {
        List<String> feats = new ArrayList<>(List.of(x));
        for (int c = 1; c <= 4; c++) {
            feats.add(b.leakyRelu(b.conv(feats.size() == 1 ? x : b.concat(feats), k.dense(block, rdb, c)), 0.2f));
        }
        return b.add(x, b.scale(b.conv(b.concat(feats), k.dense(block, rdb, 5)), 0.2f));
    }
}
