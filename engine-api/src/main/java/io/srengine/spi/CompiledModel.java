package io.srengine.spi;

import io.srengine.Tensor;
import java.util.Map;

/**
 * A graph compiled by a backend. {@link #run} receives validated float32 inputs keyed by graph input
 * name and returns every graph output by name. Called by one thread at a time (the owning session
 * serialises calls). {@code close()} is idempotent.
 */
public interface CompiledModel extends AutoCloseable {
    /**
     * Runs the graph once.
     *
     * @param inputs one tensor per graph input, keyed by input name in graph order, already checked
     *     against the inputs' types and shapes
     * @return every graph output by name, in graph order
     * @throws io.srengine.SrException {@code BACKEND_ERROR} when the backend fails while running,
     *     {@code INVALID_SHAPE} or {@code TENSOR_TOO_LARGE} when these input sizes do not compute
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /** Releases what compilation and runs allocated; idempotent. */
    @Override
    void close();
}
