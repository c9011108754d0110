package io.srengine.cpu;

import io.srengine.SessionOptions;
import io.srengine.spi.Backend;
import io.srengine.spi.BackendProvider;
import java.util.Optional;

/**
 * Registers the {@link CpuBackend}: the default wherever the Vector API is usable (priority 100,
 * above the reference backend's 0 and below a GPU backend's). When it is not (the JVM was started
 * without {@code --add-modules jdk.incubator.vector}, or the CPU offers no 128-bit vectors, or
 * {@code -Dsrengine.cpu.vectorBits} names an unsupported width), {@link #unavailableReason()} says
 * why and selection falls back to the reference backend, logging the reason.
 */
public final class CpuBackendProvider implements BackendProvider {
    /** The backend's name, as {@code SessionOptions.backend} and {@code -Dsrengine.backend} take it. */
    public static final String NAME = "cpu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return VectorSupport.unavailableReason();
    }

    @Override
    public Backend create(SessionOptions options) {
        return new CpuBackend(options);
    }
}
