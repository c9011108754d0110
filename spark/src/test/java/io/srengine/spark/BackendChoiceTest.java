package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.srengine.SessionOptions;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class BackendChoiceTest {
    static final Map<String, ResourceInformation> GPU1 = Map.of("gpu", new ResourceInformation("gpu", new String[] {"1"}));

    @Test
    void aTaskWithASparkGpuRunsCudaOnThatDevice() {
        SessionOptions o = BackendChoice.choose("auto", GPU1, 2);
        assertEquals("cuda", o.backend());
        assertEquals("1", o.properties().get("cuda.device"));
        assertEquals(2, o.threads());
        assertEquals("1", BackendChoice.deviceOf(o));
    }

    @Test
    void withoutOneItRunsOnTheCpuWithTheTasksCores() {
        // The test JVM enables the Vector API, so the cpu backend is there.
        SessionOptions o = BackendChoice.choose("auto", Map.of(), 1);
        assertEquals("cpu", o.backend());
        assertEquals(1, o.threads());
        assertFalse(o.properties().containsKey("cuda.device"));
    }

    @Test
    void aNamedBackendIsKeptAndGetsTheAssignedDevice() {
        assertEquals("reference", BackendChoice.choose("reference", Map.of(), 1).backend());
        SessionOptions cuda = BackendChoice.choose("cuda", Map.of(), 3);
        assertEquals("cuda", cuda.backend());
        assertEquals("", BackendChoice.deviceOf(cuda));
        assertEquals("1", BackendChoice.choose("cuda", GPU1, 1).properties().get("cuda.device"));
        assertEquals(1, BackendChoice.choose("cpu", Map.of(), 0).threads(), "at least one thread");
    }
}
