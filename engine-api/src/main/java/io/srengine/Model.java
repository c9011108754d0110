package io.srengine;

import io.srengine.graph.Graph;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxExporter;
import io.srengine.onnx.OnnxImporter;
import io.srengine.rewrite.GraphPreparer;
import io.srengine.spi.Backend;
import io.srengine.spi.BackendProvider;
import io.srengine.spi.Backends;
import io.srengine.spi.CompiledModel;
import io.srengine.spi.ModelFormat;
import io.srengine.spi.ModelFormats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded model: an ONNX graph that has been checked, typed and rewritten, ready to be compiled by
 * any backend. Immutable and safe to share between threads; create one {@link Session} per thread
 * that runs it (or share a session, whose runs are serialised).
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("espcn.onnx"));
 * try (Session session = model.newSession()) {
 *     Tensor hr = session.run(lr);            // NCHW float32
 * }
 * }</pre>
 */
public final class Model {
    /** The oldest opset {@link #toOnnx} writes. */
    public static final int EXPORT_MIN_OPSET = 13;

    private final Graph graph;
    private final String source;

    private Model(Graph prepared, String source) {
        this.graph = prepared;
        this.source = source;
    }

    /**
     * Loads a model file: ONNX (external-data files are looked up next to it), or any other format an
     * installed {@link ModelFormat} recognises from the file's content or name (module {@code formats}
     * adds ncnn, PyTorch checkpoints and TensorFlow.js).
     *
     * @throws SrException {@code IO_ERROR} if the file cannot be read, {@code INVALID_MODEL} if it is not
     *     a valid model, {@code UNSUPPORTED_OP} listing every op srengine lacks, {@code INVALID_GRAPH}
     *     or {@code INVALID_SHAPE} when the graph does not compute
     */
    public static Model load(Path path) {
        SrException.requireArgument(path, "model path");
        if (Files.isDirectory(path)) {
            throw new SrException(ErrorCode.IO_ERROR, "model path is a directory, not a file: " + path);
        }
        ModelFormat format = ModelFormats.find(path);
        if (format != null) {
            return fromGraph(format.read(path), path.toString(), true);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "model file not found: " + path, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read model file " + path + ": " + e.getMessage(), e);
        }
        Path dir = path.toAbsolutePath().getParent();
        return fromGraph(OnnxImporter.read(bytes, dir, path.toString()), path.toString(), true);
    }

    /** Loads an ONNX model from bytes (external data cannot be resolved). */
    public static Model load(byte[] bytes) {
        SrException.requireArgument(bytes, "model bytes");
        return fromGraph(OnnxImporter.read(bytes, null, "model bytes"), "model bytes", true);
    }

    /** Loads an ONNX model from a stream, read to its end but not closed. */
    public static Model load(InputStream in) {
        SrException.requireArgument(in, "model stream");
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read model stream: " + e.getMessage(), e);
        }
        return fromGraph(OnnxImporter.read(bytes, null, "model stream"), "model stream", true);
    }

    /**
     * A model from a graph built in code (the graph is copied).
     *
     * @param optimize whether to apply the optimising rewrites (BN folding, pixel-shuffle recognition,
     *     activation fusion); validation, shape inference and constant folding always run
     */
    public static Model fromGraph(Graph graph, boolean optimize) {
        SrException.requireArgument(graph, "graph");
        return fromGraph(graph.copy(), graph.name().isEmpty() ? "graph" : graph.name(), optimize);
    }

    private static Model fromGraph(Graph graph, String source, boolean optimize) {
        return new Model(GraphPreparer.prepare(graph, optimize), source);
    }

    /** Where the model came from, for messages: a path, "model bytes", ... */
    public String source() {
        return source;
    }

    /** The graph inputs with their declared (possibly symbolic) types. */
    public List<ValueInfo> inputs() {
        return List.copyOf(graph.inputs());
    }

    /** The graph outputs with their inferred (possibly symbolic) types. */
    public List<ValueInfo> outputs() {
        List<ValueInfo> out = new ArrayList<>();
        for (ValueInfo o : graph.outputs()) {
            io.srengine.graph.TensorType t = graph.typeOf(o.name());
            out.add(t == null ? o : new ValueInfo(o.name(), t));
        }
        return out;
    }

    /** The model's {@code metadata_props}. */
    public Map<String, String> metadata() {
        return Map.copyOf(graph.metadata());
    }

    /** A copy of the prepared graph. */
    public Graph graph() {
        return graph.copy();
    }

    /**
     * The prepared graph (after validation, constant folding and the optimising rewrites) as an ONNX
     * file: fused activations are written as nodes of their own, outputs carry their inferred types,
     * and symbolic dimensions stay symbolic. The file's opset is the model's or 13 if that is newer:
     * the prepared graph is in srengine's canonical (current) op forms, and older opsets cannot express
     * all of them (DepthToSpace's CRD mode, from pixel-shuffle recognition, needs opset 11). In {@link Precision#FP16} the weights and activations are
     * float16 and the graph is strongly typed, with float32 inputs and outputs (see
     * {@link OnnxExporter#toBytes(Graph, Precision)}).
     */
    public byte[] toOnnx(Precision precision) {
        SrException.requireArgument(precision, "precision");
        Graph g = graph.copy();
        g.setOpsetVersion(Math.max(g.opsetVersion(), EXPORT_MIN_OPSET));
        g.outputs().replaceAll(o -> {
            io.srengine.graph.TensorType t = graph.typeOf(o.name());
            return t == null ? o : new ValueInfo(o.name(), t);
        });
        return OnnxExporter.toBytes(g, precision);
    }

    /** A session on the best available backend. */
    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    /**
     * A session with the given options.
     *
     * @throws SrException {@code BACKEND_UNAVAILABLE} when the chosen backend cannot run here, {@code
     *     UNSUPPORTED_OP} when it cannot run some node of this model
     */
    public Session newSession(SessionOptions options) {
        SrException.requireArgument(options, "session options");
        BackendProvider provider = Backends.select(options.backend());
        Backend backend = provider.create(options);
        try {
            Map<String, String> unsupported = backend.unsupportedNodes(graph);
            if (!unsupported.isEmpty()) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "backend '" + backend.name()
                        + "' cannot run " + unsupported.size() + " node(s) of " + source + ": " + unsupported);
            }
            CompiledModel compiled = backend.compile(graph.copy());
            return new Session(this, backend, compiled);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The prepared graph itself, for sessions in this package. */
    Graph preparedGraph() {
        return graph;
    }
}
