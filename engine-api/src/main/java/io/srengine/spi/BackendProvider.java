package io.srengine.spi;

import io.srengine.SessionOptions;
import java.util.Optional;

/**
 * A backend implementation, found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.srengine.spi.BackendProvider}). Providers must be cheap to construct.
 */
public interface BackendProvider {
    /** Short unique name, e.g. {@code "reference"}, {@code "cpu"}, {@code "cuda"}. */
    String name();

    /** Higher wins when no backend is named; the reference backend has priority 0. */
    int priority();

    /**
     * Empty when the backend can run here; otherwise why not (no GPU, no driver, native library
     * missing, Vector API not enabled). Must not change any state visible to others; providers
     * should probe once and remember the answer.
     */
    Optional<String> unavailableReason();

    /** Creates a backend instance; called only when {@link #unavailableReason()} is empty. */
    Backend create(SessionOptions options);
}
