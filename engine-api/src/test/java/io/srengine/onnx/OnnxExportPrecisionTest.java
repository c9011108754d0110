package io.srengine.onnx;

import static io.srengine.testing.Errors.relativeL2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import io.srengine.onnx.proto.Onnx.ValueInfoProto;
import io.srengine.testing.GraphBuilder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * ONNX export in FP32 and FP16: the file re-imports into srengine with the same outputs, and ONNX
 * Runtime (an outside reader) accepts it and computes the same outputs.
 *
 * <p>Bounds. FP32: relative L2 error at most 1e-5 against srengine's reference backend on the
 * original model (both sides compute in float32; they differ only in summation order). FP16: the
 * exported model keeps weights and every activation in float16 (11-bit significand, unit roundoff
 * 2^-11 ≈ 4.9e-4); srengine's reference backend runs each op in float32 and rounds its output to
 * float16, as a float16 GPU kernel with float32 accumulation does. A few layers of such rounding
 * give relative L2 errors of a few 1e-4 on these graphs; the bound is 1e-2 (20 unit roundoffs, room
 * for error growth through deeper networks) and the test fails above it.
 *
 * <p>ONNX Runtime 1.29's CPU provider runs the float16 files too (where it lacks a float16 kernel
 * it inserts casts around the node and computes in float32), so the FP16 export is checked against
 * ONNX Runtime as well: same bound against srengine's FP32 output. That shows ORT accepts the file's
 * types and means the same thing by it, not how ORT rounds.
 */
class OnnxExportPrecisionTest {
    static final double FP32_BOUND = 1e-5;
    static final double FP16_BOUND = 1e-2;

    /** Conv+Relu (fused by the rewrites), a residual Add, Clip, Resize with float scales, DepthToSpace. */
    static Model sampleModel() {
        GraphBuilder b = new GraphBuilder("sample", 13);
        String x = b.input("x", "N", 3, "H", "W");
        String c1 = b.op("Conv", List.of(x, b.random("w", 1, 0.5f, 8, 3, 3, 3), b.random("b", 2, 0.1f, 8)),
                Map.of("pads", new long[] {1, 1, 1, 1}));
        String r1 = b.op("Relu", c1);
        String c2 = b.op("Conv", List.of(r1, b.random("w", 3, 0.3f, 8, 8, 3, 3), b.random("b", 4, 0.1f, 8)),
                Map.of("pads", new long[] {1, 1, 1, 1}));
        String l = b.op("LeakyRelu", List.of(c2), Map.of("alpha", 0.2f));
        String sum = b.op("Add", l, r1);
        String up = b.op("Resize", List.of(sum, "", b.constant("scales", Tensor.of(new float[] {1, 1, 2, 2}, 4))),
                Map.of("mode", "nearest"));
        String c3 = b.op("Conv", List.of(up, b.random("w", 5, 0.3f, 12, 8, 3, 3)), Map.of("pads", new long[] {1, 1, 1, 1}));
        String d2s = b.op("DepthToSpace", List.of(c3), Map.of("blocksize", 2L, "mode", "CRD"));
        String y = b.op("Clip", List.of(d2s, b.constant("lo", Tensor.scalar(-1f)), b.constant("hi", Tensor.scalar(1f))));
        b.output(y);
        return Model.fromGraph(b.build(), true);
    }

    static Path fixture(String name) {
        return PytorchFixtures.root().resolve(name).resolve("model.onnx");
    }

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("sample", sampleModel()),
                Arguments.of("srvgg_x4", Model.load(fixture("srvgg_x4"))),
                Arguments.of("espcn_x3_opset9", Model.load(fixture("espcn_x3_opset9"))),
                Arguments.of("rrdbnet_x4", Model.load(fixture("rrdbnet_x4"))));
    }

    static Tensor input(long seed, int h, int w) {
        return GraphBuilder.randomTensor(seed, 1, 1, 3, h, w).reshape(1, 3, h, w);
    }

    static Tensor reference(Model m, Tensor in) {
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            return s.run(in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void fp32ExportReimportsAndRunsInOnnxRuntime(String name, Model model) throws OrtException {
        byte[] onnx = model.toOnnx(Precision.FP32);
        Tensor in = input(7, 13, 11);
        Tensor want = reference(model, in);
        Tensor again = reference(Model.load(onnx), in);
        assertTrue(relativeL2(again.floats(), want.floats()) <= FP32_BOUND, name + ": re-imported model differs");
        float[] ort = runOrt(onnx, in);
        double err = relativeL2(ort, want.floats());
        assertTrue(err <= FP32_BOUND, name + ": ONNX Runtime's output differs from srengine's: relative L2 " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void fp16ExportIsStronglyTypedAndCloseToFp32(String name, Model model) throws Exception {
        byte[] onnx = model.toOnnx(Precision.FP16);
        ModelProto p = ModelProto.parseFrom(onnx);
        assertTrue(p.getOpsetImport(0).getVersion() >= 13, name + ": opset " + p.getOpsetImport(0).getVersion());
        for (ValueInfoProto v : p.getGraph().getInputList()) {
            assertEquals(TensorProto.DataType.FLOAT_VALUE, v.getType().getTensorType().getElemType(), "input " + v.getName());
            // N, H and W stay dynamic; C is fixed.
            var dims = v.getType().getTensorType().getShape().getDimList();
            assertTrue(dims.get(1).hasDimValue() && !dims.get(2).hasDimValue() && !dims.get(3).hasDimValue(), dims.toString());
        }
        for (ValueInfoProto v : p.getGraph().getOutputList()) {
            assertEquals(TensorProto.DataType.FLOAT_VALUE, v.getType().getTensorType().getElemType(), "output " + v.getName());
        }
        java.util.Set<String> scales = new java.util.HashSet<>();
        for (NodeProto n : p.getGraph().getNodeList()) {
            if (n.getOpType().equals("Resize") && n.getInputCount() > 2) {
                scales.add(n.getInput(2));
            }
        }
        for (TensorProto t : p.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                assertTrue(scales.contains(t.getName()), name + ": float32 initializer '" + t.getName()
                        + "' is not a Resize scale");
            }
        }
        // Casts only where float32 meets float16: one per input and output (the graphs here compute no
        // Resize scales at run time, which would add one per such value).
        long casts = p.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
        long casts32 = ModelProto.parseFrom(model.toOnnx(Precision.FP32)).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Cast")).count();
        assertEquals(casts32 + p.getGraph().getInputCount() + p.getGraph().getOutputCount(), casts, name + ": Cast nodes");
        // Re-import: srengine's type inference rejects any node whose float inputs disagree. Without
        // the optimising rewrites, so that the types are the file's (fusion keeps slopes in float32).
        Model half = Model.load(onnx);
        Model asWritten = Model.fromGraph(OnnxImporter.read(onnx, null, name), false);
        for (var v : asWritten.graph().valueTypes().entrySet()) {
            DataType t = v.getValue().dataType();
            if (t == DataType.FLOAT32) {
                boolean io = asWritten.inputs().stream().anyMatch(i -> i.name().equals(v.getKey()))
                        || asWritten.outputs().stream().anyMatch(o -> o.name().equals(v.getKey()))
                        || scales.contains(v.getKey());
                assertTrue(io, name + ": value '" + v.getKey() + "' is float32 inside the float16 graph");
            }
        }
        Tensor in = input(11, 12, 10);
        double err = relativeL2(reference(half, in).floats(), reference(model, in).floats());
        assertTrue(err <= FP16_BOUND, name + ": FP16 export differs from FP32 by relative L2 " + err);
        assertTrue(err > 0, name + ": FP16 output equals FP32 exactly, so nothing ran in float16");
        double ort = relativeL2(runOrt(onnx, in), reference(model, in).floats());
        assertTrue(ort <= FP16_BOUND, name + ": ONNX Runtime on the FP16 export differs from FP32 by relative L2 " + ort);
    }

    /**
     * Resize scales in float32 beside float16 data: a constant that a float16 Mul also reads is stored
     * twice, and scales given as a graph input stay a float32 input with no Cast.
     */
    @Test
    void resizeScalesStayFloat32() throws Exception {
        GraphBuilder b = new GraphBuilder("shared-scales", 13);
        String x = b.input("x", 1, 3, "H", 4);
        String sc = b.constant("scales", Tensor.of(new float[] {1, 1, 2, 2}, 4));
        String c = b.op("Conv", List.of(x, b.random("w", 9, 0.5f, 3, 3, 3, 3)), Map.of("pads", new long[] {1, 1, 1, 1}));
        b.output(b.op("Resize", List.of(b.op("Mul", c, sc), "", sc), Map.of("mode", "nearest")));
        Model model = Model.fromGraph(b.build(), true);
        byte[] onnx = model.toOnnx(Precision.FP16);
        var g = OnnxImporter.read(onnx, null, "shared-scales");
        var resize = g.nodes().stream().filter(n -> n.opType().equals("Resize")).findFirst().orElseThrow();
        assertEquals(DataType.FLOAT32, g.initializers().get(resize.input(2)).dataType(), "scales");
        long copies = g.initializers().values().stream().filter(t -> t.size() == 4 && t.getDouble(3) == 2.0).count();
        assertEquals(2, copies, "the shared constant is stored in float32 and in float16");
        Tensor in = input(13, 10, 4);
        float[] want = reference(model, in).floats();
        double err = relativeL2(reference(Model.load(onnx), in).floats(), want);
        assertTrue(err <= FP16_BOUND && err > 0, "FP16 export: relative L2 " + err);
        double ort = relativeL2(runOrt(onnx, in), want);
        assertTrue(ort <= FP16_BOUND, "ONNX Runtime on the FP16 export: relative L2 " + ort);

        GraphBuilder d = new GraphBuilder("input-scales", 13);
        String y = d.input("y", 1, 3, "H", "W");
        d.build().inputs().add(new io.srengine.graph.ValueInfo("s", io.srengine.graph.TensorType.of(DataType.FLOAT32, 4)));
        d.output(d.op("Resize", List.of(d.op("Relu", y), "", "s"), Map.of("mode", "nearest")));
        ModelProto p = ModelProto.parseFrom(Model.fromGraph(d.build(), true).toOnnx(Precision.FP16));
        assertEquals(TensorProto.DataType.FLOAT_VALUE, p.getGraph().getInput(1).getType().getTensorType().getElemType());
        long casts = p.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
        assertEquals(2, casts, "a Cast after y and before the output, none for the scales");
    }

    @Test
    void bf16ExportIsRefused() {
        SrException e = assertThrows(SrException.class, () -> sampleModel().toOnnx(Precision.BF16));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void fp16ExportRefusesWeightsBeyondItsRange() {
        GraphBuilder b = new GraphBuilder("big", 13);
        String x = b.input("x", 1, 1, "H", "W");
        b.output(b.op("Mul", x, b.constant("k", Tensor.of(new float[] {1e6f}, 1))));
        SrException e = assertThrows(SrException.class, () -> Model.fromGraph(b.build(), true).toOnnx(Precision.FP16));
        assertTrue(e.getMessage().contains("65504"), e.getMessage());
    }

    static float[] runOrt(byte[] onnx, Tensor in) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx, o);
                    OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.floats()), toLongs(in.shape()));
                    OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    private static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    /** Where the PyTorch fixtures live (testdata/pytorch at the repository root). */
    static final class PytorchFixtures {
        static Path root() {
            String r = System.getProperty("srengine.repo.root");
            for (Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path c = p.resolve("testdata").resolve("pytorch");
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
            throw new IllegalStateException("testdata/pytorch not found above " + Path.of("").toAbsolutePath());
        }
    }
}
