package io.srengine.formats.tfjs;

import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow.js <em>layers</em> model ({@code model.json} with a Keras topology, plus its
 * binary weight shards) into an srengine {@link Graph} in NCHW layout, the second importer beside
 * {@link io.srengine.onnx.OnnxImporter}.
 *
 * <p>The image input is NHWC in TensorFlow and becomes a graph input {@code [N, C, H, W]} (unknown
 * batch, height and width become the symbols {@code N}, {@code H}, {@code W}); every layer is
 * translated to ONNX ops of opset {@value #OPSET} with its TensorFlow semantics kept exactly:
 *
 * <ul>
 *   <li>{@code Conv2D}: kernel HWIO → OIHW; {@code same} padding as TensorFlow pads (the odd pixel at the
 *       bottom/right), explicit when the stride is 1 and {@code auto_pad=SAME_UPPER} otherwise, because
 *       then the pads depend on the input size; the layer's {@code activation} as a following node;
 *   <li>{@code Concatenate} (NHWC axis → NCHW axis), {@code Add}, {@code Activation}, {@code ReLU},
 *       {@code LeakyReLU};
 *   <li>{@code UpSampling2D} with nearest interpolation → {@code Resize} nearest, asymmetric, floor:
 *       output pixel {@code o} reads input {@code floor(o / s)}, which is what TF.js (and Keras with
 *       half-pixel centres) compute for integer factors. Bilinear is refused: Keras and TF.js
 *       disagree on its sampling grid;
 *   <li>the custom layers of UpscalerJS's ESRGAN models: {@code MultiplyBeta} (times {@code beta}) and
 *       {@code PixelShuffle<s>x}, TensorFlow's NHWC {@code depth_to_space}, whose channel order
 *       {@code (i*s + j)*C + c} is ONNX {@code DepthToSpace} in mode {@code DCR} on NCHW.
 * </ul>
 *
 * Any other layer class fails with {@link ErrorCode#UNSUPPORTED_OP} naming the class and the layer.
 * The graph computes in the model's own value range; {@link ImageModelConvention} adapts it to
 * srengine's [0, 1] images.
 */
public final class TfjsImporter {
    /** The ONNX opset the translated graph is written against. */
    public static final int OPSET = 13;

    /** Reads one weight shard named by a path in the manifest. */
    @FunctionalInterface
    public interface ShardReader {
        /**
         * The bytes of {@code path}.
         *
         * @param path the path as the manifest writes it, relative to {@code model.json}
         * @return the whole file
         * @throws SrException {@code IO_ERROR} when it cannot be read
         */
        byte[] read(String path);
    }

    private TfjsImporter() {}

    /**
     * Reads {@code model.json} and the shards beside it (the manifest's paths are resolved against its
     * folder; ones that leave the folder are refused with {@code INVALID_MODEL}).
     *
     * @param modelJson the {@code model.json} file
     * @return a new graph, owned by the caller
     * @throws SrException {@code IO_ERROR} for a missing or unreadable file, {@code INVALID_MODEL} for a
     *     malformed model, {@code UNSUPPORTED_OP} for a layer srengine cannot translate
     */
    public static Graph read(Path modelJson) {
        String text;
        try {
            text = Files.readString(modelJson, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "model file not found: " + modelJson, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + modelJson + ": " + e.getMessage(), e);
        }
        Path dir = modelJson.toAbsolutePath().getParent();
        return read(text, path -> readShard(dir, path, modelJson), modelJson.toString());
    }

    /**
     * Reads a model from the text of its {@code model.json}.
     *
     * @param modelJson the text of {@code model.json}
     * @param shards reads each weight file the manifest names
     * @param source how to name the model in messages
     * @return a new graph, owned by the caller
     * @throws SrException {@code INVALID_MODEL} for a malformed model, {@code UNSUPPORTED_OP} for a model
     *     that is not a layers model or a layer srengine cannot translate, and whatever {@code shards}
     *     throws
     */
    public static Graph read(String modelJson, ShardReader shards, String source) {
        Cfg root = Cfg.of(Json.parse(modelJson, source), source);
        String format = root.str("format", "layers-model");
        if (!format.equals("layers-model")) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + " is a TF.js '" + format
                    + "'; only layers models (a Keras topology) can be imported");
        }
        Cfg topology = root.obj("modelTopology");
        Cfg model = topology.has("model_config") ? topology.obj("model_config") : topology;
        Map<String, TfjsWeights.Weight> weights = root.has("weightsManifest")
                ? TfjsWeights.read(root.list("weightsManifest"), shards, source)
                : Map.of();
        String cls = model.str("class_name");
        Cfg config = model.obj("config");
        Graph graph = new Graph(config.str("name", ""), OPSET);
        graph.metadata().put(ModelMetadata.CONVERTED_FROM, "TF.js " + format + " (" + root.str("generatedBy", "unknown generator")
                + ", " + root.str("convertedBy", "unknown converter") + ")");
        KerasLayers layers = new KerasLayers(graph, weights, source);
        switch (cls) {
            case "Functional", "Model" -> functional(config, layers, graph, source);
            case "Sequential" -> sequential(config, layers, graph, source);
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": model class '" + cls
                    + "' is not supported (Functional, Model or Sequential)");
        }
        layers.finish();
        graph.sortTopologically();
        graph.validateReferences();
        return graph;
    }

    private static void functional(Cfg config, KerasLayers layers, Graph graph, String source) {
        for (Object o : config.list("layers")) {
            Cfg layer = Cfg.of(o, "a layer of " + source);
            String name = layer.str("name");
            String cls = layer.str("class_name");
            Cfg lc = layer.obj("config");
            if (cls.equals("InputLayer")) {
                layers.input(name, lc);
                continue;
            }
            List<Object> inbound = layer.list("inbound_nodes");
            for (int k = 0; k < inbound.size(); k++) {
                List<String> inputs = new ArrayList<>();
                for (Object t : Cfg.asList(inbound.get(k), "inbound node " + k + " of layer '" + name + "'")) {
                    inputs.add(tensorRef(t, "inbound node " + k + " of layer '" + name + "' in " + source));
                }
                layers.convert(cls, name, lc, inputs, valueName(name, k, 0));
            }
        }
        for (Object o : config.list("input_layers")) {
            // Every InputLayer became a graph input already; this only checks the list is well-formed.
            tensorRef(o, "input_layers of " + source);
        }
        for (Object o : config.list("output_layers")) {
            String ref = tensorRef(o, "output_layers of " + source);
            layers.output(ref);
        }
        if (graph.outputs().isEmpty()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " declares no output layers");
        }
    }

    private static void sequential(Cfg config, KerasLayers layers, Graph graph, String source) {
        List<Object> list = config.list("layers");
        String current = null;
        for (int i = 0; i < list.size(); i++) {
            Cfg layer = Cfg.of(list.get(i), "layer " + i + " of " + source);
            String cls = layer.str("class_name");
            Cfg lc = layer.obj("config");
            String name = lc.str("name", "layer_" + i);
            if (cls.equals("InputLayer")) {
                layers.input(name, lc);
                current = name;
                continue;
            }
            if (current == null) {
                // A Sequential model may declare its input shape on the first real layer instead.
                layers.input("input", lc);
                current = "input";
            }
            layers.convert(cls, name, lc, List.of(current), name);
            current = name;
        }
        if (current == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": the Sequential model has no layers");
        }
        layers.output(current);
    }

    /** The graph value a Keras tensor reference {@code [layer, node, tensor, kwargs]} names. */
    private static String tensorRef(Object ref, String context) {
        List<Object> r = Cfg.asList(ref, context);
        if (r.size() < 3 || !(r.get(0) instanceof String layer)) {
            throw new SrException(ErrorCode.INVALID_MODEL, context + ": a tensor reference should be"
                    + " [layer, node_index, tensor_index, ...] but is " + r);
        }
        int node = Cfg.toInt(r.get(1), context);
        int tensor = Cfg.toInt(r.get(2), context);
        if (tensor != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, context + " reads output " + tensor + " of layer '"
                    + layer + "'; only single-output layers are supported");
        }
        return valueName(layer, node, tensor);
    }

    /** A layer's first call keeps the layer's name; later calls of a shared layer get a suffix. */
    private static String valueName(String layer, int node, int tensor) {
        return node == 0 && tensor == 0 ? layer : layer + ":" + node + ":" + tensor;
    }

    private static byte[] readShard(Path dir, String name, Path modelJson) {
        Path p = dir.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !p.startsWith(dir)) {
            throw new SrException(ErrorCode.INVALID_MODEL, modelJson + " names weight file '" + name
                    + "' outside its own directory");
        }
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "weight file " + p + " named by " + modelJson + " is missing", e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read weight file " + p + ": " + e.getMessage(), e);
        }
    }
}
