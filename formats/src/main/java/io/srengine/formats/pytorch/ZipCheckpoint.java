package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.formats.pytorch.Unpickler.PyTuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PyTorch's zip format: {@code <folder>/data.pkl} (the pickled object, storages as persistent ids
 * {@code ('storage', type, key, location, numel)}) and {@code <folder>/data/<key>} (each storage's
 * raw bytes), with an optional {@code <folder>/byteorder}. The folder name varies with the PyTorch
 * version and the file name, so any single top-level folder is accepted.
 */
final class ZipCheckpoint implements CheckpointFile {
    /** Deflate cannot expand data by more than about 1032:1; a larger claimed size is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private final ZipFile zip;
    private final String source;
    private final String folder;
    private final long fileSize;
    private final Map<String, TensorRef.Storage> storages = new HashMap<>();
    private final ByteOrder order;
    private final Object root;

    ZipCheckpoint(Path path, long fileSize) {
        this.source = path.toString();
        this.fileSize = fileSize;
        try {
            this.zip = new ZipFile(path.toFile());
        } catch (IOException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " starts like a zip file but is not a readable zip"
                    + " archive (truncated or damaged?): " + e.getMessage(), e);
        }
        try {
            this.folder = findFolder();
            this.order = byteOrder();
            byte[] pkl = entryBytes(entry(folder + "data.pkl"), -1);
            this.root = Unpickler.load(ByteInput.of(pkl, source + "!" + folder + "data.pkl"),
                    new TorchPickle(this::storage));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String findFolder() {
        List<String> pkls = new ArrayList<>();
        boolean script = false;
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                pkls.add(name.substring(0, slash + 1));
            }
            if (slash > 0 && name.substring(slash + 1).startsWith("code/")) {
                script = true;
            }
        }
        if (pkls.size() != 1) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is a zip archive but not a PyTorch checkpoint: it has "
                    + (pkls.isEmpty() ? "no" : pkls.size()) + " '<folder>/data.pkl' entries where torch.save writes one");
        }
        if (script) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is a TorchScript archive (it holds code/); srengine"
                    + " reads checkpoints saved with torch.save(model.state_dict()), not scripted modules");
        }
        return pkls.getFirst();
    }

    private ByteOrder byteOrder() {
        ZipEntry e = zip.getEntry(folder + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (e.getSize() > 16) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " has a byteorder record of " + e.getSize()
                    + " bytes; PyTorch writes 'little' or 'big'");
        }
        String s = new String(entryBytes(e, -1), StandardCharsets.US_ASCII).trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new SrException(ErrorCode.INVALID_MODEL, source + " names its byte order '" + s
                    + "'; PyTorch writes 'little' or 'big'");
        };
    }

    private ZipEntry entry(String name) {
        ZipEntry e = zip.getEntry(name);
        if (e == null || e.isDirectory()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " lacks the entry '" + name + "'");
        }
        return e;
    }

    /** The persistent id of a storage, checked against the archive's record for it. */
    private TensorRef.Storage storage(PyTuple pid, String where) {
        if (pid.size() != 5 || !(pid.get(2) instanceof String key) || !(pid.get(4) instanceof Long numel) || numel < 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where
                    + " has a storage id that is not ('storage', type, key, location, numel)");
        }
        ScalarType type = TorchPickle.storageTypeOf(pid.get(1), where);
        TensorRef.Storage known = storages.get(key);
        if (known != null) {
            if (known.type() != type || known.numel() != numel) {
                throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " describes storage '" + key
                        + "' twice, differently");
            }
            return known;
        }
        long nbytes = byteCount(numel, type, where);
        ZipEntry e = entry(folder + "data/" + key);
        if (e.getSize() >= 0 && e.getSize() < nbytes) {
            throw new SrException(ErrorCode.INVALID_MODEL, "storage '" + key + "' in " + source + " should hold "
                    + numel + " " + type.torchName() + " values (" + nbytes + " bytes) but its record has only "
                    + e.getSize() + " bytes");
        }
        TensorRef.Storage s = new TensorRef.Storage(key, type, numel);
        storages.put(key, s);
        return s;
    }

    private long byteCount(long numel, ScalarType type, String where) {
        try {
            long n = Math.multiplyExact(numel, (long) type.size());
            if (n <= fileSize) {
                return n;
            }
        } catch (ArithmeticException e) {
            // fall through
        }
        throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " claims a storage of " + numel + " "
                + type.torchName() + " values, more than the " + fileSize + "-byte file can hold");
    }

    @Override
    public byte[] bytes(TensorRef.Storage storage) {
        return entryBytes(entry(folder + "data/" + storage.key()), storage.numel() * storage.type().size());
    }

    /** The first {@code n} bytes of an entry (all when n is -1), never more than the file can produce. */
    private byte[] entryBytes(ZipEntry e, long n) {
        long claimed = e.getSize();
        // A stored entry cannot be larger than the file; a deflated one not larger than deflate expands.
        long limit = e.getMethod() == ZipEntry.STORED ? fileSize
                : Math.max(0, Math.min(e.getCompressedSize(), fileSize)) * MAX_DEFLATE_RATIO;
        long want = n < 0 ? claimed : n;
        if (want < 0 || want > limit || want > Integer.MAX_VALUE - 8) {
            throw new SrException(ErrorCode.INVALID_MODEL, "entry '" + e.getName() + "' of " + source + " claims "
                    + claimed + " bytes, more than the archive can hold");
        }
        try (InputStream in = zip.getInputStream(e)) {
            // readNBytes grows its buffer with the data actually read, so a lying size costs nothing.
            byte[] b = in.readNBytes((int) want);
            if (b.length != want) {
                throw new SrException(ErrorCode.INVALID_MODEL, "entry '" + e.getName() + "' of " + source + " ends after "
                        + b.length + " of " + want + " bytes (truncated?)");
            }
            return b;
        } catch (IOException ex) {
            throw new SrException(ErrorCode.INVALID_MODEL, "cannot read entry '" + e.getName() + "' of " + source
                    + " (truncated or damaged?): " + ex.getMessage(), ex);
        }
    }

    @Override
    public CheckpointFormat format() {
        return CheckpointFormat.ZIP;
    }

    @Override
    public Object root() {
        return root;
    }

    @Override
    public ByteOrder order() {
        return order;
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            // nothing was written; closing a read-only archive cannot lose data
        }
    }
}
