package io.srengine.formats.tfjs;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Wraps an imported super-resolution graph so that it follows srengine's image convention (see
 * {@link ModelMetadata}): input {@code "input"} {@code [N, 3, H, W]} RGB in [0, 1], output {@code
 * "output"} {@code [N, 3, H*scale, W*scale]} RGB in [0, 1], and the model's description in its
 * metadata.
 *
 * <p>A network that computes in [0, 255] gets a {@code Mul} by 255 after the input and a {@code
 * Div} by 255 before the output; every model gets a final {@code Clip} to [0, 1], the clamp that
 * the original runtime (UpscalerJS) applies to the network's output before it becomes pixels.
 */
public final class ImageModelConvention {
    /** The input name every converted model has. */
    public static final String INPUT = "input";
    /** The output name every converted model has. */
    public static final String OUTPUT = "output";

    /**
     * What to record about a model.
     *
     * @param name srengine's name for it, e.g. {@code esrgan-slim-x2}
     * @param scale the upscaling factor; checked against the graph
     * @param range the top of the value range the network computes in: 1 or 255
     * @param architecture architecture and hyper-parameters, e.g. {@code RDN (C=1, D=2, G=4, G0=64)}
     * @param source package, version and file the weights come from
     * @param license licence and copyright line
     * @param trainingData the training set, or null
     * @param description one line for listings, or null
     */
    public record Info(String name, int scale, double range, String architecture, String source, String license,
            String trainingData, String description) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException when name, architecture, source or license is null
         * @throws SrException {@code INVALID_ARGUMENT} when the scale is below 1 or the range is not a
         *     positive finite number
         */
        public Info {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(architecture, "architecture");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(license, "license");
            if (scale < 1) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "scale must be at least 1, was " + scale);
            }
            if (!(range > 0) || Double.isInfinite(range)) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "the value range must be positive, was " + range);
            }
        }
    }

    private ImageModelConvention() {}

    /**
     * Rewrites {@code graph} in place and returns it. The graph must not be in use elsewhere while this
     * runs.
     *
     * @param graph the imported graph, one image input of free batch, height and width, one image output
     * @param info what to record in the graph's metadata, and the range and scale to adapt
     * @return {@code graph}, renamed to {@code info.name()}
     * @throws SrException {@code INVALID_MODEL} when the graph is not one RGB image in, one RGB image
     *     out, or its input size is fixed; {@code INVALID_ARGUMENT} when it does not upscale by
     *     {@code info.scale()}
     */
    public static Graph apply(Graph graph, Info info) {
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, "model '" + info.name() + "' has " + graph.inputs().size()
                    + " inputs and " + graph.outputs().size() + " outputs; an image model has one of each");
        }
        ValueInfo in = graph.inputs().getFirst();
        ValueInfo out = graph.outputs().getFirst();
        Shape inShape = in.type().shape();
        Shape outShape = out.type().shape();
        if (inShape.rank() != 4 || !inShape.dim(1).equals(Dim.of(3)) || outShape.rank() != 4
                || !outShape.dim(1).equals(Dim.of(3))) {
            throw new SrException(ErrorCode.INVALID_MODEL, "model '" + info.name() + "' maps " + inShape + " to "
                    + outShape + "; an RGB image model maps [N, 3, H, W] to [N, 3, H*s, W*s]");
        }
        for (int axis : new int[] {0, 2, 3}) {
            if (inShape.dim(axis).isKnown()) {
                throw new SrException(ErrorCode.INVALID_MODEL, "model '" + info.name() + "' fixes input axis " + axis
                        + " to " + inShape.dim(axis) + "; only models of free batch and image size can be bundled");
            }
        }
        Dim h = inShape.dim(2);
        Dim w = inShape.dim(3);
        if (!outShape.dim(2).equals(h.times(info.scale())) || !outShape.dim(3).equals(w.times(info.scale()))) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "model '" + info.name() + "' maps " + inShape + " to "
                    + outShape + ", which is not an upscaling by " + info.scale());
        }
        for (String reserved : List.of(INPUT, OUTPUT)) {
            boolean used = graph.isInitializer(reserved) || graph.producers().containsKey(reserved)
                    || (graph.consumers().containsKey(reserved) && !reserved.equals(in.name()));
            if (used) {
                throw new SrException(ErrorCode.INVALID_MODEL, "model '" + info.name() + "' already has a value named '"
                        + reserved + "', the name its " + reserved + " must get");
            }
        }
        Dim n = Dim.symbol("N");
        Dim ph = Dim.symbol("H");
        Dim pw = Dim.symbol("W");
        boolean scaled = info.range() != 1;
        String range = null;

        String firstValue = in.name();
        if (scaled) {
            range = constant(graph, "model_range", info.range());
            graph.nodes().add(0, node(graph.freshName("to_model_range"), "Mul", List.of(INPUT, range), firstValue));
        } else {
            rename(graph, firstValue, INPUT);
        }
        graph.inputs().set(0, new ValueInfo(INPUT, new TensorType(DataType.FLOAT32, Shape.of(n, Dim.of(3), ph, pw))));

        String last = out.name();
        if (scaled) {
            String unit = graph.freshName("unit_range");
            graph.nodes().add(node(graph.freshName("to_unit_range"), "Div", List.of(last, range), unit));
            last = unit;
        }
        graph.nodes().add(node(graph.freshName("clip_to_unit_range"), "Clip",
                List.of(last, constant(graph, "clip_min", 0), constant(graph, "clip_max", 1)), OUTPUT));
        graph.outputs().set(0, new ValueInfo(OUTPUT, new TensorType(DataType.FLOAT32,
                Shape.of(n, Dim.of(3), ph.times(info.scale()), pw.times(info.scale())))));

        graph.setName(info.name());
        var m = graph.metadata();
        m.put(ModelMetadata.NAME, info.name());
        if (info.description() != null) {
            m.put(ModelMetadata.DESCRIPTION, info.description());
        }
        m.put(ModelMetadata.SCALE, Integer.toString(info.scale()));
        m.put(ModelMetadata.INPUT_RANGE, "[0, 1]");
        m.put(ModelMetadata.OUTPUT_RANGE, "[0, 1] (clipped)");
        m.put(ModelMetadata.ORIGINAL_RANGE, "[0, " + format(info.range()) + "]");
        m.put(ModelMetadata.ARCHITECTURE, info.architecture());
        m.put(ModelMetadata.SOURCE, info.source());
        m.put(ModelMetadata.LICENSE, info.license());
        if (info.trainingData() != null) {
            m.put(ModelMetadata.TRAINING_DATA, info.trainingData());
        }
        graph.validateReferences();
        return graph;
    }

    private static void rename(Graph graph, String from, String to) {
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.inputs().contains(from)) {
                List<String> ins = new ArrayList<>(node.inputs());
                ins.replaceAll(v -> v.equals(from) ? to : v);
                nodes.set(i, node.withInputs(ins));
            }
        }
    }

    private static String constant(Graph graph, String prefix, double v) {
        String name = graph.freshName(prefix);
        graph.initializers().put(name, Tensor.scalar((float) v));
        return name;
    }

    private static Node node(String name, String op, List<String> inputs, String output) {
        return new Node(name, op, inputs, List.of(output), Attributes.empty());
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
