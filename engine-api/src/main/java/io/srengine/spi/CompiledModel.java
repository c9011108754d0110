package io.srengine.spi;

import io.srengine.Tensor;
import java.util.Map;

/**
 * A graph compiled by a backend. {@link #run} receives validated float32 inputs keyed by graph input
 * name and returns every graph output by name. Called by one thread at a time (the owning session
 * serialises calls). {@code close()} is idempotent.
 */
public interface CompiledModel extends AutoCloseable {
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    @Override
    void close();
}
