package io.srengine.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void referenceIsInstalledAndAvailable() {
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("reference")));
        assertEquals(Optional.empty(), Backends.availability().get("reference"));
    }

    @Test
    void selectByName() {
        assertEquals("reference", Backends.select("reference").name());
        assertEquals("reference", Backends.select("REFERENCE").name());
    }

    @Test
    void unknownNameListsInstalledBackends() {
        SrException e = assertThrows(SrException.class, () -> Backends.select("tpu"));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void propertyForcesBackendAndCallerWins() {
        System.setProperty(Backends.PROPERTY, "no-such-backend");
        SrException e = assertThrows(SrException.class, () -> Backends.select(null));
        assertTrue(e.getMessage().contains("system property"), e.getMessage());
        assertEquals("reference", Backends.select("reference").name());
        System.setProperty(Backends.PROPERTY, "auto");
        Backends.select(null);
    }

    @Test
    void automaticSelectionPicksHighestAvailablePriority() {
        BackendProvider chosen = Backends.select(null);
        for (BackendProvider p : Backends.providers()) {
            if (p.priority() > chosen.priority()) {
                assertTrue(Backends.unavailableReason(p).isPresent(), p.name() + " outranks " + chosen.name());
            }
        }
    }
}
