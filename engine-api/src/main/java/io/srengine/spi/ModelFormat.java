package io.srengine.spi;

import io.srengine.graph.Graph;
import java.nio.file.Path;

/**
 * A model file format other than ONNX (ncnn, PyTorch checkpoints, TensorFlow.js, ...), found through
 * {@link java.util.ServiceLoader} (list the class in {@code META-INF/services/io.srengine.spi.ModelFormat}).
 * {@link io.srengine.Model#load(Path)} asks every installed format whether it recognises a file and
 * reads it with the first that does; a file no format claims is read as ONNX. Implementations live
 * outside engine-api (module {@code formats}), so the engine itself stays free of them.
 *
 * <p>Implementations must be stateless and thread-safe. Files are untrusted: a reader never runs code
 * found in them and never allocates what a header merely claims before checking it against the file.
 */
public interface ModelFormat {
    /**
     * Short name for messages and listings.
     *
     * @return e.g. {@code "ncnn"}, {@code "pytorch"}
     */
    String name();

    /**
     * Whether this format claims the file. Decided from the content where the format has a signature
     * (e.g. a magic number in {@code head}) and from the file name otherwise; must not read more than
     * the given bytes nor throw.
     *
     * @param path the file (it exists and is a regular file)
     * @param head the first bytes of the file (up to 64; fewer for shorter files)
     * @return true when this format will read the file
     */
    boolean recognizes(Path path, byte[] head);

    /**
     * Reads the file into a graph that follows srengine's image-model convention (NCHW float32 in and
     * out), with the model's metadata ({@link io.srengine.ModelMetadata} keys) set on the graph.
     *
     * @param path a file this format recognised
     * @return a new graph, not yet validated (the caller prepares it)
     * @throws io.srengine.SrException {@code INVALID_MODEL} for a damaged or hostile file, naming the
     *     problem; {@code UNSUPPORTED_OP} for content this reader cannot express; {@code IO_ERROR} when
     *     the file or a companion file cannot be read
     */
    Graph read(Path path);
}
