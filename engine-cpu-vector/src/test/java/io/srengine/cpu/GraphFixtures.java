package io.srengine.cpu;

import io.srengine.graph.Graph;
import io.srengine.testing.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Small SR-shaped graphs built in code, each exercising a group of kernels and plan features. */
final class GraphFixtures {
    private GraphFixtures() {}

    static String conv(GraphBuilder b, String x, long seed, int in, int out, int k, Map<String, ?> attrs) {
        String w = b.random("w", seed, 0.3f, out, in, k, k);
        String bias = b.random("b", seed + 1, 0.1f, out);
        return b.op("Conv", List.of(x, w, bias), attrs);
    }

    static Map<String, Object> pad(int p) {
        return Map.of("pads", new long[] {p, p, p, p});
    }

    /** ESPCN-like: 5x5 first layer on 3 channels, Tanh, 3x3, pixel shuffle (CRD), Sigmoid. */
    static Graph espcn(int channels) {
        GraphBuilder b = new GraphBuilder("espcn", 13);
        String x = b.input("x", 1, channels, "h", "w");
        String y = b.op("Tanh", conv(b, x, 1, channels, 32, 5, pad(2)));
        y = b.op("Tanh", conv(b, y, 3, 32, 16, 3, pad(1)));
        y = conv(b, y, 5, 16, channels * 4, 3, pad(1));
        y = b.op("DepthToSpace", List.of(y), Map.of("blocksize", 2L, "mode", "CRD"));
        b.output(b.op("Sigmoid", y));
        return b.build();
    }

    /** FSRCNN-like: PReLU, 1x1 shrink/expand, 3x3 mapping, 9x9 stride-2 transposed conv to one channel. */
    static Graph fsrcnn() {
        GraphBuilder b = new GraphBuilder("fsrcnn", 13);
        String x = b.input("x", 1, 1, "h", "w");
        String y = b.op("PRelu", conv(b, x, 10, 1, 24, 5, pad(2)), b.random("a", 11, 0.25f, 24, 1, 1));
        y = b.op("PRelu", conv(b, y, 12, 24, 12, 1, Map.of()), b.random("a", 13, 0.25f, 12, 1, 1));
        for (int i = 0; i < 2; i++) {
            y = b.op("PRelu", conv(b, y, 20 + i, 12, 12, 3, pad(1)), b.random("a", 30 + i, 0.25f, 12, 1, 1));
        }
        y = b.op("PRelu", conv(b, y, 40, 12, 24, 1, Map.of()), b.random("a", 41, 0.25f, 1));
        String w = b.random("wt", 42, 0.1f, 24, 1, 9, 9);
        String bias = b.random("bt", 43, 0.1f, 1);
        b.output(b.op("ConvTranspose", List.of(y, w, bias), Map.of("strides", new long[] {2, 2}, "pads",
                new long[] {4, 4, 4, 4}, "output_padding", new long[] {1, 1})));
        return b.build();
    }

    /** EDSR-like: mean shift, residual blocks with a residual scale, pixel shuffle x2, mean shift back. */
    static Graph edsr(int feats, int blocks) {
        GraphBuilder b = new GraphBuilder("edsr", 13);
        String x = b.input("x", "n", 3, "h", "w");
        String mean = b.constant("mean", io.srengine.Tensor.of(new float[] {0.45f, 0.44f, 0.40f}, 1, 3, 1, 1));
        String h = conv(b, b.op("Sub", x, mean), 50, 3, feats, 3, pad(1));
        String skip = h;
        for (int i = 0; i < blocks; i++) {
            String r = b.op("Relu", conv(b, h, 60 + 2 * i, feats, feats, 3, pad(1)));
            r = conv(b, r, 61 + 2 * i, feats, feats, 3, pad(1));
            r = b.op("Mul", r, b.constant("scale", io.srengine.Tensor.scalar(0.1f)));
            h = b.op("Add", r, h);
        }
        h = b.op("Add", conv(b, h, 90, feats, feats, 3, pad(1)), skip);
        h = conv(b, h, 91, feats, 12, 3, pad(1));
        h = b.op("DepthToSpace", List.of(h), Map.of("blocksize", 2L, "mode", "CRD"));
        b.output(b.op("Add", h, mean));
        return b.build();
    }

    /** RRDB-like dense block: five convolutions over growing concatenations, LeakyReLU, residual 0.2. */
    static Graph denseBlock(int feats, int growth) {
        GraphBuilder b = new GraphBuilder("rdb", 13);
        String x = b.input("x", 1, feats, "h", "w");
        String x0 = conv(b, x, 100, feats, feats, 3, pad(1));
        String cat = x0;
        int c = feats;
        String x5 = null;
        for (int i = 0; i < 5; i++) {
            int out = i == 4 ? feats : growth;
            String y = conv(b, cat, 110 + i, c, out, 3, pad(1));
            if (i < 4) {
                y = b.op("LeakyRelu", List.of(y), Map.of("alpha", 0.2f));
                cat = b.op("Concat", List.of(i == 0 ? x0 : cat, y), Map.of("axis", 1L));
                c += growth;
            } else {
                x5 = y;
            }
        }
        String scaled = b.op("Mul", x5, b.constant("beta", io.srengine.Tensor.scalar(0.2f)));
        String rdb = b.op("Add", scaled, x0);
        b.output(b.op("Add", b.op("Mul", rdb, b.constant("beta", io.srengine.Tensor.scalar(0.2f))), x0));
        return b.build();
    }

    /** RCAN-like channel attention plus a nearest and a bicubic upsample and an unsupported op. */
    static Graph attentionAndResize() {
        GraphBuilder b = new GraphBuilder("rcan", 13);
        String x = b.input("x", 1, 16, "h", "w");
        String f = conv(b, x, 200, 16, 16, 3, pad(1));
        String s = b.op("GlobalAveragePool", f);
        s = b.op("Relu", conv(b, s, 201, 16, 4, 1, Map.of()));
        s = b.op("Sigmoid", conv(b, s, 202, 4, 16, 1, Map.of()));
        String att = b.op("Relu", b.op("Add", b.op("Mul", f, s), x));
        String empty = b.constant("roi", io.srengine.Tensor.of(new float[0], 0));
        String scales = b.constant("scales", io.srengine.Tensor.of(new float[] {1, 1, 2, 2}, 4));
        String near = b.op("Resize", List.of(att, empty, scales), Map.of("mode", "nearest"));
        String cubic = b.op("Resize", List.of(att, empty, scales), Map.of("mode", "cubic",
                "coordinate_transformation_mode", "pytorch_half_pixel"));
        String both = b.op("Div", b.op("Add", near, cubic), b.constant("two", io.srengine.Tensor.scalar(2f)));
        String mean = b.op("ReduceMean", List.of(both, b.ints("axes", 2, 3)), Map.of("keepdims", 1L));
        String dw = b.op("Conv", List.of(both, b.random("dw", 203, 0.3f, 16, 1, 3, 3)),
                Map.of("group", 16L, "pads", new long[] {1, 1, 1, 1}));
        String out = b.op("Sub", dw, mean);
        // Transpose has no vector kernel: it runs on the reference kernel between two vector steps.
        String t = b.op("Transpose", List.of(out), Map.of("perm", new long[] {0, 1, 3, 2}));
        b.output(b.op("Relu", conv(b, t, 204, 16, 3, 3, pad(1))));
        return b.build();
    }
}
