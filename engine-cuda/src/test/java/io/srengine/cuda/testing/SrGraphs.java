package io.srengine.cuda.testing;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.testing.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Super-resolution networks built in code with seeded random weights (He-uniform, so activations
 * keep their scale through deep stacks), with the structure their PyTorch definitions export to:
 * the same graphs the PyTorch benchmark script (bench/pytorch_gpu_bench.py) defines.
 */
public final class SrGraphs {
    private final GraphBuilder b;
    private long seed;

    private SrGraphs(String name, long seed) {
        this.b = new GraphBuilder(name, 17);
        this.seed = seed;
    }

    private String conv(String x, int cin, int cout, int k) {
        float scale = (float) Math.sqrt(6.0 / (cin * k * k));
        String w = b.random("w", seed++, scale, cout, cin, k, k);
        String bias = b.random("b", seed++, 0.05f, cout);
        int p = k / 2;
        return b.op("Conv", List.of(x, w, bias), Map.of("kernel_shape", new long[] {k, k}, "pads", new long[] {p, p, p, p},
                "strides", new long[] {1, 1}));
    }

    private String prelu(String x, int c) {
        float[] s = new float[c];
        for (int i = 0; i < c; i++) {
            s[i] = 0.25f + 0.01f * (i % 7);
        }
        return b.op("PRelu", x, b.constant("slope", Tensor.of(s, c, 1, 1)));
    }

    private String lrelu(String x) {
        return b.op("LeakyRelu", List.of(x), Map.of("alpha", 0.2f));
    }

    private String scalar(float v) {
        return b.constant("s", Tensor.of(new float[] {v}));
    }

    private String upNearest(String x, float f) {
        String scales = b.constant("scales", Tensor.of(new float[] {1, 1, f, f}, 4));
        return b.op("Resize", List.of(x, "", scales), Map.of("mode", "nearest", "coordinate_transformation_mode",
                "asymmetric", "nearest_mode", "floor"));
    }

    /**
     * SRVGGNetCompact (Real-ESRGAN's compact model): conv + PReLU, {@code numConv} x (conv + PReLU),
     * conv to 3*r*r channels, pixel shuffle, plus the nearest-upsampled input.
     */
    public static Graph srvgg(int feats, int numConv, int upscale, long seed) {
        SrGraphs g = new SrGraphs("srvgg_x" + upscale, seed);
        String x = g.b.input("input", "N", 3, "H", "W");
        String h = g.prelu(g.conv(x, 3, feats, 3), feats);
        for (int i = 0; i < numConv; i++) {
            h = g.prelu(g.conv(h, feats, feats, 3), feats);
        }
        h = g.conv(h, feats, 3 * upscale * upscale, 3);
        h = g.b.op("DepthToSpace", List.of(h), Map.of("blocksize", (long) upscale, "mode", "CRD"));
        String out = g.b.op("Add", h, g.upNearest(x, upscale));
        g.b.output(out);
        return g.b.build();
    }

    private String rdb(String x, int feats, int growth) {
        List<String> stack = new ArrayList<>(List.of(x));
        int c = feats;
        for (int i = 0; i < 4; i++) {
            String in = stack.size() == 1 ? x : b.op("Concat", stack, Map.of("axis", 1L));
            stack.add(lrelu(conv(in, c, growth, 3)));
            c += growth;
        }
        String x5 = conv(b.op("Concat", stack, Map.of("axis", 1L)), c, feats, 3);
        return b.op("Add", b.op("Mul", x5, scalar(0.2f)), x);
    }

    /** ESRGAN's RRDBNet x4: conv, blocks of three residual dense blocks, conv, two nearest x2 + conv, two convs. */
    public static Graph rrdbnet(int feats, int blocks, int growth, long seed) {
        SrGraphs g = new SrGraphs("rrdbnet_x4", seed);
        String x = g.b.input("input", "N", 3, "H", "W");
        String feat = g.conv(x, 3, feats, 3);
        String h = feat;
        for (int i = 0; i < blocks; i++) {
            String r = g.rdb(g.rdb(g.rdb(h, feats, growth), feats, growth), feats, growth);
            h = g.b.op("Add", g.b.op("Mul", r, g.scalar(0.2f)), h);
        }
        feat = g.b.op("Add", feat, g.conv(h, feats, feats, 3));
        feat = g.lrelu(g.conv(g.upNearest(feat, 2), feats, feats, 3));
        feat = g.lrelu(g.conv(g.upNearest(feat, 2), feats, feats, 3));
        String out = g.conv(g.lrelu(g.conv(feat, feats, feats, 3)), feats, 3, 3);
        g.b.output(out);
        return g.b.build();
    }

    /**
     * The structure of the bundled esrgan-slim models: the input scaled by a constant, conv, conv,
     * {@code blocks} dense blocks of one growth conv ({@code feats -> growth}, ReLU) concatenated to
     * the block input and fused back by a 1x1 conv plus the block input, the blocks' outputs
     * concatenated and fused by 1x1 + 3x3 convs plus a long skip, three convs to {@code 3*r*r}
     * channels, a nearest Resize by {@code r} and a 3x3 conv to RGB, divided by the constant and
     * clipped to [-2, 2]. With feats 64 and growth 4 the concatenations have 68 and 128 channels,
     * and the Resize 12 (x2) or 27 (x3).
     */
    public static Graph denseResize(int feats, int growth, int blocks, int r, long seed) {
        SrGraphs g = new SrGraphs("dense_resize_x" + r, seed);
        String x = g.b.input("input", "N", 3, "H", "W");
        String lr = g.b.op("Mul", x, g.scalar(2f));
        String first = g.conv(lr, 3, feats, 3);
        String h = g.conv(first, feats, feats, 3);
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            String grown = g.b.op("Relu", g.conv(h, feats, growth, 3));
            String cat = g.b.op("Concat", List.of(h, grown), Map.of("axis", 1L));
            h = g.b.op("Add", g.conv(cat, feats + growth, feats, 1), h);
            outs.add(h);
        }
        String fused = outs.size() == 1 ? outs.get(0) : g.b.op("Concat", outs, Map.of("axis", 1L));
        h = g.b.op("Add", g.conv(g.conv(fused, feats * blocks, feats, 1), feats, feats, 3), first);
        h = g.b.op("Relu", g.conv(h, feats, feats, 5));
        h = g.b.op("Relu", g.conv(h, feats, feats / 2, 3));
        h = g.conv(h, feats / 2, 3 * r * r, 3);
        String y = g.conv(g.upNearest(h, r), 3 * r * r, 3, 3);
        y = g.b.op("Div", y, g.scalar(2f));
        g.b.output(g.b.op("Clip", y, g.scalar(-2f), g.scalar(2f)));
        return g.b.build();
    }

    /** Seeded uniform values in [-1, 1] (the image-like test input). */
    public static Tensor input(long seed, int... shape) {
        return GraphBuilder.randomTensor(seed, 1f, shape);
    }
}
