package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Detection and its refusals on state dicts built in code: unknown key sets list some keys, known
 * but unbuilt architectures are named, weights the architecture does not use and shapes that do not
 * fit are refused; and the wrapper and prefix rules pick the right dict.
 */
class ArchitecturesTest {
    private static Map<String, Tensor> compact(int nf, int convs, int scale) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        int in = 3;
        int i = 0;
        for (int c = 0; c < convs; c++, i += 2) {
            int out = c == convs - 1 ? 3 * scale * scale : nf;
            t.put("body." + i + ".weight", Tensor.zeros(out, in, 3, 3));
            t.put("body." + i + ".bias", Tensor.zeros(out));
            if (c < convs - 1) {
                t.put("body." + (i + 1) + ".weight", Tensor.zeros(nf));
            }
            in = nf;
        }
        return t;
    }

    @Test
    void compactBuiltInCodeIsDetected() {
        Network n = Architectures.build(StateDict.of(compact(8, 4, 3), "code"), BuildOptions.DEFAULTS);
        assertEquals("SRVGGNetCompact", n.architecture());
        assertEquals(3, n.scale());
        assertEquals("SRVGGNetCompact (8 features, 2 body convolutions, PReLU)", n.description());
    }

    @Test
    void unknownKeysAreListed() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (String k : List.of("encoder.0.weight", "encoder.0.bias", "decoder.weight")) {
            t.put(k, Tensor.zeros(2));
        }
        SrException e = assertThrows(SrException.class, () -> Architectures.detect(StateDict.of(t, "x.pth")));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("match no architecture") && e.getMessage().contains("encoder.0.weight")
                && e.getMessage().contains("decoder.weight"), e.getMessage());
    }

    @Test
    void recognisedArchitecturesAreNamed() {
        Map<String, String> signatures = Map.of(
                "layers.0.residual_group.td", "ATD",
                "model.1.sub.0.RDB1.conv1x1.weight", "ESRGAN+",
                "feats.1.channe_mixer.0.weight", "PLKSR");
        signatures.forEach((key, name) -> {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put(key, Tensor.zeros(1));
            t.put("model.0.weight", Tensor.zeros(1, 3, 3, 3));
            SrException e = assertThrows(SrException.class, () -> Architectures.detect(StateDict.of(t, "x.pth")));
            assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
            assertTrue(e.getMessage().contains("is recognised as " + name + ":"), e.getMessage());
        });
    }

    @Test
    void swinIrWithoutAnUpsamplerIsRefusedByName() {
        // SwinIR's denoising and JPEG forms: no upsampler, conv_last straight back to the image.
        String b0 = "layers.0.residual_group.blocks.0.";
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("conv_first.weight", Tensor.zeros(8, 3, 3, 3));
        t.put(b0 + "attn.relative_position_bias_table", Tensor.zeros(49, 2));
        t.put(b0 + "attn.qkv.weight", Tensor.zeros(24, 8));
        t.put(b0 + "norm1.weight", Tensor.zeros(8));
        t.put(b0 + "mlp.fc1.weight", Tensor.zeros(16, 8));
        t.put("norm.weight", Tensor.zeros(8));
        t.put("conv_last.weight", Tensor.zeros(3, 8, 3, 3));
        StateDict sd = StateDict.of(t, "dn.pth");
        assertEquals("SwinIR", Architectures.detect(sd).name());
        SrException e = assertThrows(SrException.class, () -> Architectures.build(sd, BuildOptions.DEFAULTS));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("SwinIR without an upsampler"), e.getMessage());
        // Swin2SR shares SwinIR's block keys and stays refused by name.
        t.put("patch_embed.proj.weight", Tensor.zeros(8, 3, 1, 1));
        t.put(b0 + "attn.relative_position_index", Tensor.zeros(16, 16));
        SrException e2 = assertThrows(SrException.class, () -> Architectures.detect(StateDict.of(t, "s2.pth")));
        assertTrue(e2.getMessage().contains("is recognised as Swin2SR:"), e2.getMessage());
    }

    @Test
    void weightsTheArchitectureDoesNotUseAreRefused() {
        // A DnCNN (KAIR names) with one tensor more than DnCNN has: a variant srengine does not know.
        Map<String, Tensor> t = new LinkedHashMap<>();
        int[][] convs = {{0, 3, 4}, {2, 4, 4}, {4, 4, 3}};
        for (int[] c : convs) {
            t.put("model." + c[0] + ".weight", Tensor.zeros(c[2], c[1], 3, 3));
            t.put("model." + c[0] + ".bias", Tensor.zeros(c[2]));
        }
        assertEquals("DnCNN", Architectures.build(StateDict.of(t, "x.pth"), BuildOptions.DEFAULTS).architecture());
        t.put("model.2.running_var", Tensor.zeros(4));
        SrException e = assertThrows(SrException.class, () -> Architectures.build(StateDict.of(t, "x.pth"),
                BuildOptions.DEFAULTS));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("looks like DnCNN") && e.getMessage().contains("[model.2.running_var]"),
                e.getMessage());
    }

    @Test
    void shapesThatDoNotFitAreRefused() {
        Map<String, Tensor> t = compact(8, 3, 2);
        t.put("body.2.weight", Tensor.zeros(8, 5, 3, 3)); // takes 5 channels where the previous layer gives 8
        SrException e = assertThrows(SrException.class, () -> Architectures.build(StateDict.of(t, "x.pth"),
                BuildOptions.DEFAULTS));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("'body.2'") && e.getMessage().contains("applied to 8 channels"), e.getMessage());
        Map<String, Tensor> slopes = compact(8, 3, 2);
        slopes.put("body.1.weight", Tensor.zeros(5));
        assertTrue(assertThrows(SrException.class, () -> Architectures.build(StateDict.of(slopes, "x.pth"),
                BuildOptions.DEFAULTS)).getMessage().contains("5 slopes for 8 channels"));
    }

    private static TensorRef ref() {
        return TensorRef.of(new TensorRef.Storage("0", ScalarType.FLOAT32, 4), 0, new long[] {4}, new long[] {1}, "test");
    }

    @Test
    void wrappersAndPrefixes() {
        Map<Object, Object> sd = new LinkedHashMap<>();
        sd.put("module.a", ref());
        sd.put("module.b", ref());
        Map<Object, Object> other = new LinkedHashMap<>(Map.of("x", ref()));
        List<String> where = new ArrayList<>();
        // BasicSR's pair: params_ema wins over params, whatever the order.
        Map<Object, Object> both = new LinkedHashMap<>();
        both.put("params", other);
        both.put("params_ema", sd);
        assertEquals(List.of("a", "b"), List.copyOf(CheckpointReader.unwrap(both, "t", where).keySet()));
        assertEquals(List.of("params_ema", "prefix 'module.' removed"), where);
        // Lightning-style: the state dict beside other entries; a model wrapper; a one-entry dict; netG.
        for (String w : List.of("state_dict", "model", "net", "anything")) {
            Map<Object, Object> root = new LinkedHashMap<>();
            root.put(w, new LinkedHashMap<>(Map.of("netG.c", ref())));
            if (!w.equals("anything")) {
                root.put("epoch", 7L);
            }
            where.clear();
            assertEquals(List.of("c"), List.copyOf(CheckpointReader.unwrap(root, "t", where).keySet()), w);
        }
        // A prefix is removed only when every key has it.
        Map<Object, Object> mixed = new LinkedHashMap<>(Map.of("module.a", ref(), "b", ref()));
        assertEquals(2, CheckpointReader.unwrap(mixed, "t", new ArrayList<>()).size());
        assertTrue(CheckpointReader.unwrap(mixed, "t", new ArrayList<>()).containsKey("module.a"));
    }
}
