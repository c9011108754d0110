package io.srengine.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import io.srengine.spi.BackendProvider;
import io.srengine.spi.Backends;
import io.srengine.testing.GraphBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the tensorrt backend reports itself, and that it is chosen only when named. */
class TensorRtAvailabilityTest {
    @Test
    void isInstalledWithTheLowestPriority() {
        BackendProvider trt = Backends.providers().stream().filter(p -> p.name().equals("tensorrt")).findFirst().orElseThrow();
        assertTrue(trt.priority() < 0, "below the reference backend's 0");
        assertEquals("tensorrt", Backends.providers().getLast().name());
    }

    @Test
    void isNeverChosenAutomatically() {
        assertNotEquals("tensorrt", Backends.select(null).name());
    }

    @Test
    void unavailableHasAReasonAndNamingItFailsWithIt() {
        Optional<String> why = Backends.unavailableReason(
                Backends.providers().stream().filter(p -> p.name().equals("tensorrt")).findFirst().orElseThrow());
        System.out.println("tensorrt backend here: " + why.orElse("available"));
        if (why.isPresent()) {
            assertFalse(why.get().isBlank());
            assertTrue(why.get().contains("libnvinfer.so.11") || why.get().contains("GPU"), why.get());
            SrException e = assertThrows(SrException.class, () -> Backends.select("tensorrt"));
            assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(why.get()), e.getMessage());
        }
    }

    @Test
    void aMissingLibraryIsNamed() {
        String why = TensorRtProbe.libraryProblem("libsrengine-no-such-library.so.11");
        assertTrue(why.startsWith("TensorRT not found: libsrengine-no-such-library.so.11 cannot be loaded"), why);
        assertNull(TensorRtProbe.libraryProblem("libc.so.6"), "a library every Linux has loads");
    }

    @Test
    void versionsAndLoadFailuresAreSpelledOut() {
        assertEquals("11.2.1", TensorRtProbe.versionString(110201));
        assertNull(TensorRtProbe.majorMismatch(110201));
        assertTrue(TensorRtProbe.majorMismatch(100903).contains("TensorRT 10.9.3 is installed"));
        assertEquals("TensorRT not found: libnvinfer.so.11 cannot be loaded", TensorRtProbe.explainLoadFailure(
                new UnsatisfiedLinkError("libjnivinfer.so: libnvinfer.so.11: cannot open shared object file")));
        assertEquals("TensorRT's ONNX parser not found: libnvonnxparser.so.11 cannot be loaded", TensorRtProbe.explainLoadFailure(
                new UnsatisfiedLinkError("libjninvonnxparser.so: libnvonnxparser.so.11: cannot open shared object file")));
        assertTrue(TensorRtProbe.explainLoadFailure(new UnsatisfiedLinkError("no jnicudart"
                + " / libcuda.so.1: cannot open shared object file")).contains("no GPU"));
    }

    @Test
    void sessionPropertiesGiveTheShapeRange() {
        GraphBuilder b = new GraphBuilder("g", 13);
        b.output(b.op("Relu", b.input("x", "N", 1, "H", "W")));
        Graph g = b.build();
        assertEquals(ShapeRange.defaults(1), TensorRtBackend.shapeRange(Map.of(), g));
        ShapeRange r = TensorRtBackend.shapeRange(Map.of("tensorrt.min-shape", "1,1,8,8", "tensorrt.opt-shape", "1,1,64,64",
                "tensorrt.max-shape", "1,1,128,96"), g);
        assertEquals(96, r.max()[3]);
        SrException e = assertThrows(SrException.class, () -> TensorRtBackend.shapeRange(Map.of("tensorrt.min-shape", "1,1,8,8"), g));
        assertTrue(e.getMessage().contains("or none"), e.getMessage());
    }

    @Test
    void aPlanForAnotherModelIsRefusedByName() {
        GraphBuilder b = new GraphBuilder("g", 13);
        b.output(b.op("Relu", b.input("x", "N", 3, "H", "W")));
        SrException e = assertThrows(SrException.class, () -> TensorRtBackend.checkNames(b.build(), PlanFileTest.header(), "m.plan"));
        assertTrue(e.getMessage().contains("built for a model with input 'input'") && e.getMessage().contains("[x]"), e.getMessage());
    }
}
