package io.srengine.cuda;

import io.srengine.SessionOptions;
import io.srengine.spi.Backend;
import io.srengine.spi.BackendProvider;
import java.util.Optional;

/**
 * Registers the {@link CudaBackend} under the name {@value CudaBackend#NAME} with priority 200 (above
 * the CPU backends). Available when the JavaCPP CUDA bindings load, a driver and a device of compute
 * capability 8.0 or newer are present; {@link #unavailableReason()} says which of these is missing.
 * The probe runs once per JVM and creates no context.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final int PRIORITY = 200;

    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason() {
        return CudaProbe.probe().unavailableReason();
    }

    @Override
    public Backend create(SessionOptions options) {
        return new CudaBackend(options);
    }
}
