package io.srengine.formats.pytorch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes pickle opcodes by hand, for crafted (hostile or broken) checkpoints, and packs them into
 * PyTorch's zip and legacy layouts. Opcode values are Python's ({@code pickletools}).
 */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBytes proto() {
        return op(0x80, 2);
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le32(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K', (int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            return le32((int) v);
        }
        op(0x8a, 8);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        out.writeBytes(b.array());
        return this;
    }

    PickleBytes le32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    /** A tuple of the given integers. */
    PickleBytes ints(long... vs) {
        mark();
        for (long v : vs) {
            integer(v);
        }
        return op('t');
    }

    /**
     * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}
     * with the storage {@code ('storage', torch.<type>, key, 'cpu', numel)}.
     */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).op('t').op('Q');
        integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    /** Like {@link #tensor} with a legacy storage id: {@code ('storage', torch.FloatStorage, key, 'cpu', numel, None)}. */
    PickleBytes tensorLegacy(String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(numel).op('N').op('t').op('Q');
        integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    /** {@code {name: tensor}} over one float storage "0" of {@code numel} elements, as a whole pickle. */
    static byte[] stateDict(String name, long numel, long offset, long[] size, long[] stride) {
        return new PickleBytes().proto().op('}').str(name).tensor("FloatStorage", "0", numel, offset, size, stride)
                .op('s', '.').bytes();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A zip checkpoint: {@code archive/data.pkl} and {@code archive/data/<key>} records, stored. */
    static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "archive/data.pkl", pickle);
            for (var e : storages.entrySet()) {
                stored(zip, "archive/data/" + e.getKey(), e.getValue());
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * A legacy checkpoint: magic, protocol 1001, system info, {@code object} (whose storage ids have
     * six fields), the key list and the storages with their element counts.
     */
    static Path legacy(Path file, byte[] object, Map<String, float[]> storages) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        PickleBytes magic = new PickleBytes().proto().op(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50,
                0x19).op('.');
        f.writeBytes(magic.bytes());
        f.writeBytes(new PickleBytes().proto().op('M', 0xe9, 0x03, '.').bytes());
        f.writeBytes(new PickleBytes().proto().op('}').mark().str("protocol_version").op('M', 0xe9, 0x03)
                .str("little_endian").op(0x88).op('u', '.').bytes());
        f.writeBytes(object);
        PickleBytes keys = new PickleBytes().proto().op(']').mark();
        storages.keySet().forEach(keys::str);
        f.writeBytes(keys.op('e', '.').bytes());
        for (var e : storages.entrySet()) {
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(e.getValue().length);
            for (float v : e.getValue()) {
                b.putFloat(v);
            }
            f.writeBytes(b.array());
        }
        Files.write(file, f.toByteArray());
        return file;
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }
}
