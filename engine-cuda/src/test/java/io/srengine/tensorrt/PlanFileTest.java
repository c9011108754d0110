package io.srengine.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Precision;
import io.srengine.SrException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan container and its header check, all without TensorRT. */
class PlanFileTest {
    @TempDir
    Path dir;

    static final ShapeRange RANGE = new ShapeRange(new int[] {1, 3, 16, 16}, new int[] {1, 3, 288, 288},
            new int[] {2, 3, 544, 512});

    static PlanHeader header() {
        return new PlanHeader("11.2.1", "NVIDIA H100 80GB HBM3", "9.0", Precision.FP16, "input", "output", RANGE);
    }

    static PlanFile plan() {
        return new PlanFile(header(), "onnx-bytes".getBytes(StandardCharsets.UTF_8), new byte[] {9, 8, 7, 6, 5});
    }

    private static SrException parseFails(byte[] bytes) {
        SrException e = assertThrows(SrException.class, () -> PlanFile.parse(bytes, "m.plan"));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().startsWith("m.plan"), e.getMessage());
        return e;
    }

    @Test
    void roundTripsThroughAFile() throws Exception {
        Path f = Files.write(dir.resolve("m.plan"), plan().toBytes());
        PlanFile back = PlanFile.read(f);
        assertEquals(header(), back.header());
        assertArrayEquals(plan().onnx(), back.onnx());
        assertArrayEquals(plan().engine(), back.engine());
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("SRTRTPLN"), "magic first");
        assertTrue(text.contains("gpu.name=NVIDIA H100 80GB HBM3\n") && text.contains("shape.max=2,3,544,512\n"), text);
    }

    @Test
    void notAPlanAtAll() {
        assertTrue(parseFails(new byte[0]).getMessage().contains("it is empty"));
        assertTrue(parseFails("hello world".getBytes(StandardCharsets.UTF_8)).getMessage()
                .contains("does not start with \"SRTRTPLN\""));
        // An ONNX ModelProto starts with field 1 (ir_version), a varint: 0x08 then a small number.
        SrException onnx = parseFails(new byte[] {0x08, 0x08, 0x12, 0x04, 't', 'e', 's', 't'});
        assertTrue(onnx.getMessage().contains("looks like an ONNX model") && onnx.getMessage().contains("trt-build"),
                onnx.getMessage());
    }

    @Test
    void badMagicOneByteOff() {
        byte[] b = plan().toBytes();
        b[3] ^= 1;
        assertTrue(parseFails(b).getMessage().contains("is not an srengine TensorRT plan"));
    }

    @Test
    void otherFormatVersion() {
        byte[] b = plan().toBytes();
        b[11] = 2;
        SrException e = parseFails(b);
        assertTrue(e.getMessage().contains("format version 2") && e.getMessage().contains("reads version 1"), e.getMessage());
    }

    @Test
    void truncatedAnywhere() {
        byte[] b = plan().toBytes();
        for (int len : new int[] {9, 12, 15, 40, b.length / 2, b.length - 6, b.length - 1}) {
            SrException e = parseFails(Arrays.copyOf(b, len));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("damaged"), len + ": " + e.getMessage());
        }
    }

    @Test
    void trailingBytesAndFlippedEngineBitsAreCaught() {
        byte[] b = plan().toBytes();
        assertTrue(parseFails(Arrays.copyOf(b, b.length + 3)).getMessage().contains("after the TensorRT engine"));
        byte[] flipped = b.clone();
        flipped[flipped.length - 1] ^= 0x40;
        assertTrue(parseFails(flipped).getMessage().contains("engine section does not match its SHA-256"));
    }

    @Test
    void damagedHeaderFieldIsNamed() {
        String s = new String(plan().toBytes(), StandardCharsets.ISO_8859_1).replace("shape.opt=1,3,288,288", "shape.opt=1,3,999,288");
        SrException e = parseFails(s.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().contains("plan header is damaged"), e.getMessage());
        String missing = new String(plan().toBytes(), StandardCharsets.ISO_8859_1).replace("precision=FP16", "precisioX=FP16");
        assertTrue(parseFails(missing.getBytes(StandardCharsets.ISO_8859_1)).getMessage().contains("no 'precision'"));
    }

    @Test
    void missingFileIsAnIoError() {
        SrException e = assertThrows(SrException.class, () -> PlanFile.read(dir.resolve("none.plan")));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("plan file not found"), e.getMessage());
    }

    @Test
    void runsOnTheMachineItWasBuiltFor() {
        header().checkRunsOn("11.2.1", "NVIDIA H100 80GB HBM3", "9.0", "m.plan");
    }

    @Test
    void anotherTensorRtVersionIsRefusedNamingBoth() {
        SrException e = assertThrows(SrException.class,
                () -> header().checkRunsOn("11.3.0", "NVIDIA H100 80GB HBM3", "9.0", "m.plan"));
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("another TensorRT version:") && m.contains("TensorRT 11.2.1") && m.contains("TensorRT 11.3.0")
                && m.contains("trt-build"), m);
    }

    @Test
    void anotherGpuIsRefusedNamingBoth() {
        SrException e = assertThrows(SrException.class,
                () -> header().checkRunsOn("11.2.1", "NVIDIA A100-SXM4-80GB", "8.0", "m.plan"));
        String m = e.getMessage();
        assertTrue(m.contains("another GPU:") && m.contains("NVIDIA H100 80GB HBM3 (compute capability 9.0)")
                && m.contains("NVIDIA A100-SXM4-80GB (compute capability 8.0)"), m);
        // Same name, other capability (a MIG or driver report change) is refused too.
        assertThrows(SrException.class, () -> header().checkRunsOn("11.2.1", "NVIDIA H100 80GB HBM3", "9.1", "m.plan"));
        SrException both = assertThrows(SrException.class, () -> header().checkRunsOn("10.9.0", "Tesla T4", "7.5", "m.plan"));
        assertTrue(both.getMessage().contains("another TensorRT version and another GPU"), both.getMessage());
    }
}
