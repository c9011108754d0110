package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * OmniSR's detection from state dicts built in code in the authors' key layout (the one spandrel
 * reads): the hyper-parameters read from the shapes, and damaged or inconsistent dicts refused with
 * an {@code INVALID_MODEL} naming the tensor at fault. Whether the graph computes what PyTorch does is
 * TransformerCheckpointTest's, CheckpointParityTest's and CommunityCheckpointTest's business.
 */
class OmniSrArchitectureTest {
    /** The tensors of the authors' OmniSR with these hyper-parameters (zeros: only the shapes matter here). */
    static Map<String, Tensor> omnisr(int dim, int ws, int groups, int blocks, boolean pe, boolean bias, int outCh,
            int scale) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        conv(t, "input", dim, 3, 3, bias);
        for (int g = 0; g < groups; g++) {
            String gp = "residual_layer." + g + ".";
            for (int i = 0; i < blocks; i++) {
                String l = gp + "residual_layer." + i + ".layer.";
                conv(t, l + "0.fn.0", dim, dim, 1, true);
                conv(t, l + "0.fn.2", dim, 1, 3, true);
                t.put(l + "0.fn.4.gate.1.weight", Tensor.zeros(dim / 4, dim));
                t.put(l + "0.fn.4.gate.3.weight", Tensor.zeros(dim, dim / 4));
                conv(t, l + "0.fn.5", dim, dim, 1, true);
                for (int a : new int[] {2, 8}) {
                    norm(t, l + a + ".norm", dim);
                    t.put(l + a + ".fn.to_qkv.weight", Tensor.zeros(3 * dim, dim));
                    t.put(l + a + ".fn.to_out.0.weight", Tensor.zeros(dim, dim));
                    if (pe) {
                        t.put(l + a + ".fn.rel_pos_bias.weight", Tensor.zeros((2 * ws - 1) * (2 * ws - 1), 4));
                    }
                }
                for (int f : new int[] {4, 5, 6, 10, 11, 12}) {
                    norm(t, l + f + ".norm", dim);
                    if (f == 5 || f == 11) {
                        t.put(l + f + ".fn.temperature", Tensor.zeros(4, 1, 1));
                        conv(t, l + f + ".fn.qkv", 3 * dim, dim, 1, false);
                        conv(t, l + f + ".fn.qkv_dwconv", 3 * dim, 1, 3, false);
                    } else {
                        conv(t, l + f + ".fn.project_in", 2 * dim, dim, 1, false);
                        conv(t, l + f + ".fn.dwconv", 2 * dim, 1, 3, false);
                    }
                    conv(t, l + f + ".fn.project_out", dim, dim, 1, false);
                }
            }
            conv(t, gp + "residual_layer." + blocks, dim, dim, 1, bias);
            int f = Math.max(dim / 4, 16);
            conv(t, gp + "esa.conv1", f, dim, 1, true);
            conv(t, gp + "esa.conv_f", f, f, 1, true);
            conv(t, gp + "esa.conv2", f, f, 3, true);
            conv(t, gp + "esa.conv3", f, f, 3, true);
            conv(t, gp + "esa.conv4", dim, f, 1, true);
        }
        conv(t, "output", dim, dim, 3, bias);
        conv(t, "up.0", outCh * scale * scale, dim, 3, bias);
        return t;
    }

    private static void conv(Map<String, Tensor> t, String key, int out, int in, int k, boolean bias) {
        t.put(key + ".weight", Tensor.zeros(out, in, k, k));
        if (bias) {
            t.put(key + ".bias", Tensor.zeros(out));
        }
    }

    private static void norm(Map<String, Tensor> t, String key, int c) {
        t.put(key + ".weight", Tensor.zeros(c));
        t.put(key + ".bias", Tensor.zeros(c));
    }

    private static Network build(Map<String, Tensor> t) {
        return Architectures.build(StateDict.of(t, "omni.pth"), BuildOptions.DEFAULTS);
    }

    @Test
    void hyperParametersComeFromTheShapes() {
        // The released configuration: 64 channels, 5 groups of 1 block, window 8, bias: 316 tensors, like
        // the community file 4x_WTP_descreenton.pth.
        Map<String, Tensor> released = omnisr(64, 8, 5, 1, true, true, 3, 4);
        assertEquals(316, released.size());
        Network n = build(released);
        assertEquals("OmniSR", n.architecture());
        assertEquals(4, n.scale());
        assertEquals("OmniSR x4 (64 channels, 5 groups of 1 block, window 8)", n.description());
        assertEquals("16", n.graph().metadata().get(io.srengine.ModelMetadata.TILE_PADDING));

        Network odd = build(omnisr(16, 5, 2, 2, true, false, 1, 3));
        assertEquals("OmniSR x3 (16 channels, 2 groups of 2 blocks, window 5, no bias)", odd.description());
        assertEquals(1, odd.outChannels());

        // Without position bias the window is not stored: the authors' default, as spandrel does.
        Network nope = build(omnisr(8, 4, 1, 1, false, true, 3, 2));
        assertTrue(nope.description().contains("window 8 (not stored; the authors' default), no position bias"),
                nope.description());
    }

    @Test
    void flopCounterLeftoversAreIgnored() {
        Map<String, Tensor> t = omnisr(8, 4, 1, 1, true, true, 3, 2);
        t.put("total_ops", Tensor.zeros(1));
        t.put("residual_layer.0.esa.total_params", Tensor.zeros(1));
        assertEquals("OmniSR", build(t).architecture());
    }

    @Test
    void damagedStateDictsAreRefusedNamingTheProblem() {
        String l = "residual_layer.0.residual_layer.0.layer.";
        refused(t -> t.remove(l + "5.fn.qkv_dwconv.weight"), "lacks the tensor '" + l + "5.fn.qkv_dwconv.weight'");
        refused(t -> t.remove("residual_layer.1.esa.conv4.weight"), "lacks the tensor 'residual_layer.1.esa.conv4.weight'");
        refused(t -> t.put(l + "8.fn.to_qkv.weight", Tensor.zeros(24, 16)),
                "'" + l + "8.fn.to_qkv.weight' has shape [24, 16]");
        refused(t -> t.put(l + "2.fn.rel_pos_bias.weight", Tensor.zeros(48, 4)), "has 48 rows, not (2w-1)²");
        refused(t -> t.put(l + "8.fn.rel_pos_bias.weight", Tensor.zeros(25, 4)), l + "8.fn.rel_pos_bias.weight has 25 rows");
        refused(t -> t.put(l + "2.fn.rel_pos_bias.weight", Tensor.zeros(49, 2)), "has 2 columns; 16 channels make 4 heads");
        refused(t -> t.put(l + "11.fn.temperature", Tensor.zeros(3, 1, 1)), l + "11.fn.temperature has shape [3, 1, 1]");
        refused(t -> t.put(l + "4.fn.project_out.weight", Tensor.zeros(16, 12, 1, 1)), "'" + l + "4.fn.project_out'");
        refused(t -> t.put("up.0.weight", Tensor.zeros(20, 16, 3, 3)), "up.0 has 20 outputs");
        refused(t -> {
            t.put("residual_layer.1.esa.conv4.weight", Tensor.zeros(8, 16, 1, 1));
            t.put("residual_layer.1.esa.conv4.bias", Tensor.zeros(8));
        }, "esa.conv4 has 8 outputs for 16 channels");
        // A second group with two blocks where the first has one.
        refused(t -> {
            Map<String, Tensor> deeper = omnisr(16, 4, 2, 2, true, true, 3, 2);
            deeper.forEach((k, v) -> {
                if (k.startsWith("residual_layer.1.")) {
                    t.put(k, v);
                }
            });
        }, "group 1 has 2 OSA blocks and group 0 has 1");
        // Without group 0's closing convolution its only block is taken for it, and nothing is left.
        refused(t -> t.entrySet().removeIf(e -> e.getKey().startsWith("residual_layer.0.residual_layer.1.")),
                "group 0 has no OSA block");
    }

    private static void refused(Consumer<Map<String, Tensor>> damage, String expected) {
        Map<String, Tensor> t = omnisr(16, 4, 2, 1, true, true, 3, 2);
        damage.accept(t);
        SrException e = assertThrows(SrException.class, () -> build(t));
        assertEquals(ErrorCode.INVALID_MODEL, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("omni.pth") && e.getMessage().contains(expected),
                "expected '" + expected + "' in: " + e.getMessage());
    }
}
