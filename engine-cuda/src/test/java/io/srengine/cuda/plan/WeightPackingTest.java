package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightPackingTest {
    @Test
    void convWeightsGoToTapsThenChannelsWithZeroPadding() {
        int k = 2, c = 3, r = 2, s = 2, pad = 8;
        float[] w = new float[k * c * r * s];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
        }
        float[] p = WeightPacking.conv(w, k, c, r, s, pad);
        assertEquals(k * r * s * pad, p.length);
        for (int o = 0; o < k; o++) {
            for (int ch = 0; ch < pad; ch++) {
                for (int y = 0; y < r; y++) {
                    for (int x = 0; x < s; x++) {
                        float want = ch < c ? w[((o * c + ch) * r + y) * s + x] : 0f;
                        assertEquals(want, p[((o * r + y) * s + x) * pad + ch]);
                    }
                }
            }
        }
    }

    @Test
    void transposedWeightsPutOutputChannelsLast() {
        int g = 2, cg = 2, kg = 3, r = 1, s = 2;
        float[] w = new float[g * cg * kg * r * s];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        float[] p = WeightPacking.convTranspose(w, g, cg, kg, r, s);
        for (int gi = 0; gi < g; gi++) {
            for (int c = 0; c < cg; c++) {
                for (int k = 0; k < kg; k++) {
                    for (int x = 0; x < s; x++) {
                        assertEquals(w[((gi * cg + c) * kg + k) * s + x], p[((gi * s + x) * cg + c) * kg + k]);
                    }
                }
            }
        }
    }

    @Test
    void tensorCoreTilesMatchTheOutputChannels() {
        assertEquals(ConvTiling.P128x16, ConvTiling.choose(3, true), "an RGB output layer");
        assertEquals(ConvTiling.T128x16, ConvTiling.choose(16, false));
        assertEquals(ConvTiling.P128x32, ConvTiling.choose(17, true));
        assertEquals(ConvTiling.T128x16, ConvTiling.resolve(ConvTiling.P128x16, 4, false), "1x1 growth layer");
        assertEquals(128, ConvTiling.P128x16.threads(), "four warps of 32 pixels x 16 channels");
        assertEquals("conv2d_tcp_f16_128x16", ConvTiling.P128x16.kernel(DeviceType.F16));
        assertEquals(ConvTiling.P128x32, ConvTiling.choose(32, true));
        assertEquals(ConvTiling.P128x64, ConvTiling.choose(64, true));
        assertEquals(ConvTiling.T128x64, ConvTiling.choose(192, false));
        assertEquals(ConvTiling.T128x32, ConvTiling.resolve(ConvTiling.H128x32, 32, false), "no halo for a 1x1 conv");
        assertEquals(ConvTiling.H128x64, ConvTiling.resolve(ConvTiling.H128x64, 64, true));
        assertEquals(128, ConvTiling.T128x64.threads());
        assertEquals(128, ConvTiling.P128x32.threads());
        assertEquals(49152, ConvTiling.T128x64.sharedBytes(3, 3, 1, 1), "4 stages of 128 + 64 rows of 64 bytes");
        // 4 B stages of 64 rows, two 10 x 18 halo tiles, 64 bytes per row; the epilogue's 36864 is smaller.
        assertEquals((4 * 64 + 2 * 180) * 64, ConvTiling.H128x64.sharedBytes(3, 3, 1, 1));
        assertEquals(4 * 64 * 64 + 2 * 180 * 80, ConvTiling.P128x64.sharedBytes(3, 3, 1, 1), "80-byte halo rows");
        assertEquals("conv2d_tc_bf16_128x32", ConvTiling.T128x32.kernel(DeviceType.BF16));
        assertEquals("conv2d_tch_f16_128x64", ConvTiling.H128x64.kernel(DeviceType.F16));
        assertEquals("conv2d_tcp_bf16_128x32", ConvTiling.P128x32.kernel(DeviceType.BF16));
        assertEquals(ConvTiling.P128x64, ConvTiling.byName("p128x64"));
        assertEquals(90L * 80, ConvTiling.H128x64.pixelBlocks(1, 720, 1280), "8 x 16 tiles of a 720p image");
        assertEquals(2L * 2 * 1, ConvTiling.H128x64.pixelBlocks(2, 9, 15), "partial tiles at the edges");
        assertEquals(7200, ConvTiling.T128x64.pixelBlocks(1, 720, 1280));
        assertTrue(ConvTiling.haloApplies(1, 1, 3, 3, 64));
        assertFalse(ConvTiling.haloApplies(2, 2, 3, 3, 64));
        assertFalse(ConvTiling.haloApplies(1, 1, 1, 1, 64));
        assertFalse(ConvTiling.haloApplies(1, 1, 3, 3, 8), "8-channel inputs pack taps instead");
    }
}
