package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted checkpoints: pickles that try to call something, lengths and shapes that claim more than
 * the file holds, and the structural mistakes a broken file can make. Each is refused with an
 * {@link SrException} naming the problem, before anything runs or is allocated.
 */
class CheckpointSafetyTest {
    @TempDir
    Path tmp;

    private SrException refusal(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Path f = PickleBytes.zip(tmp.resolve("crafted.pth"), pickle, storages);
        return assertThrows(SrException.class, () -> CheckpointReader.read(f));
    }

    /** os.system('touch <marker>') as pickle.dumps writes it, in a zip and in a legacy file. */
    @Test
    void aPickleThatCallsSystemIsRefusedNamingTheGlobalAndNothingRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        for (String module : new String[] {"posix", "os", "nt", "subprocess"}) {
            byte[] evil = new PickleBytes().proto().global(module, "system").mark().str("touch " + marker).op('t', 'R', '.')
                    .bytes();
            SrException e = refusal(evil, Map.of());
            assertEquals(ErrorCode.INVALID_MODEL, e.code());
            assertTrue(e.getMessage().contains("'" + module + ".system'"), e.getMessage());
            Path legacy = PickleBytes.legacy(tmp.resolve("evil.pt"), evil, Map.of());
            SrException l = assertThrows(SrException.class, () -> CheckpointReader.read(legacy));
            assertTrue(l.getMessage().contains("'" + module + ".system'"), l.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void otherDangerousGlobalsAreRefusedByName() throws IOException {
        String[][] globals = {{"builtins", "eval"}, {"builtins", "exec"}, {"__builtin__", "getattr"},
            {"builtins", "__import__"}, {"torch", "load"}, {"numpy.core.multiarray", "_reconstruct"},
            {"torch.nn.modules.conv", "Conv2d"}, {"__torch__.Model", "forward"}, {"webbrowser", "open"}};
        for (String[] g : globals) {
            byte[] p = new PickleBytes().proto().global(g[0], g[1]).mark().str("x").op('t', 'R', '.').bytes();
            SrException e = refusal(p, Map.of());
            assertTrue(e.getMessage().contains("'" + g[0] + "." + g[1] + "'"), e.getMessage());
        }
        // STACK_GLOBAL (protocol 4) is checked the same way.
        byte[] p = new PickleBytes().op(0x80, 4).str("posix").str("system").op(0x93).mark().str("id").op('t', 'R', '.')
                .bytes();
        assertTrue(refusal(p, Map.of()).getMessage().contains("'posix.system'"));
    }

    @Test
    void objectCreatingOpcodesAreRefused() throws IOException {
        // INST, OBJ, EXT1, NEWOBJ_EX and the buffer opcodes build objects without a GLOBAL opcode.
        int[][] programs = {{'(', 'i'}, {'(', 'o'}, {0x82, 1}, {0x92}, {0x97}, {0x98}};
        for (int[] ops : programs) {
            byte[] p = new PickleBytes().proto().op(ops).op('.').bytes();
            SrException e = refusal(p, Map.of());
            assertTrue(e.getMessage().contains("is not allowed"), e.getMessage());
        }
        // Calling an allowed class that is not a function (a storage type) is refused too.
        byte[] p = new PickleBytes().proto().global("torch", "FloatStorage").op(')', 'R', '.').bytes();
        assertTrue(refusal(p, Map.of()).getMessage().contains("'torch.FloatStorage', which is not allowed"));
    }

    @Test
    void aWholePickledModelIsExplained() throws IOException {
        byte[] p = new PickleBytes().proto().mark().str("module").global("models.network", "RRDBNet").str("src.py")
                .str("class RRDBNet: ...").op('t', 'Q', '.').bytes();
        Path legacy = PickleBytes.legacy(tmp.resolve("model.pt"), p, Map.of());
        SrException e = assertThrows(SrException.class, () -> CheckpointReader.read(legacy));
        assertTrue(e.getMessage().contains("'models.network.RRDBNet'"), e.getMessage());
    }

    @Test
    void claimedLengthsAreCheckedBeforeAllocation() throws IOException {
        // A string of 4 GiB - 1 bytes in a pickle of a few bytes.
        byte[] hugeString = new PickleBytes().proto().op('X', 0xff, 0xff, 0xff, 0xff).op('.').bytes();
        assertTrue(refusal(hugeString, Map.of()).getMessage().contains("truncated"));
        // BINBYTES8 and LONG4 with absurd lengths.
        byte[] hugeBytes = new PickleBytes().proto().op(0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40).op('.').bytes();
        assertTrue(refusal(hugeBytes, Map.of()).getMessage().contains("truncated"));
        byte[] hugeLong = new PickleBytes().proto().op(0x8b, 0xff, 0xff, 0xff, 0x7f).op('.').bytes();
        assertEquals(ErrorCode.INVALID_MODEL, refusal(hugeLong, Map.of()).code());
        // A storage of 2^40 floats in a file of a few hundred bytes.
        byte[] hugeStorage = PickleBytes.stateDict("w", 1L << 40, 0, new long[] {1L << 20, 1L << 20}, new long[] {1L << 20, 1});
        SrException e = refusal(hugeStorage, Map.of("0", PickleBytes.floats(1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("more than the"), e.getMessage());
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws IOException {
        Map<String, byte[]> four = Map.of("0", PickleBytes.floats(1, 2, 3, 4));
        // 2x3 does not fit in 4 elements; neither does an offset of 3 with 2 elements; nor a stride too wide.
        assertTrue(refusal(PickleBytes.stateDict("w", 4, 0, new long[] {2, 3}, new long[] {3, 1}), four).getMessage()
                .contains("holds only 4"));
        assertTrue(refusal(PickleBytes.stateDict("w", 4, 3, new long[] {2}, new long[] {1}), four).getMessage()
                .contains("holds only 4"));
        assertTrue(refusal(PickleBytes.stateDict("w", 4, 0, new long[] {2, 2}, new long[] {4, 1}), four).getMessage()
                .contains("holds only 4"));
        // Negative sizes and strides, sizes whose product overflows.
        assertEquals(ErrorCode.INVALID_MODEL,
                refusal(PickleBytes.stateDict("w", 4, 0, new long[] {-1}, new long[] {1}), four).code());
        assertTrue(refusal(PickleBytes.stateDict("w", 4, 0, new long[] {1L << 32, 1L << 32, 1L << 32}, new long[] {0, 0, 0}),
                four).getMessage().contains("overflows"));
        // The record is shorter than the storage the pickle declares.
        assertTrue(refusal(PickleBytes.stateDict("w", 8, 0, new long[] {8}, new long[] {1}), four).getMessage()
                .contains("has only 16 bytes"));
        // A missing record.
        assertTrue(refusal(PickleBytes.stateDict("w", 4, 0, new long[] {4}, new long[] {1}), Map.of()).getMessage()
                .contains("lacks the entry 'archive/data/0'"));
    }

    @Test
    void repeatedViewsCannotMultiplyMemory() throws IOException {
        // One float viewed 2^30 times through a zero stride: 4 GiB of floats from a 4-byte record.
        byte[] p = PickleBytes.stateDict("w", 1, 0, new long[] {1L << 30}, new long[] {0});
        SrException e = refusal(p, Map.of("0", PickleBytes.floats(1)));
        assertTrue(e.getMessage().contains("out of proportion"), e.getMessage());
    }

    @Test
    void aValidCraftedCheckpointReadsWithStridesAndOffsets() throws IOException {
        // A 2x2 view at offset 1 with strides (1, 2) into [0, 1, 2, 3, 4]: [[1, 3], [2, 4]].
        byte[] p = PickleBytes.stateDict("w", 5, 1, new long[] {2, 2}, new long[] {1, 2});
        Path f = PickleBytes.zip(tmp.resolve("ok.pth"), p, Map.of("0", PickleBytes.floats(0, 1, 2, 3, 4)));
        StateDict sd = CheckpointReader.read(f);
        assertArrayEquals(new float[] {1, 3, 2, 4}, sd.tensor("w").floats());
        assertEquals(CheckpointFormat.ZIP, sd.format());
        // The same in the legacy layout (storage ids with six fields).
        byte[] legacyObject = new PickleBytes().proto().op('}').str("w").tensorLegacy("0", 5, 1, new long[] {2, 2},
                new long[] {1, 2}).op('s', '.').bytes();
        Path l = PickleBytes.legacy(tmp.resolve("ok.pt"), legacyObject, Map.of("0", new float[] {0, 1, 2, 3, 4}));
        assertArrayEquals(new float[] {1, 3, 2, 4}, CheckpointReader.read(l).tensor("w").floats());
    }

    @Test
    void structuralMistakesAreNamed() throws IOException {
        assertTrue(refusal(new PickleBytes().proto().op(']', '.').bytes(), Map.of()).getMessage()
                .contains("not a dict of tensors"));
        assertTrue(refusal(new PickleBytes().proto().op('}').str("epoch").integer(3).op('s', '.').bytes(), Map.of())
                .getMessage().contains("holds no tensors"));
        assertTrue(refusal(new PickleBytes().proto().op('h', 7, '.').bytes(), Map.of()).getMessage()
                .contains("memo entry 7"));
        assertTrue(refusal(new PickleBytes().proto().op('0', '.').bytes(), Map.of()).getMessage()
                .contains("stack is empty"));
        assertTrue(refusal(new PickleBytes().proto().op('}', ']', ']', 's', '.').bytes(), Map.of()).getMessage()
                .contains("dict key of type list"));
        // A list that contains itself: no infinite walk, just "no tensors".
        byte[] cyclic = new PickleBytes().proto().op('}').str("x").op(']', '2', 'a', 's', '.').bytes();
        assertTrue(refusal(cyclic, Map.of()).getMessage().contains("holds no tensors"));
        // A pickle that just stops.
        assertTrue(refusal(new PickleBytes().proto().op('}').str("x").bytes(), Map.of()).getMessage()
                .contains("truncated"));
    }

    @Test
    void notACheckpointAtAll() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.pth"), new byte[0]);
        SrException e = assertThrows(SrException.class, () -> CheckpointReader.read(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.pth"), "hello");
        assertEquals(ErrorCode.INVALID_MODEL, assertThrows(SrException.class, () -> CheckpointReader.read(text)).code());
        assertEquals(ErrorCode.IO_ERROR,
                assertThrows(SrException.class, () -> CheckpointReader.read(tmp.resolve("missing.pth"))).code());
        // A zip that is not a PyTorch archive, and a TorchScript one.
        Path other = tmp.resolve("other.pth");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        assertTrue(assertThrows(SrException.class, () -> CheckpointReader.read(other)).getMessage()
                .contains("not a PyTorch checkpoint"));
        Path script = tmp.resolve("script.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(script))) {
            for (String n : new String[] {"m/data.pkl", "m/code/__torch__.py"}) {
                zip.putNextEntry(new java.util.zip.ZipEntry(n));
                zip.write(1);
                zip.closeEntry();
            }
        }
        assertTrue(assertThrows(SrException.class, () -> CheckpointReader.read(script)).getMessage()
                .contains("TorchScript"));
    }

    @Test
    void safetensorsHeadersAreChecked() throws IOException {
        byte[] data = PickleBytes.floats(1, 2, 3, 4);
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", data)
                == null);
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", data)
                .contains("needs 24 bytes"));
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,32]}}", data)
                .contains("truncated"));
        assertTrue(safetensorsError("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", data).contains("overlap"));
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[16],\"data_offsets\":[0,16]}}", data)
                .contains("F8_E4M3"));
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", data)
                .contains("not non-negative integers"));
        assertTrue(safetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,16]}}", data).contains("needs more than"));
        // A header length beyond the file, and one beyond any plausible header (then it is no safetensors file).
        Path f = tmp.resolve("long.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put((byte) '{')
                .put((byte) '"').array());
        assertTrue(assertThrows(SrException.class, () -> CheckpointReader.read(f)).getMessage()
                .contains("header of 1000 bytes; the file has 16"));
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put((byte) '{')
                .put((byte) '"').array());
        assertTrue(assertThrows(SrException.class, () -> CheckpointReader.read(f)).getMessage()
                .contains("nor a safetensors file"));
    }

    /** The message of reading a safetensors file with this header and data, or null if it reads. */
    private String safetensorsError(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.write(tmp.resolve("t.safetensors"), b.array());
        try {
            CheckpointReader.read(f);
            return null;
        } catch (SrException e) {
            return e.getMessage();
        }
    }
}
