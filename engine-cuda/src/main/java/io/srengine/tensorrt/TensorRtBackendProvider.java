package io.srengine.tensorrt;

import io.srengine.SessionOptions;
import io.srengine.spi.Backend;
import io.srengine.spi.BackendProvider;
import java.util.Optional;

/**
 * Registers the {@link TensorRtBackend} under the name {@value TensorRtBackend#NAME} with priority
 * {@value #PRIORITY}, below the reference backend's 0, so that it is never chosen automatically: it
 * runs a prebuilt plan (or builds one first, which takes seconds to minutes and depends on a shape
 * range), and that is a decision for the caller to make by naming it ({@code --backend tensorrt},
 * {@code SessionOptions.backend("tensorrt")}, {@code srengine.backend=tensorrt}). Available when
 * libnvinfer.so.11 loads and a CUDA GPU is present; {@link #unavailableReason()} says which is missing.
 */
public final class TensorRtBackendProvider implements BackendProvider {
    /** The provider's priority: below every backend that may be chosen automatically. */
    public static final int PRIORITY = -100;

    /** Creates the provider, as {@link java.util.ServiceLoader} does; probes nothing. */
    public TensorRtBackendProvider() {}

    @Override
    public String name() {
        return TensorRtBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason() {
        return TensorRtProbe.probe().unavailableReason();
    }

    @Override
    public Backend create(SessionOptions options) {
        return new TensorRtBackend(options);
    }
}
