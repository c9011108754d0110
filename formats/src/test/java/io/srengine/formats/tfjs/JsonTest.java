package io.srengine.formats.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesTheValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"y\\u00e9\\n\"}, \"d\": []} ", "t");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(Arrays.asList(1.0, -2500.0, true, false, null), m.get("a"));
        assertEquals("x\"y\u00e9\n", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(List.of(), m.get("d"));
        assertEquals(List.of("a", "b", "d"), List.copyOf(m.keySet()), "keys keep file order");
        assertNull(Json.parse("null", "t"));
    }

    @Test
    void errorsNameTheSourceAndOffset() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\q\"", "1 2", "[1e]", "{\"a\":1,}"}) {
            SrException e = assertThrows(SrException.class, () -> Json.parse(bad, "model.json"), bad);
            assertEquals(ErrorCode.INVALID_MODEL, e.code());
            assertTrue(e.getMessage().startsWith("model.json is not valid JSON") && e.getMessage().contains("offset"),
                    e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        String deep = "[".repeat(100_000);
        SrException e = assertThrows(SrException.class, () -> Json.parse(deep, "deep.json"));
        assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    }
}
