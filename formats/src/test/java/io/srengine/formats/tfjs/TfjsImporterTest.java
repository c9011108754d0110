package io.srengine.formats.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.ops.OpRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsImporterTest {
    private static final String RELU = "\"activation\": \"relu\"";

    @Test
    void evenKernelSamePaddingPadsBottomAndRightAsTensorFlowDoes() {
        // Kernel taps weighted 1, 10, 100, 1000 make every output say which neighbours it saw.
        float[] hwio = {1, 10, 100, 1000};
        Graph g = new TfjsModelBuilder().input("x", -1, -1, 1)
                .conv2d("c", "x", 2, 2, 1, 1, "same", 1, 1, "linear", hwio, new float[] {0.5f}).read();
        Node conv = single(g, "Conv");
        assertArrayEquals(new long[] {0, 0, 1, 1}, conv.attrInts("pads", null));
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] expected = {5421, 6532, 603, 8754, 9865, 906, 87, 98, 9};
        for (int i = 0; i < expected.length; i++) {
            expected[i] += 0.5f;
        }
        assertArrayEquals(expected, run(g, Tensor.of(x, 1, 1, 3, 3)).floats(), 0f);
    }

    @Test
    void kernelBecomesOihw() {
        int kh = 3;
        int kw = 2;
        int ci = 2;
        int co = 3;
        float[] hwio = new float[kh * kw * ci * co];
        for (int i = 0; i < hwio.length; i++) {
            hwio[i] = i;
        }
        Graph g = new TfjsModelBuilder().input("x", -1, -1, ci)
                .conv2d("c", "x", kh, kw, ci, co, "valid", 1, 1, "linear", hwio, null).read();
        Tensor oihw = g.initializers().get(single(g, "Conv").input(1));
        assertArrayEquals(new int[] {co, ci, kh, kw}, oihw.shape());
        for (int o = 0; o < co; o++) {
            for (int i = 0; i < ci; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        assertEquals(hwio[((y * kw + x) * ci + i) * co + o], oihw.floats()[((o * ci + i) * kh + y) * kw + x]);
                    }
                }
            }
        }
        assertEquals(1, single(g, "Conv").inputs().size() - 1, "no bias input when use_bias is false");
        assertEquals(Shape.of(Dim.symbol("N"), Dim.of(co), Dim.symbol("H").minus(2), Dim.symbol("W").minus(1)),
                g.outputs().getFirst().type().shape());
    }

    @Test
    void convolutionsMatchTensorFlowArithmetic() {
        Random rnd = new Random(7);
        int[][] cases = {{3, 3, 1, 1}, {3, 3, 1, 2}, {2, 2, 2, 1}, {3, 3, 2, 1}, {5, 5, 1, 1}, {1, 1, 1, 1}};
        for (String padding : new String[] {"same", "valid"}) {
            for (int[] c : cases) {
                int kh = c[0];
                int kw = c[1];
                int stride = c[2];
                int dil = c[3];
                int ci = 3;
                int co = 5;
                float[] k = random(rnd, kh * kw * ci * co);
                float[] b = random(rnd, co);
                Graph g = new TfjsModelBuilder().input("x", -1, -1, ci)
                        .conv2d("c", "x", kh, kw, ci, co, padding, stride, dil, "relu", k, b).read();
                if (stride > 1 && padding.equals("same")) {
                    assertEquals("SAME_UPPER", single(g, "Conv").attrString("auto_pad", null));
                }
                for (int[] hw : new int[][] {{7, 8}, {6, 9}}) {
                    float[] x = random(rnd, hw[0] * hw[1] * ci);
                    float[] want = TfReference.conv2d(x, hw[0], hw[1], ci, k, kh, kw, co, b, stride, dil, padding.equals("same"));
                    Tensor got = run(g, TfReference.toNchw(x, hw[0], hw[1], ci));
                    int oh = got.dim(2);
                    int ow = got.dim(3);
                    float[] gotNhwc = TfReference.toNhwc(got.floats(), oh, ow, co);
                    assertEquals(want.length, gotNhwc.length, padding + " " + java.util.Arrays.toString(c));
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Math.max(want[i], 0), gotNhwc[i], 1e-5, padding + " " + java.util.Arrays.toString(c));
                    }
                }
            }
        }
    }

    @Test
    void pixelShuffleIsTensorFlowDepthToSpace() {
        // NHWC [1, 1, 2, 8] with s=2, C=2: pixel (0,0) holds 0..7 and pixel (0,1) holds 10..17. TF's
        // depth_to_space puts channel (i*2 + j)*2 + c at output pixel (i, 2*w + j), channel c.
        float[] nhwc = {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17};
        Graph g = new TfjsModelBuilder().input("x", -1, -1, 8)
                .layer("PixelShuffle2x", "shuffle", "\"scale\": 2", "x").read();
        Node d2s = single(g, "DepthToSpace");
        assertEquals("DCR", d2s.attrString("mode", null));
        assertEquals(2, d2s.attrInt("blocksize"));
        float[] expectedNchw = {
            0, 2, 10, 12, 4, 6, 14, 16, // channel 0, rows 0 and 1
            1, 3, 11, 13, 5, 7, 15, 17, // channel 1
        };
        Tensor out = run(g, TfReference.toNchw(nhwc, 1, 2, 8));
        assertArrayEquals(new int[] {1, 2, 2, 4}, out.shape());
        assertArrayEquals(expectedNchw, out.floats(), 0f);
    }

    @Test
    void pixelShuffleScaleMustMatchItsClassName() {
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 9)
                .layer("PixelShuffle3x", "shuffle", "\"scale\": 2", "x").read());
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("shuffle"), e.getMessage());
    }

    @Test
    void nearestUpsamplingRepeatsPixels() {
        Graph g = new TfjsModelBuilder().input("x", -1, -1, 1)
                .layer("UpSampling2D", "up", "\"size\": [2, 3], \"interpolation\": \"nearest\"", "x").read();
        Node r = single(g, "Resize");
        assertEquals("asymmetric", r.attrString("coordinate_transformation_mode", null));
        assertEquals("floor", r.attrString("nearest_mode", null));
        Tensor out = run(g, Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new int[] {1, 1, 4, 6}, out.shape());
        assertArrayEquals(new float[] {
            1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, out.floats(), 0f);
    }

    @Test
    void bilinearUpsamplingIsRefused() {
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 1)
                .layer("UpSampling2D", "up", "\"size\": [2, 2], \"interpolation\": \"bilinear\"", "x").read());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("'up'"), e.getMessage());
    }

    @Test
    void residualDenseBlockRuns() {
        // The pieces of an RDN/RRDN block: conv + Activation, channel concat, MultiplyBeta, Add.
        Random rnd = new Random(3);
        float[] k1 = random(rnd, 9 * 2 * 2);
        float[] k2 = random(rnd, 4 * 2);
        Graph g = new TfjsModelBuilder().input("x", -1, -1, 2)
                .conv2d("f", "x", 3, 3, 2, 2, "same", 1, 1, "linear", k1, new float[] {0.1f, -0.2f})
                .layer("Activation", "f_relu", RELU, "f")
                .layer("Concatenate", "cat", "\"axis\": 3", "x", "f_relu")
                .conv2d("lff", "cat", 1, 1, 4, 2, "valid", 1, 1, "linear", k2, null)
                .layer("MultiplyBeta", "beta", "\"beta\": 0.2", "lff")
                .layer("Add", "sum", "", "x", "beta").read();
        assertEquals(1L, single(g, "Concat").attrInt("axis"));
        float[] x = random(rnd, 4 * 5 * 2);
        float[] f = TfReference.conv2d(x, 4, 5, 2, k1, 3, 3, 2, new float[] {0.1f, -0.2f}, 1, 1, true);
        float[] cat = new float[4 * 5 * 4];
        for (int p = 0; p < 20; p++) {
            cat[p * 4] = x[p * 2];
            cat[p * 4 + 1] = x[p * 2 + 1];
            cat[p * 4 + 2] = Math.max(f[p * 2], 0);
            cat[p * 4 + 3] = Math.max(f[p * 2 + 1], 0);
        }
        float[] lff = TfReference.conv2d(cat, 4, 5, 4, k2, 1, 1, 2, null, 1, 1, false);
        float[] want = new float[x.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = x[i] + 0.2f * lff[i];
        }
        Tensor got = run(g, TfReference.toNchw(x, 4, 5, 2));
        assertArrayEquals(want, TfReference.toNhwc(got.floats(), 4, 5, 2), 1e-5f);
    }

    @Test
    void concatenateOnlyAlongChannels() {
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 1)
                .layer("Concatenate", "cat", "\"axis\": 1", "x", "x").read());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
    }

    @Test
    void reluLayerVariants() {
        Graph capped = new TfjsModelBuilder().input("x", -1, -1, 1).layer("ReLU", "r", "\"max_value\": 6.0", "x").read();
        Node clip = single(capped, "Clip");
        assertEquals(6f, capped.initializers().get(clip.input(2)).floats()[0]);
        Graph leaky = new TfjsModelBuilder().input("x", -1, -1, 1).layer("ReLU", "r", "\"negative_slope\": 0.1", "x").read();
        assertEquals(0.1f, single(leaky, "LeakyRelu").attrFloat("alpha", 0));
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 1)
                .layer("ReLU", "r", "\"threshold\": 1.0", "x").read());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
    }

    @Test
    void unsupportedLayerNamesClassAndLayer() {
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 1)
                .layer("BatchNormalization", "bn_7", "", "x").read());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("BatchNormalization") && e.getMessage().contains("bn_7"), e.getMessage());
    }

    @Test
    void unsupportedActivationNamesIt() {
        SrException e = assertThrows(SrException.class, () -> new TfjsModelBuilder().input("x", -1, -1, 1)
                .conv2d("c", "x", 1, 1, 1, 1, "valid", 1, 1, "elu", new float[] {1}, null).read());
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("elu") && e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    void kernelOfWrongShapeIsRejected() {
        TfjsModelBuilder b = new TfjsModelBuilder().input("x", -1, -1, 2);
        b.layer("Conv2D", "c", "\"filters\": 1, \"kernel_size\": [1, 1], \"padding\": \"valid\", \"use_bias\": false", "x");
        b.weight("c/kernel", new float[] {1, 2, 3}, 1, 1, 3, 1);
        SrException e = assertThrows(SrException.class, b::read);
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("c/kernel") && e.getMessage().contains("[1, 1, 3, 1]"), e.getMessage());
    }

    @Test
    void weightThatNoLayerUsesIsRejected() {
        TfjsModelBuilder b = new TfjsModelBuilder().input("x", -1, -1, 1).layer("Activation", "a", RELU, "x");
        b.weight("stray/kernel", new float[] {1}, 1);
        SrException e = assertThrows(SrException.class, b::read);
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("stray/kernel"), e.getMessage());
    }

    @Test
    void recordsParameterCount() {
        Graph g = new TfjsModelBuilder().input("x", -1, -1, 3)
                .conv2d("c", "x", 3, 3, 3, 4, "same", 1, 1, "linear", new float[108], new float[4]).read();
        assertEquals("112", g.metadata().get("parameters"));
        assertTrue(g.metadata().get("converted_from").contains("keras v2.10.0"));
    }

    @Test
    void readsModelAndShardsFromFiles(@TempDir Path dir) throws Exception {
        Path json = new TfjsModelBuilder().input("x", -1, -1, 1)
                .conv2d("c", "x", 1, 1, 1, 1, "valid", 1, 1, "linear", new float[] {2}, new float[] {1}).write(dir);
        Graph g = TfjsImporter.read(json);
        assertEquals(2f, g.initializers().get("c/kernel").floats()[0]);

        Files.delete(dir.resolve("group1-shard1of1.bin"));
        SrException missing = assertThrows(SrException.class, () -> TfjsImporter.read(json));
        assertEquals(ErrorCode.IO_ERROR, missing.code());
        assertTrue(missing.getMessage().contains("group1-shard1of1.bin"), missing.getMessage());

        SrException noFile = assertThrows(SrException.class, () -> TfjsImporter.read(dir.resolve("nope.json")));
        assertEquals(ErrorCode.IO_ERROR, noFile.code());
    }

    @Test
    void shardPathMayNotLeaveTheModelDirectory(@TempDir Path dir) throws Exception {
        Path json = new TfjsModelBuilder().input("x", -1, -1, 1)
                .conv2d("c", "x", 1, 1, 1, 1, "valid", 1, 1, "linear", new float[] {2}, null).write(dir);
        Files.writeString(json, Files.readString(json).replace("group1-shard1of1.bin", "../secret.bin"));
        SrException e = assertThrows(SrException.class, () -> TfjsImporter.read(json));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("../secret.bin"), e.getMessage());
    }

    @Test
    void malformedJsonSaysWhere() {
        SrException e = assertThrows(SrException.class, () -> TfjsImporter.read("{\"format\": \"layers-model\",",
                p -> new byte[0], "broken.json"));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void graphModelsAreRefused() {
        SrException e = assertThrows(SrException.class, () -> TfjsImporter.read(
                "{\"format\": \"graph-model\", \"modelTopology\": {}}", p -> new byte[0], "g.json"));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
    }

    static Node single(Graph g, String op) {
        var nodes = g.nodes().stream().filter(n -> n.opType().equals(op)).toList();
        assertEquals(1, nodes.size(), "expected one " + op + " node in " + g);
        return nodes.getFirst();
    }

    static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** Runs a graph on the reference backend; skips while srengine lacks one of its ops. */
    static Tensor run(Graph g, Tensor input) {
        for (String op : g.opUsage().keySet()) {
            assumeTrue(OpRegistry.get(op) != null, "op " + op + " is not implemented yet");
        }
        Model model = Model.fromGraph(g, false);
        try (Session s = model.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(input);
        }
    }
}
