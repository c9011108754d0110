package io.srengine.onnx;

import static io.srengine.onnx.OnnxProtos.node;
import static io.srengine.onnx.OnnxProtos.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.onnx.OnnxTestCase.Comparison;
import io.srengine.onnx.OnnxTestCase.Result;
import io.srengine.onnx.OnnxTestCase.Status;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend-test harness. The cases here use no operators at all (graph outputs that are graph
 * inputs), so they exercise loading, feeding, comparing and reporting whatever ops exist.
 */
class OnnxTestCaseTest {
    private static final double RTOL = OnnxTestCase.DEFAULT_RTOL;
    private static final double ATOL = OnnxTestCase.DEFAULT_ATOL;

    @TempDir
    Path dir;

    private static Comparison cmp(float[] expected, float[] actual) {
        return OnnxTestCase.compare(Tensor.of(expected, expected.length), Tensor.of(actual, actual.length), RTOL, ATOL);
    }

    @Test
    void comparisonUsesAtolPlusRtolTimesExpected() {
        Comparison same = cmp(new float[] {1, -2, 0}, new float[] {1, -2, 0});
        assertTrue(same.matches());
        assertEquals(0, same.maxAbsError());
        // 1e-3 relative to 100 is 0.1: 100.09 passes, 100.2 does not.
        assertTrue(cmp(new float[] {100}, new float[] {100.09f}).matches());
        Comparison off = cmp(new float[] {0, 100, 5}, new float[] {0, 100.2f, 5.5f});
        assertFalse(off.matches());
        assertEquals(0.5, off.maxAbsError(), 1e-6);
        assertTrue(off.message().contains("2 of 3 elements differ") && off.message().contains("[1]"), off.message());
        // Near zero only atol is left: 1e-7.
        assertTrue(cmp(new float[] {0}, new float[] {5e-8f}).matches());
        assertFalse(cmp(new float[] {0}, new float[] {1e-6f}).matches());
    }

    @Test
    void nanMatchesNanAndInfinitiesMatchThemselves() {
        assertTrue(cmp(new float[] {Float.NaN}, new float[] {Float.NaN}).matches());
        Comparison nan = cmp(new float[] {1}, new float[] {Float.NaN});
        assertFalse(nan.matches());
        assertEquals(Double.POSITIVE_INFINITY, nan.maxAbsError());
        assertFalse(cmp(new float[] {Float.NaN}, new float[] {1}).matches());
        assertTrue(cmp(new float[] {Float.POSITIVE_INFINITY}, new float[] {Float.POSITIVE_INFINITY}).matches());
        assertFalse(cmp(new float[] {Float.POSITIVE_INFINITY}, new float[] {Float.NEGATIVE_INFINITY}).matches());
        assertFalse(cmp(new float[] {1e38f}, new float[] {Float.POSITIVE_INFINITY}).matches());
    }

    @Test
    void integersMustBeExactAndTypesAndShapesMustAgree() {
        Tensor e = Tensor.ofLongs(new long[] {1000, 7}, 2);
        Comparison c = OnnxTestCase.compare(e, Tensor.ofLongs(new long[] {1001, 7}, 2), 0.5, 10);
        assertFalse(c.matches(), "integer results have no tolerance");
        assertEquals(1, c.maxAbsError());
        assertTrue(c.message().contains("exact"), c.message());
        assertFalse(OnnxTestCase.compare(e, Tensor.ofInts(new int[] {1000, 7}, 2), RTOL, ATOL).matches());
        Comparison shape = OnnxTestCase.compare(e, Tensor.ofLongs(new long[] {1000, 7}, 1, 2), RTOL, ATOL);
        assertFalse(shape.matches());
        assertTrue(shape.message().contains("[1, 2]"), shape.message());
        assertFalse(OnnxTestCase.compare(e, null, RTOL, ATOL).matches());
        Tensor h = Tensor.of(new float[] {1.5f, -2}, 2).to(DataType.FLOAT16);
        assertTrue(OnnxTestCase.compare(h, h.copy(), RTOL, ATOL).matches());
    }

    // ---- whole cases -------------------------------------------------------------------------------

    /** A case whose model returns its input {@code x} as output {@code x}, with old-IR initializer-input {@code w}. */
    private Path passthroughCase(String name) throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name)
                .addInput(value("w", DataType.FLOAT32, 2))
                .addInput(value("x", DataType.FLOAT32, 2, 3))
                .addOutput(value("x", DataType.FLOAT32, 2, 3))
                .addInitializer(OnnxTensors.toProto("w", Tensor.zeros(2)));
        return writeCase(name, OnnxProtos.bytes(13, g));
    }

    private Path writeCase(String name, byte[] model) throws Exception {
        Path c = Files.createDirectories(dir.resolve(name));
        Files.write(c.resolve("model.onnx"), model);
        return c;
    }

    private static void writeSet(Path c, int index, Tensor in, Tensor out) throws Exception {
        Path set = Files.createDirectories(c.resolve("test_data_set_" + index));
        OnnxTensors.writeFile(set.resolve("input_0.pb"), "x", in);
        OnnxTensors.writeFile(set.resolve("output_0.pb"), "x", out);
    }

    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void aMatchingCasePasses() throws Exception {
        Path c = passthroughCase("test_pass");
        writeSet(c, 0, X, X);
        writeSet(c, 1, X, X);
        Result r = OnnxTestCase.open(c).run("reference");
        assertEquals(Status.PASS, r.status(), r.message());
        assertEquals("test_pass", r.name());
        assertEquals(0, r.maxAbsError());
        assertTrue(r.message().contains("2 data set(s)"), r.message());
        assertTrue(r.summaryLine().startsWith("PASS test_pass"), r.summaryLine());
    }

    @Test
    void aDifferingOutputFailsNamingTheDataSetAndOutput() throws Exception {
        Path c = passthroughCase("test_fail");
        writeSet(c, 0, X, X);
        Tensor wrong = Tensor.of(new float[] {1, 2, 3, 4, 5, 7}, 2, 3);
        writeSet(c, 2, X, wrong);
        Result r = OnnxTestCase.open(c).run("reference");
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("test_data_set_2") && r.message().contains("'x'")
                && r.message().contains("[1, 2]"), r.message());
        assertEquals(1, r.maxAbsError(), 1e-9);
    }

    @Test
    void unsupportedOpsSkipWithTheOpInTheReason() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", DataType.FLOAT32, 2))
                .addOutput(value("y", DataType.FLOAT32, 2))
                .addNode(node("a", "NoSuchOperator", List.of("x"), List.of("t")))
                .addNode(node("b", "Other", List.of("t"), List.of("y")).toBuilder().setDomain("org.example").build());
        Path c = writeCase("test_skip", OnnxProtos.bytes(13, g));
        writeSet(c, 0, X, X);
        Result r = OnnxTestCase.open(c).run("reference");
        assertEquals(Status.SKIP, r.status(), r.message());
        assertTrue(r.message().contains("NoSuchOperator") && r.message().contains("org.example.Other"), r.message());
        assertTrue(r.error() instanceof SrException s && s.code() == ErrorCode.UNSUPPORTED_OP);
    }

    @Test
    void dataOfATypeSrengineLacksSkips() throws Exception {
        Path c = passthroughCase("test_strings");
        Path set = Files.createDirectories(c.resolve("test_data_set_0"));
        TensorProto s = TensorProto.newBuilder().setName("x").setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("a")).build();
        Files.write(set.resolve("input_0.pb"), s.toByteArray());
        OnnxTensors.writeFile(set.resolve("output_0.pb"), "x", X);
        Result r = OnnxTestCase.open(c).run("reference");
        assertEquals(Status.SKIP, r.status(), r.message());
        assertTrue(r.message().contains("STRING"), r.message());
    }

    @Test
    void brokenCasesFail() throws Exception {
        Path noData = passthroughCase("test_no_data");
        assertEquals(Status.FAIL, OnnxTestCase.open(noData).run("reference").status());

        Path badModel = writeCase("test_bad_model", new byte[] {8, 7, 0x3a, 100, 1});
        writeSet(badModel, 0, X, X);
        Result r = OnnxTestCase.open(badModel).run("reference");
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("INVALID_MODEL"), r.message());

        Path tooMany = passthroughCase("test_too_many_inputs");
        writeSet(tooMany, 0, X, X);
        OnnxTensors.writeFile(tooMany.resolve("test_data_set_0/input_1.pb"), "z", X);
        r = OnnxTestCase.open(tooMany).run("reference");
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.message().contains("2 input files"), r.message());

        assertEquals(ErrorCode.IO_ERROR, assertThrows(SrException.class, () -> OnnxTestCase.open(dir)).code());
    }

    @Test
    void aBackendThatCannotRunSkips() throws Exception {
        Path c = passthroughCase("test_backend");
        writeSet(c, 0, X, X);
        Result r = OnnxTestCase.open(c).run("no-such-backend");
        assertEquals(Status.SKIP, r.status());
        assertTrue(r.message().contains("no-such-backend"), r.message());
    }

    @Test
    void findsCaseDirectoriesInOrder() throws Exception {
        passthroughCase("test_b");
        passthroughCase("test_a");
        Files.createDirectories(dir.resolve("not_a_case"));
        List<String> names = OnnxTestCase.findCases(dir).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("test_a", "test_b"), names);
    }
}
