package io.srengine.spi;

import io.srengine.graph.Graph;
import java.util.Map;

/**
 * One backend instance, owned by one {@link io.srengine.Session}. It compiles prepared graphs
 * (validated, shape-inferred and rewritten; see {@link io.srengine.Model}) into runnable models.
 * Closing it releases every native or device resource it holds; {@code close()} is idempotent.
 */
public interface Backend extends AutoCloseable {
    String name();

    /**
     * The nodes of {@code graph} this backend cannot run, by node name, each with the reason; empty
     * when it runs them all. The graph's value types may be symbolic.
     */
    default Map<String, String> unsupportedNodes(Graph graph) {
        return Map.of();
    }

    /** Compiles a prepared graph. The backend may keep per-input-shape state inside the result. */
    CompiledModel compile(Graph graph);

    @Override
    void close();
}
