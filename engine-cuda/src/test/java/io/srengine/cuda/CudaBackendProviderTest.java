package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.spi.BackendProvider;
import io.srengine.spi.Backends;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CudaBackendProviderTest {
    @Test
    void isRegisteredAboveTheCpuBackends() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(200, p.priority());
        assertTrue(p instanceof CudaBackendProvider);
    }

    @Test
    void availabilityIsADeviceOrAReason() {
        Optional<String> why = new CudaBackendProvider().unavailableReason();
        CudaProbe.Result r = CudaProbe.probe();
        assertEquals(r.device() == null, why.isPresent());
        if (why.isPresent()) {
            assertFalse(why.get().isBlank());
            SrException e = assertThrows(SrException.class, () -> Backends.select("cuda"));
            assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(why.get()), e.getMessage());
        } else {
            assertTrue(r.device().major() >= CudaDevice.MIN_MAJOR);
        }
    }

    @Test
    void theProbeIsRememberedNotRepeated() {
        assertTrue(CudaProbe.probe() == CudaProbe.probe());
    }
}
