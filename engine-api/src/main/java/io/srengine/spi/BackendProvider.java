package io.srengine.spi;

import io.srengine.SessionOptions;
import java.util.Optional;

/**
 * A backend implementation, found through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.srengine.spi.BackendProvider}). Providers must be cheap to construct.
 */
public interface BackendProvider {
    /**
     * Short unique name, lower case, as users select it.
     *
     * @return e.g. {@code "reference"}, {@code "cpu"}, {@code "cuda"}
     */
    String name();

    /**
     * Rank among available backends when none is named.
     *
     * @return the priority; higher wins, and the reference backend has 0
     */
    int priority();

    /**
     * Empty when the backend can run here; otherwise why not (no GPU, no driver, native library
     * missing, Vector API not enabled). Must not change any state visible to others; providers
     * should probe once and remember the answer.
     *
     * @return empty when available, else the reason in words
     */
    Optional<String> unavailableReason();

    /**
     * Creates a backend instance; called only when {@link #unavailableReason()} is empty.
     *
     * @param options the session's options (threads, precision, backend properties)
     * @return a new backend, owned and closed by the caller
     * @throws io.srengine.SrException {@code INVALID_ARGUMENT} for options this backend does not
     *     support, {@code BACKEND_UNAVAILABLE} or {@code BACKEND_ERROR} when it cannot start
     */
    Backend create(SessionOptions options);
}
