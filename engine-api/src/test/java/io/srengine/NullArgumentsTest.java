package io.srengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.testing.GraphBuilder;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public entry point of the engine rejects a null argument with INVALID_ARGUMENT naming it. */
class NullArgumentsTest {
    private static Model identity() {
        GraphBuilder b = new GraphBuilder("relu", 13);
        b.output(b.op("Relu", b.input("x", 1, 3, 2, 2)));
        return Model.fromGraph(b.build(), true);
    }

    static Stream<Arguments> calls() {
        Supplier<Session> session = () -> identity().newSession(SessionOptions.builder().backend("reference").build());
        return Stream.of(
                Arguments.of("model path", (Executable) () -> Model.load((Path) null)),
                Arguments.of("model bytes", (Executable) () -> Model.load((byte[]) null)),
                Arguments.of("model stream", (Executable) () -> Model.load((InputStream) null)),
                Arguments.of("graph", (Executable) () -> Model.fromGraph(null, true)),
                Arguments.of("session options", (Executable) () -> identity().newSession(null)),
                Arguments.of("precision", (Executable) () -> identity().toOnnx(null)),
                Arguments.of("input tensor", (Executable) () -> {
                    try (Session s = session.get()) {
                        s.run((Tensor) null);
                    }
                }),
                Arguments.of("inputs", (Executable) () -> {
                    try (Session s = session.get()) {
                        s.run((Map<String, Tensor>) null);
                    }
                }),
                Arguments.of("an input name", (Executable) () -> {
                    Map<String, Tensor> in = new HashMap<>();
                    in.put(null, Tensor.zeros(1, 3, 2, 2));
                    try (Session s = session.get()) {
                        s.run(in);
                    }
                }),
                Arguments.of("data", (Executable) () -> Tensor.of(null, 1)),
                Arguments.of("data", (Executable) () -> Tensor.ofLongs(null, 1)),
                Arguments.of("data", (Executable) () -> Tensor.ofInts(null, 1)),
                Arguments.of("data", (Executable) () -> Tensor.ofDoubles(null, 1)),
                Arguments.of("data", (Executable) () -> Tensor.ofShorts(DataType.FLOAT16, null, 1)),
                Arguments.of("data", (Executable) () -> Tensor.ofBytes(DataType.UINT8, null, 1)),
                Arguments.of("type", (Executable) () -> Tensor.ofBytes(null, new byte[1], 1)),
                Arguments.of("type", (Executable) () -> Tensor.allocate(null, 1)),
                Arguments.of("type", (Executable) () -> Tensor.zeros(1).to(null)),
                Arguments.of("shape", (Executable) () -> Tensor.of(new float[1], (int[]) null)),
                Arguments.of("shape", (Executable) () -> Tensor.zeros((int[]) null)),
                Arguments.of("shape", (Executable) () -> Tensor.zeros(1).reshape((int[]) null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void nullIsRefusedByName(String name, Executable call) {
        SrException e = assertThrows(SrException.class, call);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.toString());
        assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
    }

    @Test
    void requireArgumentPassesValuesThrough() {
        assertEquals("x", SrException.requireArgument("x", "name"));
    }
}
