package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(ConvTiling.T128x32, ConvTiling.choose(921_600, 32, 132));
        assertEquals(ConvTiling.T128x64, ConvTiling.choose(921_600, 64, 132));
        assertEquals(ConvTiling.T64x64, ConvTiling.choose(4096, 64, 132), "small images use smaller tiles to fill the GPU");
        assertEquals(ConvTiling.T128x128, ConvTiling.choose(921_600, 192, 132));
        assertEquals(128, ConvTiling.T128x64.threads());
        assertEquals(256, ConvTiling.T256x64.threads());
        assertEquals(49152, ConvTiling.T128x64.sharedBytes());
        assertEquals("conv2d_tc_bf16_128x32", ConvTiling.T128x32.kernel(DeviceType.BF16));
        assertEquals(ConvTiling.T256x64, ConvTiling.byName("256x64"));
    }
}
