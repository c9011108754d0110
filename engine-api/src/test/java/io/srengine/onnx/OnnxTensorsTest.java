package io.srengine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTensorsTest {
    @TempDir
    Path dir;

    private static TensorProto.Builder proto(DataType type, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("t").setDataType(type.onnxCode());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static Tensor read(TensorProto.Builder b) {
        return OnnxTensors.fromProto(b.build(), null, "test.onnx");
    }

    private static SrException fails(ErrorCode code, Runnable r) {
        SrException e = assertThrows(SrException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void rawDataIsLittleEndian() {
        // 1.0f is 0x3F800000; -2L is 0xFF..FE.
        Tensor f = read(proto(DataType.FLOAT32, 1).setRawData(ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3F})));
        assertArrayEquals(new float[] {1f}, f.floats());
        byte[] minus2 = {(byte) 0xFE, -1, -1, -1, -1, -1, -1, -1};
        Tensor l = read(proto(DataType.INT64).setRawData(ByteString.copyFrom(minus2)));
        assertEquals(0, l.rank());
        assertArrayEquals(new long[] {-2}, l.longs());
    }

    @Test
    void everyTypeRoundTripsThroughRawData() {
        Tensor[] all = {
            Tensor.of(new float[] {1.5f, -2f, Float.NaN, 0f, 3e-8f, 7f}, 2, 3),
            Tensor.ofShorts(DataType.FLOAT16, new short[] {Float.floatToFloat16(0.5f), Float.floatToFloat16(-3f)}, 2),
            Tensor.ofShorts(DataType.BFLOAT16, new short[] {Tensor.floatToBfloat16(1.25f)}, 1),
            Tensor.ofDoubles(new double[] {Math.PI, -1e300}, 2, 1),
            Tensor.ofLongs(new long[] {Long.MIN_VALUE, 5, Long.MAX_VALUE}, 3),
            Tensor.ofInts(new int[] {Integer.MIN_VALUE, 9}, 1, 2),
            Tensor.ofBytes(DataType.INT8, new byte[] {-128, 127}, 2),
            Tensor.ofBytes(DataType.UINT8, new byte[] {(byte) 255, 0}, 2),
            Tensor.ofBytes(DataType.BOOL, new byte[] {1, 0, 1}, 3),
            Tensor.allocate(DataType.FLOAT32, 0, 4),
        };
        for (Tensor t : all) {
            TensorProto p = OnnxTensors.toProto("w", t);
            assertTrue(p.hasRawData());
            Tensor back = OnnxTensors.fromProto(p, null, "x");
            assertEquals(t.dataType(), back.dataType());
            assertArrayEquals(t.shape(), back.shape());
            for (int i = 0; i < t.size(); i++) {
                assertEquals(Double.doubleToLongBits(t.getDouble(i)), Double.doubleToLongBits(back.getDouble(i)), t.toString());
            }
        }
    }

    @Test
    void typedFieldsFollowTheSpecification() {
        assertArrayEquals(new float[] {1f, 2f}, read(proto(DataType.FLOAT32, 2).addFloatData(1).addFloatData(2)).floats());
        assertArrayEquals(new double[] {0.25}, read(proto(DataType.FLOAT64, 1).addDoubleData(0.25)).doubles());
        assertArrayEquals(new long[] {-7, 8}, read(proto(DataType.INT64, 2).addInt64Data(-7).addInt64Data(8)).longs());
        assertArrayEquals(new int[] {-3}, read(proto(DataType.INT32, 1).addInt32Data(-3)).ints());
        // int32_data carries 16-bit float bit patterns, int8, uint8 and bool.
        short half = Float.floatToFloat16(-1.5f);
        Tensor h = read(proto(DataType.FLOAT16, 1).addInt32Data(half & 0xffff));
        assertEquals(-1.5, h.getDouble(0));
        Tensor bf = read(proto(DataType.BFLOAT16, 1).addInt32Data(Tensor.floatToBfloat16(3f) & 0xffff));
        assertEquals(3.0, bf.getDouble(0));
        assertEquals(-5, read(proto(DataType.INT8, 1).addInt32Data(-5)).getLong(0));
        assertEquals(200, read(proto(DataType.UINT8, 1).addInt32Data(200)).getLong(0));
        assertArrayEquals(new byte[] {1, 0}, read(proto(DataType.BOOL, 2).addInt32Data(1).addInt32Data(0)).bytes());
    }

    @Test
    void elementCountMustMatchDims() {
        SrException e = fails(ErrorCode.INVALID_MODEL, () -> read(proto(DataType.FLOAT32, 2, 3).addFloatData(1)));
        assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("6 elements"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL, () -> read(proto(DataType.FLOAT32, 2).setRawData(ByteString.copyFrom(new byte[5]))));
        assertTrue(e.getMessage().contains("raw_data holds 5 bytes"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL, () -> read(proto(DataType.INT64, 4)));
        assertTrue(e.getMessage().contains("no raw_data"), e.getMessage());
    }

    @Test
    void hugeOrNegativeDimsAreRefused() {
        SrException e = fails(ErrorCode.TENSOR_TOO_LARGE, () -> read(proto(DataType.FLOAT32, 100_000, 100_000)));
        assertTrue(e.getMessage().contains("'t'"), e.getMessage());
        fails(ErrorCode.TENSOR_TOO_LARGE, () -> read(proto(DataType.FLOAT32, 0, 1L << 40)));
        fails(ErrorCode.INVALID_MODEL, () -> read(proto(DataType.FLOAT32, -1)));
    }

    @Test
    void typesSrengineLacksAreNamed() {
        TensorProto.Builder s = TensorProto.newBuilder().setName("names").setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("a"));
        SrException e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(s));
        assertTrue(e.getMessage().contains("STRING") && e.getMessage().contains("'names'"), e.getMessage());
        e = fails(ErrorCode.UNSUPPORTED_OP, () -> read(TensorProto.newBuilder().setName("u").setDataType(4).addDims(0)));
        assertTrue(e.getMessage().contains("UINT16"), e.getMessage());
        fails(ErrorCode.INVALID_MODEL, () -> read(TensorProto.newBuilder().setName("u").addDims(0)));
    }

    private static TensorProto.Builder external(TensorProto.Builder b, String location, Long offset, Long length) {
        b.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset != null) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset.toString()));
        }
        if (length != null) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length.toString()));
        }
        return b;
    }

    @Test
    void externalDataIsReadAtItsOffset() throws Exception {
        // 300k floats span several read chunks.
        int n = 300_000;
        float[] values = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            values[i] = r.nextFloat() - 0.5f;
        }
        ByteBuffer buf = ByteBuffer.allocate(16 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(16);
        buf.asFloatBuffer().put(values);
        Files.createDirectories(dir.resolve("weights"));
        Files.write(dir.resolve("weights/w.bin"), buf.array());
        TensorProto p = external(proto(DataType.FLOAT32, 3, n / 3), "weights/w.bin", 16L, 4L * n).build();
        Tensor t = OnnxTensors.fromProto(p, dir, "m.onnx");
        assertArrayEquals(values, t.floats());
        assertArrayEquals(new int[] {3, n / 3}, t.shape());
    }

    @Test
    void externalDataErrorsNameTheProblem() throws Exception {
        Files.write(dir.resolve("small.bin"), new byte[8]);
        TensorProto.Builder b = proto(DataType.FLOAT32, 4);
        SrException e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "small.bin", null, null).build(), null, "m"));
        assertTrue(e.getMessage().contains("small.bin") && e.getMessage().contains("file path"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "../escape.bin", null, null).build(), dir, "m"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "sub/../../escape.bin", null, null).build(), dir, "m"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "/etc/passwd", null, null).build(), dir, "m"));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "small.bin", null, null).build(), dir, "m"));
        assertTrue(e.getMessage().contains("only 8 bytes"), e.getMessage());
        e = fails(ErrorCode.INVALID_MODEL,
                () -> OnnxTensors.fromProto(external(b.clone(), "small.bin", null, 8L).build(), dir, "m"));
        assertTrue(e.getMessage().contains("length is 8"), e.getMessage());
        e = fails(ErrorCode.IO_ERROR,
                () -> OnnxTensors.fromProto(external(b.clone(), "missing.bin", null, null).build(), dir, "m"));
        assertTrue(e.getMessage().contains("missing.bin"), e.getMessage());
    }

    @Test
    void tensorFilesRoundTrip() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        Path f = dir.resolve("input_0.pb");
        OnnxTensors.writeFile(f, "x", t);
        assertArrayEquals(t.floats(), OnnxTensors.readFile(f).floats());
        assertEquals(ErrorCode.IO_ERROR, assertThrows(SrException.class,
                () -> OnnxTensors.readFile(dir.resolve("nope.pb"))).code());
    }

    /** Decoding checked against ONNX's own data: the Relu test's output is max(input, 0). */
    @Test
    void readsOnnxTestData() {
        Path set = Path.of("/usr/share/libonnx-testdata/data/node/test_relu/test_data_set_0");
        assumeTrue(Files.isDirectory(set), "ONNX test data (Debian libonnx-testdata) is not installed");
        Tensor in = OnnxTensors.readFile(set.resolve("input_0.pb"));
        Tensor out = OnnxTensors.readFile(set.resolve("output_0.pb"));
        assertArrayEquals(new int[] {3, 4, 5}, in.shape());
        boolean negative = false;
        for (int i = 0; i < in.size(); i++) {
            negative |= in.floats()[i] < 0;
            assertEquals(Math.max(in.floats()[i], 0f), out.floats()[i]);
        }
        assertTrue(negative, "the test input should contain negative values");
    }
}
