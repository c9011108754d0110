package io.srengine.upscale;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Liveness;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.Shape;
import io.srengine.graph.ValueInfo;
import io.srengine.rewrite.ShapeSpecializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A {@link TileModel} backed by a {@link Session} of an srengine image model. */
final class SessionTileModel implements TileModel {
    /** The metadata key bundled models record their scale under. */
    static final String SCALE_KEY = "scale";
    private static final long PROBE_H = 64;
    private static final long PROBE_W = 96;

    private final Session session;
    private final SessionOptions options;
    private final WholeImageMeans wholeImageMeans;
    /** The session with the means as inputs, for tiled runs of models that declare whole-image means. */
    private Session meansSession;
    private final int alignment;
    private final int recommendedPadding;
    private final boolean repeats;
    private final String name;
    private final int scale;
    private final int fixedHeight;
    private final int fixedWidth;
    private final long activationBytes;

    SessionTileModel(Model model, SessionOptions options) {
        this.name = model.metadata().getOrDefault("name", model.source());
        List<ValueInfo> inputs = model.inputs();
        List<ValueInfo> outputs = model.outputs();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new SrException(ErrorCode.INVALID_INPUT, "an upscaling model has one input and one output; "
                    + name + " has " + inputs.size() + " inputs and " + outputs.size() + " outputs");
        }
        Shape in = inputs.getFirst().type().shape();
        Shape out = outputs.getFirst().type().shape();
        if (in.rank() != 4 || out.rank() != 4) {
            throw new SrException(ErrorCode.INVALID_INPUT, "an upscaling model takes and returns NCHW images; " + name
                    + " takes " + in + " and returns " + out);
        }
        checkChannels(in, "takes");
        checkChannels(out, "returns");
        if (in.dim(0).isKnown() && in.dim(0).value() != 1 && in.dim(0).value() > 0) {
            throw new SrException(ErrorCode.INVALID_INPUT, name + " has a fixed batch of " + in.dim(0).value()
                    + " (input " + in + "); the upscaler runs one tile at a time");
        }
        this.fixedHeight = in.dim(2).isKnown() ? (int) in.dim(2).value() : 0;
        this.fixedWidth = in.dim(3).isKnown() ? (int) in.dim(3).value() : 0;
        Graph graph = model.graph();
        Graph sized = graph;
        if (!outputFollows(in, out)) {
            // Transformer exports compute their output size through shape arithmetic (the window padding)
            // that has no symbolic form: specialised to a probe size, the shapes are plain numbers.
            Graph probe = probe(graph, in);
            if (probe != null) {
                sized = probe;
                in = probe.typeOf(probe.inputs().getFirst().name()).shape();
                out = probe.typeOf(probe.outputs().getFirst().name()).shape();
            }
        }
        this.scale = scaleOf(model, in, out);
        this.activationBytes = activationBytesPerPixel(sized, in);
        this.options = options;
        Map<String, String> md = model.metadata();
        this.wholeImageMeans = WholeImageMeans.of(model);
        // Window-attention transformers: tiles on their window grid, two windows of context (ModelTiling).
        int window = ModelTiling.windowMultiple(graph);
        int align = alignmentOf(md);
        this.alignment = wholeImageMeans != null ? wholeImageMeans.alignment() : align / gcd(align, window) * window;
        this.recommendedPadding = md.containsKey(ModelMetadata.TILE_PADDING) ? intMetadata(md, ModelMetadata.TILE_PADDING)
                : ModelTiling.padding(window);
        this.repeats = "true".equalsIgnoreCase(md.get(ModelMetadata.REPEATS_FOR_LARGER_SCALES));
        this.session = model.newSession(options);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Whether the output's height and width evaluate for a probe-sized input. */
    private static boolean outputFollows(Shape in, Shape out) {
        Map<String, Long> bind = new HashMap<>();
        bindOrValue(in.dim(2), PROBE_H, bind);
        bindOrValue(in.dim(3), PROBE_W, bind);
        try {
            out.dim(2).eval(bind);
            out.dim(3).eval(bind);
            return true;
        } catch (SrException | IllegalStateException e) {
            return false;
        }
    }

    /** The graph specialised to one probe-sized image (fixed dims kept), or null when that fails. */
    private static Graph probe(Graph g, Shape in) {
        int h = in.dim(2).isKnown() ? (int) in.dim(2).value() : (int) PROBE_H;
        int w = in.dim(3).isKnown() ? (int) in.dim(3).value() : (int) PROBE_W;
        try {
            return ShapeSpecializer.specialize(g, Map.of(g.inputs().getFirst().name(), new int[] {1, 3, h, w}));
        } catch (SrException e) {
            return null;
        }
    }

    /** The "align M" of a pre-padding description ("P MODE align M"), or 1. */
    private static int alignmentOf(Map<String, String> md) {
        String pre = md.get(ModelMetadata.PRE_PADDING);
        if (pre == null) {
            return 1;
        }
        String[] f = pre.trim().split("\\s+");
        try {
            return f.length >= 4 ? Math.max(1, Integer.parseInt(f[3])) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private int intMetadata(Map<String, String> md, String key) {
        String v = md.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, name + ": metadata " + key + " is '" + v + "', not a number");
        }
    }

    @Override
    public int alignment() {
        return alignment;
    }

    @Override
    public int recommendedPadding() {
        return recommendedPadding;
    }

    @Override
    public boolean repeatsForLargerScales() {
        return repeats;
    }

    @Override
    public UnaryOperator<Tensor> forImage(TileIo.Source source, List<WholeImageMeans.Cut> xs, List<WholeImageMeans.Cut> ys) {
        if (wholeImageMeans == null || xs.size() * ys.size() == 1) {
            return this::run;
        }
        Session withMeans = meansSession();
        Map<String, Tensor> means = wholeImageMeans.compute(source, xs, ys, options);
        String image = withMeans.model().inputs().getFirst().name();
        return tile -> {
            Map<String, Tensor> in = new HashMap<>(means);
            in.put(image, tile);
            return withMeans.run(in).values().iterator().next();
        };
    }

    /** The session that takes the means as inputs, made when a tiled image first needs it. */
    private synchronized Session meansSession() {
        if (meansSession == null) {
            meansSession = wholeImageMeans.withMeans().newSession(options);
        }
        return meansSession;
    }

    private void checkChannels(Shape s, String verb) {
        Dim c = s.dim(1);
        if (c.isKnown() && c.value() != 3) {
            throw new SrException(ErrorCode.INVALID_INPUT, name + " " + verb + " " + c.value()
                    + " channels (" + s + "); the upscaler needs a model on RGB images (3 channels)");
        }
    }

    /** From the metadata when the model records it, else from how the output dims depend on the input's. */
    private int scaleOf(Model model, Shape in, Shape out) {
        String declared = model.metadata().get(SCALE_KEY);
        if (declared != null) {
            try {
                int s = Integer.parseInt(declared.trim());
                if (s >= 1) {
                    return s;
                }
            } catch (NumberFormatException e) {
                // fall through to the shapes
            }
        }
        Map<String, Long> bind = new HashMap<>();
        long h = bindOrValue(in.dim(2), PROBE_H, bind);
        long w = bindOrValue(in.dim(3), PROBE_W, bind);
        try {
            long oh = out.dim(2).eval(bind);
            long ow = out.dim(3).eval(bind);
            if (oh % h == 0 && ow % w == 0 && oh / h == ow / w && oh / h >= 1) {
                return (int) (oh / h);
            }
            throw new SrException(ErrorCode.INVALID_INPUT, name + " maps " + h + "x" + w + " to " + oh + "x" + ow
                    + ", which is not an integer upscale of both axes by the same factor");
        } catch (SrException e) {
            if (e.code() == ErrorCode.INVALID_INPUT) {
                throw e;
            }
            throw new SrException(ErrorCode.INVALID_INPUT, "cannot tell the scale of " + name + " from its shapes ("
                    + in + " -> " + out + ") and it records no '" + SCALE_KEY + "' metadata", e);
        }
    }

    /**
     * The peak over the graph's nodes of the bytes of the values alive at once, for a probe-sized
     * input, per input pixel; 0 when the shapes do not evaluate. Backends add scratch of their own, so
     * this is a floor, which is why the tile plan gives activations a quarter of the heap.
     */
    private static long activationBytesPerPixel(Graph g, Shape in) {
        try {
            Map<String, Long> bind = new HashMap<>();
            bindOrValue(in.dim(0), 1, bind);
            long h = bindOrValue(in.dim(2), PROBE_H, bind);
            long w = bindOrValue(in.dim(3), PROBE_W, bind);
            Liveness live = new Liveness(g);
            List<Node> nodes = g.nodes();
            long[] delta = new long[nodes.size() + 2];
            for (Map.Entry<String, TensorType> e : g.valueTypes().entrySet()) {
                if (g.isInitializer(e.getKey())) {
                    continue;
                }
                long bytes = e.getValue().dataType().byteSize();
                try {
                    for (Dim d : e.getValue().shape().dims()) {
                        bytes *= d.eval(bind);
                    }
                } catch (SrException | IllegalStateException unknown) {
                    continue; // a size that does not follow from the input's (declared output names): not counted
                }
                int born = live.definedAt(e.getKey()) + 1;
                int last = live.lastUsedAt(e.getKey());
                int dies = last == Integer.MAX_VALUE || last >= nodes.size() ? nodes.size() + 1 : last + 2;
                if (born >= 0 && born < dies) {
                    delta[born] += bytes;
                    delta[dies] -= bytes;
                }
            }
            long liveBytes = 0;
            long peak = 0;
            for (long d : delta) {
                liveBytes += d;
                peak = Math.max(peak, liveBytes);
            }
            return peak / (h * w);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public long activationBytesPerPixel() {
        return activationBytes;
    }

    private static long bindOrValue(Dim d, long probe, Map<String, Long> bind) {
        if (d.isKnown()) {
            return d.value();
        }
        return bind.computeIfAbsent(d.toString(), k -> probe);
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public int fixedHeight() {
        return fixedHeight;
    }

    @Override
    public int fixedWidth() {
        return fixedWidth;
    }

    @Override
    public Tensor run(Tensor tile) {
        return session.run(tile);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String backendName() {
        return session.backendName();
    }

    @Override
    public synchronized void close() {
        session.close();
        if (meansSession != null) {
            meansSession.close();
        }
    }
}
