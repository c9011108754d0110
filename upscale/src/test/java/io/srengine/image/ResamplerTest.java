package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    /** The texture tools/image_reference_values.py builds, values in [0, 1]. */
    static float[] texture(int w, int h, int seed) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = (float) (((x * 37 + y * 91 + x * y * 13 + seed * 17) % 101) / 100.0);
            }
        }
        return p;
    }

    /**
     * Interior pixels against Pillow's float resize, an independent implementation of the same
     * kernels and pixel-centre convention (Pillow clips at the border where MATLAB mirrors, so the
     * reference lists only pixels whose kernel stays inside the image).
     */
    @Test
    void interiorMatchesPillow() throws IOException {
        int cases = 0;
        for (String[] c : referenceCases()) {
            String[] head = c[0].split(" ");
            Resampler.Filter filter = Resampler.Filter.valueOf(head[0]);
            int w = Integer.parseInt(head[1]);
            int h = Integer.parseInt(head[2]);
            int ow = Integer.parseInt(head[3]);
            int oh = Integer.parseInt(head[4]);
            int[] cols = ints(c[1]);
            int[] rows = ints(c[2]);
            double[] want = Arrays.stream(c[3].split(" ")).mapToDouble(Double::parseDouble).toArray();
            float[] got = Resampler.resize(texture(w, h, 1), w, h, ow, oh, filter, true);
            int k = 0;
            for (int r : rows) {
                for (int col : cols) {
                    assertEquals(want[k++], got[r * ow + col], 2e-6, c[0] + " at row " + r + ", column " + col);
                }
            }
            cases++;
        }
        assertEquals(14, cases, "reference cases read");
    }

    /** MATLAB's symmetric extension at the border, values from the documented rule (see the tools script). */
    @Test
    void borderMirrorsWithEdgeRepeated() {
        float[] v = {0.1f, 0.9f, 0.3f, 0.7f, 0.5f};
        float[] up = Resampler.resize(v, 5, 1, 10, 1, Resampler.Filter.BICUBIC, true);
        assertArrayEquals(new float[] {0.025f, 0.2765625f, 0.7796875f, 0.825f, 0.4125f, 0.34375f, 0.61875f, 0.6875f,
                0.55f, 0.48125f}, up, 1e-6f);
        float[] down = Resampler.resize(v, 1, 5, 1, 2, Resampler.Filter.BICUBIC, true);
        assertArrayEquals(new float[] {0.43808f, 0.56192f}, down, 1e-6f);
    }

    @Test
    void mirrorIndexFollowsMatlab() {
        assertEquals(0, Resampler.mirror(-1, 5));
        assertEquals(1, Resampler.mirror(-2, 5));
        assertEquals(4, Resampler.mirror(5, 5));
        assertEquals(3, Resampler.mirror(6, 5));
        assertEquals(0, Resampler.mirror(-3, 1));
        assertEquals(0, Resampler.mirror(7, 1));
    }

    @Test
    void constantsStayConstant() {
        float[] flat = new float[17 * 13];
        Arrays.fill(flat, 0.37f);
        for (Resampler.Filter f : Resampler.Filter.values()) {
            for (int[] size : new int[][] {{34, 26}, {5, 4}, {51, 39}, {17, 13}, {9, 30}}) {
                float[] out = Resampler.resize(flat, 17, 13, size[0], size[1], f, true);
                for (float v : out) {
                    assertEquals(0.37f, v, 1e-6f, f + " to " + Arrays.toString(size));
                }
            }
        }
    }

    @Test
    void sameSizeIsIdentityForBicubic() {
        float[] p = texture(9, 7, 3);
        assertArrayEquals(p, Resampler.resize(p, 9, 7, 9, 7, Resampler.Filter.BICUBIC, true), 1e-7f);
    }

    @Test
    void regionsReproduceTheWholeResize() {
        Random rnd = new Random(7);
        int w = 23;
        int h = 19;
        float[] src = texture(w, h, 2);
        for (Resampler.Filter f : Resampler.Filter.values()) {
            for (int[] size : new int[][] {{69, 57}, {11, 9}, {40, 31}}) {
                float[] whole = Resampler.resize(src, w, h, size[0], size[1], f, true);
                for (int trial = 0; trial < 10; trial++) {
                    int x0 = rnd.nextInt(size[0]);
                    int y0 = rnd.nextInt(size[1]);
                    int x1 = x0 + 1 + rnd.nextInt(size[0] - x0);
                    int y1 = y0 + 1 + rnd.nextInt(size[1] - y0);
                    Resampler.Axis ax = Resampler.axis(f, w, size[0], x0, x1, true);
                    Resampler.Axis ay = Resampler.axis(f, h, size[1], y0, y1, true);
                    // Hand over only the window the axes ask for, as the upscaler does.
                    int wx = ax.minSource();
                    int wy = ay.minSource();
                    int ww = ax.maxSource() - wx + 1;
                    int wh = ay.maxSource() - wy + 1;
                    float[] window = new float[ww * wh];
                    for (int r = 0; r < wh; r++) {
                        System.arraycopy(src, (wy + r) * w + wx, window, r * ww, ww);
                    }
                    float[] part = Resampler.resample(window, wx, wy, ww, wh, ax, ay);
                    for (int r = y0; r < y1; r++) {
                        for (int c = x0; c < x1; c++) {
                            assertEquals(whole[r * size[0] + c], part[(r - y0) * (x1 - x0) + (c - x0)], 0f,
                                    f + " " + Arrays.toString(size) + " at (" + c + ", " + r + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void shrinkingWithoutAntialiasingKeepsTheNarrowKernel() {
        // Every other pixel of a 1-0 stripe pattern: without antialiasing the 2x reduction samples
        // between the stripes (cubic at distance 0.5 sees both), with it the result is the average.
        float[] stripes = new float[16];
        for (int i = 0; i < 16; i += 2) {
            stripes[i] = 1;
        }
        float[] aa = Resampler.resize(stripes, 16, 1, 8, 1, Resampler.Filter.BICUBIC, true);
        float[] plain = Resampler.resize(stripes, 16, 1, 8, 1, Resampler.Filter.BICUBIC, false);
        assertEquals(0.5f, aa[4], 1e-6f);
        assertEquals(0.5f, plain[4], 1e-6f);
        float[] thirds = new float[18];
        for (int i = 0; i < 18; i += 3) {
            thirds[i] = 1;
        }
        float[] aa3 = Resampler.resize(thirds, 18, 1, 6, 1, Resampler.Filter.BICUBIC, true);
        float[] plain3 = Resampler.resize(thirds, 18, 1, 6, 1, Resampler.Filter.BICUBIC, false);
        assertEquals(1 / 3f, aa3[3], 0.02f, "antialiased: close to the local mean");
        assertEquals(0f, plain3[3], 1e-6f, "point-sampled between the lines: misses them entirely");
    }

    @Test
    void windowMissingTapsIsAnInternalError() {
        Resampler.Axis ax = Resampler.axis(Resampler.Filter.BICUBIC, 10, 20, 0, 20, true);
        SrException e = assertThrows(SrException.class, () -> Resampler.resample(new float[5 * 10], 0, 0, 5, 10, ax, ax));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("window"), e.getMessage());
    }

    @Test
    void emptyRangeIsRejected() {
        SrException e = assertThrows(SrException.class, () -> Resampler.axis(Resampler.Filter.BICUBIC, 10, 20, 5, 5, true));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    private static int[] ints(String line) {
        return Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static List<String[]> referenceCases() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ResamplerTest.class.getResourceAsStream("resample-reference.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i + 3 < lines.size(); i += 4) {
            cases.add(new String[] {lines.get(i), lines.get(i + 1), lines.get(i + 2), lines.get(i + 3)});
        }
        return cases;
    }
}
