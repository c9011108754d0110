package io.srengine.upscale;

import io.srengine.DataType;
import io.srengine.Model;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.ops.OpRegistry;
import io.srengine.reference.ReferenceKernels;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small image models built in code, for tests that need a real graph on a real backend. */
public final class TinyModels {
    private TinyModels() {}

    /** Whether srengine can run {@code ops} on the reference backend yet. */
    public static boolean supported(String... ops) {
        for (String op : ops) {
            if (OpRegistry.get(op) == null || ReferenceKernels.get(op) == null) {
                return false;
            }
        }
        return true;
    }

    private static Graph imageGraph(String name, int channels, Dim h, Dim w) {
        Graph g = new Graph(name, 13);
        g.inputs().add(new ValueInfo("image", new TensorType(DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(channels), h, w))));
        g.outputs().add(new ValueInfo("upscaled", new TensorType(DataType.FLOAT32,
                Shape.of(Dim.symbol("N"), Dim.of(3), Dim.symbol("OH"), Dim.symbol("OW")))));
        return g;
    }

    /**
     * Nearest-neighbour upscaling by {@code scale} from layout ops only: {@code scale^2} copies of the
     * image side by side in channels, then DepthToSpace (DCR order puts copy {@code i*s+j} at offset
     * (i, j) of every block).
     */
    public static Model nearestByShuffle(int scale) {
        Graph g = imageGraph("shuffle-nearest-x" + scale, 3, Dim.symbol("H"), Dim.symbol("W"));
        shuffleUp(g, "image", scale);
        return Model.fromGraph(g, true);
    }

    /**
     * A 3x3 box blur with zero padding (Pad, shifted Slices, Sum, Mul) followed by nearest upscaling by
     * {@code scale}: a real graph with a receptive field of one pixel, built from layout and
     * elementwise ops only.
     */
    public static Model blurByShuffle(int scale) {
        Graph g = imageGraph("shuffle-blur-x" + scale, 3, Dim.symbol("H"), Dim.symbol("W"));
        g.metadata().put("scale", Integer.toString(scale));
        g.initializers().put("pads", Tensor.ofLongs(new long[] {0, 0, 1, 1, 0, 0, 1, 1}, 8));
        g.initializers().put("ninth", Tensor.scalar(1f / 9));
        g.nodes().add(new Node("pad", "Pad", List.of("image", "pads"), List.of("padded"), Attributes.empty()));
        String x = "padded";
        for (int axis : new int[] {3, 2}) {
            List<String> parts = new java.util.ArrayList<>();
            for (int k = 0; k < 3; k++) {
                String n = "a" + axis + "s" + k;
                g.initializers().put(n + "_start", Tensor.ofLongs(new long[] {k}, 1));
                g.initializers().put(n + "_end", Tensor.ofLongs(new long[] {k == 2 ? Long.MAX_VALUE : k - 2}, 1));
                g.initializers().put(n + "_axis", Tensor.ofLongs(new long[] {axis}, 1));
                g.nodes().add(new Node(n, "Slice", List.of(x, n + "_start", n + "_end", n + "_axis"), List.of(n), Attributes.empty()));
                parts.add(n);
            }
            g.nodes().add(new Node("sum" + axis, "Sum", parts, List.of("sum" + axis), Attributes.empty()));
            x = "sum" + axis;
        }
        g.nodes().add(new Node("mean", "Mul", List.of(x, "ninth"), List.of("blurred"), Attributes.empty()));
        shuffleUp(g, "blurred", scale);
        return Model.fromGraph(g, true);
    }

    private static void shuffleUp(Graph g, String x, int scale) {
        List<String> copies = java.util.Collections.nCopies(scale * scale, x);
        g.nodes().add(new Node("copies", "Concat", copies, List.of("copies"), Attributes.of(Map.of("axis", 1L))));
        g.nodes().add(new Node("shuffle", "DepthToSpace", List.of("copies"), List.of("upscaled"),
                Attributes.of(Map.of("blocksize", (long) scale, "mode", "DCR"))));
    }

    /** Nearest-neighbour upscaling by {@code scale}: one Resize node. */
    public static Model nearest(int scale) {
        Graph g = imageGraph("nearest-x" + scale, 3, Dim.symbol("H"), Dim.symbol("W"));
        g.initializers().put("scales", Tensor.of(new float[] {1, 1, scale, scale}, 4));
        g.nodes().add(new Node("resize", "Resize", List.of("image", "", "scales"), List.of("upscaled"),
                Attributes.of(Map.of("mode", "nearest", "nearest_mode", "floor", "coordinate_transformation_mode", "asymmetric"))));
        return Model.fromGraph(g, true);
    }

    /**
     * {@code convs} 3x3 convolutions (ReLU between them) and a DepthToSpace: the shape of a small
     * ESPCN. The receptive field reaches {@code convs} input pixels in every direction.
     *
     * @param metadataScale whether to record the scale in metadata (else it must be read from shapes)
     */
    public static Model convShuffle(int scale, int convs, long seed, boolean metadataScale) {
        Graph g = imageGraph("conv-shuffle-x" + scale, 3, Dim.symbol("H"), Dim.symbol("W"));
        if (metadataScale) {
            g.metadata().put("scale", Integer.toString(scale));
        }
        Random rnd = new Random(seed);
        String x = "image";
        int cin = 3;
        for (int i = 0; i < convs; i++) {
            int cout = i == convs - 1 ? 3 * scale * scale : 8;
            float[] w = new float[cout * cin * 9];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (rnd.nextGaussian() * 0.4 / Math.sqrt(cin * 9.0)) + (k % (cin * 9) == 4 ? 0.3f : 0f);
            }
            float[] b = new float[cout];
            for (int k = 0; k < cout; k++) {
                b[k] = (float) (rnd.nextGaussian() * 0.05);
            }
            g.initializers().put("w" + i, Tensor.of(w, cout, cin, 3, 3));
            g.initializers().put("b" + i, Tensor.of(b, cout));
            String y = "conv" + i;
            g.nodes().add(new Node("conv" + i, "Conv", List.of(x, "w" + i, "b" + i), List.of(y),
                    Attributes.of(Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}))));
            x = y;
            if (i < convs - 1) {
                g.nodes().add(new Node("relu" + i, "Relu", List.of(x), List.of(x + "_relu"), Attributes.empty()));
                x = x + "_relu";
            }
            cin = cout;
        }
        g.nodes().add(new Node("shuffle", "DepthToSpace", List.of(x), List.of("upscaled"),
                Attributes.of(Map.of("blocksize", (long) scale, "mode", "CRD"))));
        return Model.fromGraph(g, true);
    }

    /** A 1x1 convolution from {@code channels} to 3 channels followed by nearest x2, for channel checks. */
    public static Model withInputChannels(int channels) {
        Graph g = imageGraph("channels-" + channels, channels, Dim.symbol("H"), Dim.symbol("W"));
        g.initializers().put("w", Tensor.of(new float[3 * channels], 3, channels, 1, 1));
        g.initializers().put("scales", Tensor.of(new float[] {1, 1, 2, 2}, 4));
        g.nodes().add(new Node("conv", "Conv", List.of("image", "w"), List.of("c"), Attributes.empty()));
        g.nodes().add(new Node("resize", "Resize", List.of("c", "", "scales"), List.of("upscaled"),
                Attributes.of(Map.of("mode", "nearest"))));
        return Model.fromGraph(g, true);
    }
}
