package io.srengine.spi;

import io.srengine.graph.Graph;
import java.util.Map;

/**
 * One backend instance, owned by one {@link io.srengine.Session}. It compiles prepared graphs
 * (validated, shape-inferred and rewritten; see {@link io.srengine.Model}) into runnable models.
 * Closing it releases every native or device resource it holds; {@code close()} is idempotent.
 */
public interface Backend extends AutoCloseable {
    /**
     * The backend's name, the same as its provider's.
     *
     * @return e.g. {@code "cpu"}
     */
    String name();

    /**
     * The nodes of {@code graph} this backend cannot run, by node name, each with the reason; empty
     * when it runs them all. The graph's value types may be symbolic. {@link io.srengine.Model}
     * asks this before {@link #compile} and fails with {@code UNSUPPORTED_OP} listing the answer.
     *
     * @param graph a prepared graph, the model's own: implementations must not modify it
     * @return node name to reason; empty by default (the backend claims every node)
     */
    default Map<String, String> unsupportedNodes(Graph graph) {
        return Map.of();
    }

    /**
     * Compiles a prepared graph. The backend may keep per-input-shape state inside the result.
     *
     * @param graph a prepared graph, which the backend may keep and modify (callers pass a copy)
     * @return the runnable model, closed by its session before this backend
     * @throws io.srengine.SrException {@code UNSUPPORTED_OP} for a node it cannot run, {@code
     *     BACKEND_ERROR} when native compilation fails
     */
    CompiledModel compile(Graph graph);

    /** Releases the backend's native and device resources; idempotent. */
    @Override
    void close();
}
