package io.srengine.reference;

import io.srengine.SessionOptions;
import io.srengine.spi.Backend;
import io.srengine.spi.BackendProvider;
import java.util.Optional;

/** Registers the {@link ReferenceBackend}: always available, lowest priority. */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Backend create(SessionOptions options) {
        return new ReferenceBackend();
    }
}
