package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.formats.pytorch.Unpickler.PyTuple;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's format before 1.6, one stream of: the pickled magic number {@code 0x1950a86a20f9469cfc6c},
 * the protocol version 1001, a dict of system information, the pickled object (storages as persistent
 * ids {@code ('storage', type, key, location, numel, view)}), the pickled list of storage keys, and
 * then for each key in that order an int64 element count followed by the storage's raw bytes.
 * Storage views ({@code view = (view_key, offset, numel)}, written by PyTorch before 1.0) are slices
 * of their root storage.
 */
final class LegacyCheckpoint extends ChannelCheckpoint {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long PROTOCOL_VERSION = 1001;

    private record View(String root, long offset) {}

    private final long fileSize;
    /** Root storages: key → declared type and length. */
    private final Map<String, TensorRef.Storage> roots = new LinkedHashMap<>();
    private final Map<String, View> views = new HashMap<>();
    private final Map<String, TensorRef.Storage> viewStorages = new HashMap<>();
    /** File offset of each root storage's data. */
    private final Map<String, Long> dataOffsets = new HashMap<>();
    private Object root;

    LegacyCheckpoint(Path path, long fileSize) {
        super(path);
        this.fileSize = fileSize;
        reading(() -> {
            ByteInput in = ByteInput.of(channel, source);
            Unpickler.Policy plain = new TorchPickle((pid, where) -> {
                throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " has a storage in its header");
            });
            Object magic = Unpickler.load(in, plain);
            if (!(magic instanceof BigInteger m) || !m.equals(MAGIC)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " is a pickle but not a PyTorch checkpoint: it"
                        + " does not start with torch.save's magic number");
            }
            Object protocol = Unpickler.load(in, plain);
            if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " has serialisation protocol "
                        + (protocol instanceof Long l ? l.toString() : Unpickler.typeName(protocol))
                        + "; srengine reads protocol " + PROTOCOL_VERSION);
            }
            if (!(Unpickler.load(in, plain) instanceof Map<?, ?> sysInfo)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " has no system-information dict after its header");
            }
            if (Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + " was written on a big-endian machine;"
                        + " srengine reads little-endian legacy checkpoints only (re-save it with a current PyTorch)");
            }
            this.root = Unpickler.load(in, new TorchPickle(this::storage));
            if (!(Unpickler.load(in, plain) instanceof List<?> keys)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " has no list of storage keys after its object");
            }
            locateStorages(in, keys);
        });
    }

    private TensorRef.Storage storage(PyTuple pid, String where) {
        if (pid.size() != 6 || !(pid.get(2) instanceof String key) || !(pid.get(4) instanceof Long numel) || numel < 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where
                    + " has a storage id that is not ('storage', type, key, location, numel, view)");
        }
        ScalarType type = TorchPickle.storageTypeOf(pid.get(1), where);
        checkBytes(numel, type, where);
        TensorRef.Storage root = roots.get(key);
        if (root == null) {
            root = new TensorRef.Storage(key, type, numel);
            roots.put(key, root);
        } else if (root.type() != type || root.numel() != numel) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " describes storage '" + key
                    + "' twice, differently");
        }
        Object view = pid.get(5);
        if (view == null) {
            return root;
        }
        if (!(view instanceof PyTuple v) || v.size() != 3 || !(v.get(0) instanceof String viewKey)
                || !(v.get(1) instanceof Long offset) || !(v.get(2) instanceof Long size)) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " has a storage view that is not"
                    + " (key, offset, size)");
        }
        if (offset < 0 || size < 0 || offset > numel - size) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " has a view of " + size
                    + " elements at " + offset + " into storage '" + key + "' of " + numel);
        }
        TensorRef.Storage s = viewStorages.computeIfAbsent(viewKey, k -> new TensorRef.Storage(k, type, size));
        View prev = views.putIfAbsent(viewKey, new View(key, offset));
        if (s.numel() != size || s.type() != type || (prev != null && !prev.equals(new View(key, offset)))) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " describes view '" + viewKey
                    + "' twice, differently");
        }
        return s;
    }

    private void checkBytes(long numel, ScalarType type, String where) {
        if (numel > fileSize / type.size()) {
            throw new SrException(ErrorCode.INVALID_MODEL, "pickle in " + where + " claims a storage of " + numel + " "
                    + type.torchName() + " values, more than the " + fileSize + "-byte file can hold");
        }
    }

    /** Walks the raw storages after the pickles, checking each one's length against its declaration. */
    private void locateStorages(ByteInput in, List<?> keys) {
        for (Object k : keys) {
            if (!(k instanceof String key)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " lists a storage key that is not a string");
            }
            TensorRef.Storage s = roots.get(key);
            long headerAt = in.position();
            long numel = in.readLongLe("the length of storage '" + key + "'");
            if (s == null) {
                // torch.save stores exactly the storages the object refers to; without a reference the
                // element size, and so the length to skip, is unknown.
                throw new SrException(ErrorCode.INVALID_MODEL, source + " stores '" + key
                        + "', a storage its object never refers to (its element size is unknown)");
            }
            if (numel != s.numel()) {
                throw new SrException(ErrorCode.INVALID_MODEL, "storage '" + key + "' of " + source + " holds " + numel
                        + " elements at offset " + headerAt + " but the pickle declared " + s.numel());
            }
            long nbytes = numel * s.type().size();
            in.require(nbytes, "storage '" + key + "'");
            if (dataOffsets.put(key, in.position()) != null) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " stores '" + key + "' twice");
            }
            in.skip(nbytes);
        }
        for (String key : roots.keySet()) {
            if (!dataOffsets.containsKey(key)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " refers to storage '" + key
                        + "' but does not store it (truncated?)");
            }
        }
    }

    @Override
    public byte[] bytes(TensorRef.Storage storage) {
        View view = views.get(storage.key());
        TensorRef.Storage root = view == null ? roots.get(storage.key()) : roots.get(view.root());
        long start = dataOffsets.get(root.key()) + (view == null ? 0 : view.offset() * root.type().size());
        return readAt(start, Math.toIntExact(storage.numel() * storage.type().size()), "storage '" + root.key() + "'");
    }

    @Override
    public CheckpointFormat format() {
        return CheckpointFormat.LEGACY;
    }

    @Override
    public Object root() {
        return root;
    }

}
