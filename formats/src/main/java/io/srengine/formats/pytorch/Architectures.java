package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The registry of architectures: which one a state dict is, and the network built from it.
 *
 * <p>{@link #SUPPORTED} lists the architectures srengine builds, most specific first (the first
 * whose {@link Architecture#detect} accepts a state dict wins). {@link #RECOGNISED} lists signatures
 * of architectures srengine knows by name but does not build, so that such a checkpoint is refused
 * with its name rather than as unknown. To add an architecture: write a class implementing {@link
 * Architecture} (build its graph with the package's internal {@code NetBuilder}), add it to {@code
 * SUPPORTED} ahead of any architecture whose keys it shares, and remove its entry from {@code
 * RECOGNISED}.
 *
 * <p>Both lists are immutable and the architectures stateless: every method may be called from any
 * thread.
 */
public final class Architectures {
    /** Architectures srengine builds, in detection order. */
    public static final List<Architecture> SUPPORTED = List.of(
            new EsrganArchitecture(),
            new CompactArchitecture(),
            new SpanArchitecture(),
            new RealPlksrArchitecture(),
            new RcanArchitecture(),
            new EdsrArchitecture(),
            new DncnnArchitecture(),
            new HatArchitecture(),
            new DatArchitecture(),
            new OmniSrArchitecture(),
            new SwinIrArchitecture());

    /**
     * An architecture srengine recognises from its keys but cannot build, and why.
     *
     * @param name the architecture's name, e.g. {@code SwinIR}
     * @param reason why srengine does not build it, for the message
     * @param detect whether a state dict has its signature
     */
    public record Recognised(String name, String reason, Predicate<StateDict> detect) {}

    private static final String TRANSFORMER = "a transformer architecture, which srengine does not build yet";

    /** Known architectures srengine refuses by name, checked before the supported ones. */
    public static final List<Recognised> RECOGNISED = List.of(
            new Recognised("ESRGAN+", "its RRDB blocks have the extra 1x1 'plus' convolutions, which srengine"
                    + " does not build", sd -> sd.has("model.1.sub.0.RDB1.conv1x1.weight")),
            new Recognised("RealPLKSR with DySample", "its DySample upsampler needs grid sampling, which srengine"
                    + " does not implement", sd -> sd.has("to_img.init_pos") && sd.has("feats.0.weight")),
            new Recognised("PLKSR", "the original PLKSR (not RealPLKSR) is not built by srengine",
                    sd -> sd.has("feats.1.channe_mixer.0.weight")),
            new Recognised("EDSR in the original EDSR-PyTorch layout", "srengine builds EDSR in BasicSR's layout"
                    + " (conv_first, body.N.conv1, conv_after_body, upsample, conv_last) only",
                    sd -> sd.hasAll("head.0.weight", "body.0.body.0.weight", "tail.1.weight")
                            && !sd.has("body.0.body.0.body.3.conv_du.0.weight")),
            new Recognised("ATD", TRANSFORMER, sd -> sd.has("layers.0.residual_group.td")),
            new Recognised("Swin2SR", TRANSFORMER, sd -> sd.has("patch_embed.proj.weight")
                    && sd.has("layers.0.residual_group.blocks.0.attn.relative_position_index")),
            new Recognised("DRCT", TRANSFORMER, sd -> sd.has("layers.0.swin1.attn.qkv.weight")),
            new Recognised("CRAFT", TRANSFORMER, sd -> sd.has("layers.0.residual_group.hf_blocks.0.attn.temperature")),
            new Recognised("GRL", TRANSFORMER, sd -> sd.hasPrefix("layers.0.blocks.0.attn.window_attn.attn_transform.")
                    || sd.hasPrefix("model.layers.0.blocks.0.attn.window_attn.")
                    || sd.hasPrefix("model_g.layers.0.blocks.0.attn.window_attn.")),
            new Recognised("DITN", TRANSFORMER, sd -> sd.has("UFONE.0.ITLs.0.attn.temperature")),
            new Recognised("SAFMN", "not built by srengine", sd -> sd.has("to_feat.weight")
                    && sd.has("feats.0.safm.aggr.weight")),
            new Recognised("Real-CUGAN", "not built by srengine (its ncnn form may be)",
                    sd -> sd.has("unet1.conv1.conv.0.weight") && sd.has("unet2.conv_bottom.weight")),
            new Recognised("MoSR", "not built by srengine", sd -> sd.has("gblocks.0.weight")
                    && sd.has("gblocks.1.fc1.weight")),
            new Recognised("SCUNet", "not built by srengine", sd -> sd.has("m_head.0.weight") && sd.has("m_tail.0.weight")),
            new Recognised("FBCNN", "not built by srengine", sd -> sd.has("qf_pred.0.res.0.weight")),
            new Recognised("DRUNet", "not built by srengine", sd -> sd.has("m_head.weight")
                    && sd.has("m_down1.0.res.0.weight")),
            new Recognised("NAFNet", "not built by srengine", sd -> sd.has("intro.weight")
                    && sd.has("middle_blks.0.beta")));

    private Architectures() {}

    /**
     * The supported architecture of a state dict. Recognised but unbuilt architectures are checked
     * first, then {@link #SUPPORTED} in order.
     *
     * @param sd the state dict
     * @return the first supported architecture whose {@link Architecture#detect} accepts it
     * @throws SrException {@code UNSUPPORTED_OP} naming the architecture when it is one srengine
     *     recognises but does not build; {@code INVALID_MODEL} listing a few keys when it matches
     *     nothing srengine knows
     */
    public static Architecture detect(StateDict sd) {
        for (Recognised r : RECOGNISED) {
            if (r.detect().test(sd)) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, sd.source() + " is recognised as " + r.name() + ": "
                        + r.reason() + ". srengine builds " + names());
            }
        }
        for (Architecture a : SUPPORTED) {
            if (a.detect(sd)) {
                return a;
            }
        }
        throw new SrException(ErrorCode.INVALID_MODEL, sd.source() + ": the names of its " + sd.size() + " tensor(s)"
                + " match no architecture srengine knows (it builds " + names() + "); they include " + sample(sd));
    }

    /**
     * Detects the architecture and builds the network.
     *
     * @param sd the state dict
     * @param options hyper-parameters the checkpoint does not record
     * @return the network, its graph new and owned by the caller
     * @throws SrException as {@link #detect} and {@link Architecture#build} explain ({@code
     *     UNSUPPORTED_OP}, {@code INVALID_MODEL})
     */
    public static Network build(StateDict sd, BuildOptions options) {
        return detect(sd).build(sd, options);
    }

    /**
     * The names of the supported architectures, for messages and listings.
     *
     * @return a new list, in detection order
     */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        SUPPORTED.forEach(a -> n.add(a.name()));
        return n;
    }

    private static String sample(StateDict sd) {
        List<String> keys = new ArrayList<>(sd.sampleKeys(6));
        if (sd.size() > keys.size()) {
            keys.add("...");
        }
        return keys.toString();
    }
}
