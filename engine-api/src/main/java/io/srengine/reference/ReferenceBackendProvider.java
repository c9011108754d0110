package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.SrException;
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
        if (options.precision() != Precision.FP32) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the reference backend computes in FP32 only, not "
                    + options.precision());
        }
        return new ReferenceBackend();
    }
}
