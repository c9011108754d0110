package io.srengine.upscale;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Squeeze-and-excitation means over the whole image for a tiled run, so that a tiled run equals an
 * untiled one (Real-CUGAN, waifu2x cunet; {@link ModelMetadata#WHOLE_IMAGE_MEANS}).
 *
 * <p>An SE block scales its features by a function of their mean over the whole feature map; run
 * on a tile, the network would take the tile's mean instead (and the programs' own tiled output
 * does). Here stage {@code k} of a first pass runs the network's prefix up to the {@code k}-th mean
 * on every tile window, with the means found so far fed in, and adds up the features each tile
 * <em>owns</em>: the feature map of the whole padded image is split between the tiles along the
 * same cuts as the image, each feature counted once, taken from the tile in which it lies far from a
 * window edge. The sum over the whole map divided by its size is the untiled mean exactly (up to the
 * order of float additions). The tiled pass then runs the network with the four means as inputs.
 *
 * <p>Cost: the prefixes up to each mean run once per tile, about twice the network for Real-CUGAN
 * x2 (its last mean comes after most of the work), so a tiled run of these models takes about three
 * times an untiled one. Exactness needs the windows aligned to the network's stride and the tile
 * padding to exceed the receptive field of each mean's features (the model's {@link
 * ModelMetadata#TILE_PADDING}); an image that fits one tile skips all this.
 */
final class WholeImageMeans {
    private final List<String> means;
    private final List<Model> prefixes = new ArrayList<>();
    private final Model withMeans;
    private final int prepadding;
    private final int align;
    private final String modelName;

    private WholeImageMeans(Model model, List<String> means, int prepadding, int align) {
        this.means = means;
        this.prepadding = prepadding;
        this.align = align;
        this.modelName = model.metadata().getOrDefault(ModelMetadata.NAME, model.source());
        Graph g = model.graph();
        for (int k = 0; k < means.size(); k++) {
            prefixes.add(Model.fromGraph(prefix(g, means, k), false));
        }
        this.withMeans = Model.fromGraph(meansAsInputs(g, means, means.size()), false);
    }

    /** The means a model declares, or null when it declares none. */
    static WholeImageMeans of(Model model) {
        Map<String, String> md = model.metadata();
        String list = md.get(ModelMetadata.WHOLE_IMAGE_MEANS);
        if (list == null || list.isBlank()) {
            return null;
        }
        String pre = md.get(ModelMetadata.PRE_PADDING);
        int p = 0;
        int m = 1;
        if (pre != null) {
            // "P MODE align M"
            String[] f = pre.trim().split("\\s+");
            try {
                p = Integer.parseInt(f[0]);
                m = f.length >= 4 ? Integer.parseInt(f[3]) : 1;
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new SrException(ErrorCode.INVALID_MODEL, model.source() + ": metadata " + ModelMetadata.PRE_PADDING
                        + " '" + pre + "' is not 'P MODE align M'");
            }
        }
        return new WholeImageMeans(model, List.of(list.split(",")), p, m);
    }

    /** The model whose inputs are the image and the means, in the order of {@link #inputNames()}. */
    Model withMeans() {
        return withMeans;
    }

    List<String> inputNames() {
        return means;
    }

    /** Window starts and lengths must be multiples of this for the tiles to see the stride grid the whole image does. */
    int alignment() {
        return align;
    }

    /** The graph up to the input of mean {@code k}, with means {@code 0..k-1} as inputs. */
    private static Graph prefix(Graph prepared, List<String> means, int k) {
        Graph g = meansAsInputs(prepared, means, k);
        Node pool = producer(g, means.get(k));
        g.outputs().clear();
        g.outputs().add(new ValueInfo(pool.input(0), prepared.typeOf(pool.input(0))));
        g.removeDeadCode();
        g.metadata().remove(ModelMetadata.WHOLE_IMAGE_MEANS);
        return g;
    }

    /** The graph with the first {@code count} means read from inputs of their own name instead of computed. */
    private static Graph meansAsInputs(Graph prepared, List<String> means, int count) {
        Graph g = prepared.copy();
        for (int j = 0; j < count; j++) {
            String v = means.get(j);
            Node pool = producer(g, v);
            g.nodes().remove(pool);
            TensorType t = prepared.typeOf(v);
            g.inputs().add(new ValueInfo(v, new TensorType(DataType.FLOAT32,
                    Shape.of(Dim.of(1), t.shape().dim(1), Dim.of(1), Dim.of(1)))));
        }
        g.removeDeadCode();
        g.metadata().remove(ModelMetadata.WHOLE_IMAGE_MEANS);
        return g;
    }

    private static Node producer(Graph g, String value) {
        for (Node n : g.nodes()) {
            if (n.outputs().contains(value)) {
                if (!n.opType().equals("GlobalAveragePool")) {
                    throw new SrException(ErrorCode.INVALID_MODEL, value + " is declared a whole-image mean but "
                            + n.describe() + " computes it");
                }
                return n;
            }
        }
        throw new SrException(ErrorCode.INVALID_MODEL, "the whole-image mean '" + value + "' is not computed in the graph");
    }

    /**
     * The means over the whole image, one {@code [1, C, 1, 1]} tensor per declared mean.
     *
     * @param tiles the tile windows and the cuts between their cores, along each axis
     */
    Map<String, Tensor> compute(TileIo.Source source, List<Cut> xs, List<Cut> ys, SessionOptions options) {
        Map<String, Tensor> found = new HashMap<>();
        int w = source.width();
        int h = source.height();
        for (int k = 0; k < means.size(); k++) {
            try (Session s = prefixes.get(k).newSession(options)) {
                Axis ax = new Axis(s, k, w, true);
                Axis ay = new Axis(s, k, h, false);
                double[] sums = null;
                for (int ty = 0; ty < ys.size(); ty++) {
                    for (int tx = 0; tx < xs.size(); tx++) {
                        Cut cx = xs.get(tx);
                        Cut cy = ys.get(ty);
                        float[] window = new float[3 * cx.winLen() * cy.winLen()];
                        TileIo.readWindow(source, cx.win0(), cy.win0(), cx.winLen(), cy.winLen(), window, null);
                        Map<String, Tensor> in = new HashMap<>(found);
                        in.put(s.model().inputs().getFirst().name(), Tensor.of(window, 1, 3, cy.winLen(), cx.winLen()));
                        Tensor f = s.run(in).values().iterator().next();
                        if (f.dataType() != DataType.FLOAT32) {
                            f = f.to(DataType.FLOAT32);
                        }
                        int c = f.shape()[1];
                        int fh = f.shape()[2];
                        int fw = f.shape()[3];
                        int[] rx = ax.owned(xs, tx, fw);
                        int[] ry = ay.owned(ys, ty, fh);
                        if (sums == null) {
                            sums = new double[c];
                        }
                        float[] v = f.floats();
                        for (int ch = 0; ch < c; ch++) {
                            double acc = 0;
                            for (int yy = ry[0]; yy < ry[1]; yy++) {
                                int row = (ch * fh + yy) * fw;
                                for (int xx = rx[0]; xx < rx[1]; xx++) {
                                    acc += v[row + xx];
                                }
                            }
                            sums[ch] += acc;
                        }
                    }
                }
                long count = (long) ax.total * ay.total;
                float[] mean = new float[sums.length];
                for (int ch = 0; ch < mean.length; ch++) {
                    mean[ch] = (float) (sums[ch] / count);
                }
                found.put(means.get(k), Tensor.of(mean, 1, mean.length, 1, 1));
            }
        }
        return found;
    }

    /** One tile along one axis: its input window and where its core ends (the cut to the next tile). */
    record Cut(int win0, int winLen, int coreEnd) {}

    /**
     * The same tiles seen on the axis turned end to end (an image flipped for test-time augmentation):
     * in reverse order, each window mirrored, each core ending where the previous one began.
     */
    static List<Cut> mirrored(List<Cut> cuts, int len) {
        List<Cut> out = new ArrayList<>(cuts.size());
        for (int i = cuts.size() - 1; i >= 0; i--) {
            Cut c = cuts.get(i);
            out.add(new Cut(len - c.win0() - c.winLen(), c.winLen(), i == 0 ? len : len - cuts.get(i - 1).coreEnd()));
        }
        return out;
    }

    /** How the features of mean {@code k} lie along one axis of the padded image. */
    private final class Axis {
        /** Features of the whole padded image along this axis. */
        final int total;
        /** Features per padded-image pixel, as num / den. */
        final long num;
        final long den;
        /** Features the network eats at the two ends, in total. */
        final double eaten;

        Axis(Session s, int k, int imageLen, boolean width) {
            Graph g = prefixes.get(k).graph();
            long n0 = features(g, imageLen, width);
            long n1 = features(g, imageLen + 8L * align, width);
            this.total = (int) n0;
            this.num = n1 - n0;
            this.den = 8L * align;
            long padded = imageLen + 2L * prepadding + (align - imageLen % align) % align;
            this.eaten = (double) num / den * padded - n0;
        }

        /** The feature count along this axis for an image of {@code len} pixels (the other axis at 64). */
        private long features(Graph prefix, long len, boolean width) {
            Graph g = prefix.copy();
            int h = width ? 64 : (int) len;
            int w = width ? (int) len : 64;
            ValueInfo image = g.inputs().getFirst();
            g.inputs().set(0, new ValueInfo(image.name(), TensorType.of(DataType.FLOAT32, 1, 3, h, w)));
            io.srengine.ops.ShapeInference.infer(g, io.srengine.reference.ReferenceFolder.INSTANCE);
            TensorType t = g.typeOf(g.outputs().getFirst().name());
            Dim d = t == null ? Dim.unknown() : t.shape().dim(width ? 3 : 2);
            if (!d.isKnown()) {
                throw new SrException(ErrorCode.INTERNAL, modelName + ": cannot tell the size of the features behind a"
                        + " whole-image mean for a " + h + "x" + w + " image");
            }
            return d.value();
        }

        /** The window-relative range {@code [from, to)} of features tile {@code t} owns. */
        int[] owned(List<Cut> cuts, int t, int windowFeatures) {
            Cut c = cuts.get(t);
            long shiftNum = (long) c.win0() * num;
            if (shiftNum % den != 0) {
                throw new SrException(ErrorCode.INTERNAL, modelName + ": a tile window starts at " + c.win0()
                        + ", off the network's stride grid");
            }
            long shift = shiftNum / den;
            long from = t == 0 ? 0 : boundary(cuts.get(t - 1).coreEnd());
            long to = t == cuts.size() - 1 ? total : boundary(c.coreEnd());
            long a = from - shift;
            long b = to - shift;
            if (a < 0 || b > windowFeatures || a > b) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, modelName + " needs the mean of its features over the"
                        + " whole image, and a tile window of " + c.winLen() + " pixels at " + c.win0() + " does not hold"
                        + " the features it must contribute; use larger tiles or more tile padding");
            }
            return new int[] {(int) a, (int) b};
        }

        /** The first feature at or after image position {@code x}. */
        private long boundary(int x) {
            double f = (double) num / den * (x + prepadding) - eaten / 2;
            return Math.max(0, Math.min(total, Math.round(f)));
        }
    }
}
