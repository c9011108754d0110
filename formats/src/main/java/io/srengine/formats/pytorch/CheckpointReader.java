package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the state dict of a checkpoint file: PyTorch's zip format ({@code .pth}, {@code .pt},
 * {@code .ckpt} since PyTorch 1.6), its legacy pickle format, or safetensors, told apart by content.
 *
 * <p>Pickles are read by srengine's own {@link Unpickler}, which runs nothing: only the globals a
 * state dict needs are accepted ({@link TorchPickle}), and a pickle naming any other (say {@code
 * posix.system}) is refused with that name before anything is built. Every size, offset and shape is
 * checked against the file before memory is allocated for it.
 *
 * <p>The state dict is found the way training code stores it: inside {@code model_state_dict},
 * {@code state_dict}, {@code params_ema} (preferred to {@code params}), {@code params}, {@code model}
 * or {@code net} when the top level is a dict holding one of them, inside the only entry of a
 * one-entry dict, and with a {@code module.} (DataParallel) or {@code netG.} prefix shared by every
 * key removed. Only the tensors of the chosen dict are read from the file.
 */
public final class CheckpointReader {
    /** Wrapper keys in order of preference, as training code and spandrel use them. */
    static final List<String> WRAPPERS = List.of("model_state_dict", "state_dict", "params_ema", "params-ema", "params",
            "model", "net");
    /** Prefixes every key may share: DataParallel's, and BasicSR/ESRGAN training's generator name. */
    static final List<String> PREFIXES = List.of("module.", "netG.");

    private static final byte[] LEGACY_MAGIC = {(byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
        0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};
    private static final List<String> ZIP_EXTENSIONS = List.of(".pth", ".pt", ".ckpt", ".bin", ".tar");

    private CheckpointReader() {}

    /**
     * The format a file's first bytes announce, or null. A zip file counts unless its first entry,
     * seen whole, is not a {@code data.pkl} and its name lacks a checkpoint extension (no zip is an
     * ONNX file, so claiming one costs nothing but a clearer message); a pickle only when it starts with
     * {@code torch.save}'s magic number; safetensors when a plausible header length is followed by
     * a <code>&#123;</code>.
     */
    public static CheckpointFormat sniff(Path path, byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
            Boolean dataPkl = firstZipEntryIsDataPkl(head);
            return dataPkl == null || dataPkl || ZIP_EXTENSIONS.stream().anyMatch(name::endsWith)
                    ? CheckpointFormat.ZIP : null;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            int at = 2;
            if (head.length > at && (head[at] & 0xff) == 0x95) {
                at += 9; // FRAME and its length
            }
            if (head.length >= at + LEGACY_MAGIC.length
                    && java.util.Arrays.equals(head, at, at + LEGACY_MAGIC.length, LEGACY_MAGIC, 0, LEGACY_MAGIC.length)) {
                return CheckpointFormat.LEGACY;
            }
            return null;
        }
        if (head.length >= 10) {
            long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n >= 2 && n <= SafetensorsCheckpoint.MAX_HEADER && head[8] == '{'
                    && (head[9] == '"' || head[9] == '}' || Character.isWhitespace(head[9]))) {
                return CheckpointFormat.SAFETENSORS;
            }
        }
        return null;
    }

    /**
     * Whether the first zip entry is {@code <folder>/data.pkl}, as torch.save writes it; null when its
     * name runs past the head (PyTorch names the folder after the file, so it can be long).
     */
    private static Boolean firstZipEntryIsDataPkl(byte[] head) {
        if (head.length < 30) {
            return false;
        }
        int nameLength = (head[26] & 0xff) | (head[27] & 0xff) << 8;
        if (30 + nameLength > head.length) {
            return null;
        }
        return new String(head, 30, nameLength, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("/data.pkl");
    }

    /**
     * Reads a checkpoint's state dict.
     *
     * @throws SrException {@code IO_ERROR} when the file cannot be read; {@code INVALID_MODEL} when it is
     *     not a checkpoint, is damaged or truncated, refers to a global srengine does not allow (named
     *     in the message), or holds no tensors; {@code UNSUPPORTED_OP} for tensor types srengine
     *     cannot read
     */
    public static StateDict read(Path path) {
        try (CheckpointFile file = open(path)) {
            return stateDict(file, path.toString(), fileSize(path));
        }
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static CheckpointFile open(Path path) {
        byte[] head;
        long size;
        try (var in = Files.newInputStream(path)) {
            head = in.readNBytes(64);
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "checkpoint file not found: " + path, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
        CheckpointFormat format = sniff(path, head);
        if (format == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, path + " is not a PyTorch checkpoint (zip or legacy pickle"
                    + " written by torch.save) nor a safetensors file" + (size == 0 ? ": it is empty" : ""));
        }
        return switch (format) {
            case ZIP -> new ZipCheckpoint(path, size);
            case LEGACY -> new LegacyCheckpoint(path, size);
            case SAFETENSORS -> new SafetensorsCheckpoint(path);
        };
    }

    static StateDict stateDict(CheckpointFile file, String source, long fileSize) {
        List<String> where = new ArrayList<>();
        Map<String, TensorRef> refs = unwrap(file.root(), source, where);
        // Views may overlap or repeat (stride 0), so their sizes are claims too: what is materialised
        // must stay in proportion to the data the file really holds.
        long total = 0;
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef.Storage s = e.getValue().storage();
            total += e.getValue().numel();
            if (s.numel() * s.type().size() > Integer.MAX_VALUE - 8) {
                throw new SrException(ErrorCode.TENSOR_TOO_LARGE, "tensor '" + e.getKey() + "' in " + source
                        + " lies in a storage of " + s.numel() * s.type().size() + " bytes, more than srengine reads at once");
            }
            if (total > fileSize + (1 << 20)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " describes tensors of " + total
                        + " elements in all (up to '" + e.getKey() + "'), out of proportion to its " + fileSize
                        + " bytes (views that repeat their data?)");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, ScalarType> types = new LinkedHashMap<>();
        Map<TensorRef.Storage, byte[]> cache = new HashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef ref = e.getValue();
            byte[] data = cache.computeIfAbsent(ref.storage(), file::bytes);
            tensors.put(e.getKey(), materialize(ref, data, file.order()));
            types.put(e.getKey(), ref.storage().type());
        }
        return new StateDict(tensors, types, source, file.format(), String.join(", ", where));
    }

    /** Finds the dict of tensors inside the top-level object; records how in {@code where}. */
    static Map<String, TensorRef> unwrap(Object root, String source, List<String> where) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " holds a " + Unpickler.typeName(root)
                    + ", not a dict of tensors (a state dict)");
        }
        for (String w : WRAPPERS) {
            if (map.get(w) instanceof Map<?, ?> inner) {
                where.add(w);
                map = inner;
                break;
            }
        }
        if (map.size() == 1 && map.values().iterator().next() instanceof Map<?, ?> inner) {
            where.add(String.valueOf(map.keySet().iterator().next()));
            map = inner;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof TensorRef t) {
                out.put(k, t);
            }
        }
        if (out.isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (Object k : map.keySet()) {
                if (keys.size() == 8) {
                    keys.add("...");
                    break;
                }
                keys.add(String.valueOf(k));
            }
            throw new SrException(ErrorCode.INVALID_MODEL, source + " holds no tensors" + (where.isEmpty() ? "" : " in '"
                    + String.join("/", where) + "'") + "; its keys are " + keys);
        }
        for (String prefix : PREFIXES) {
            if (out.keySet().stream().allMatch(k -> k.startsWith(prefix) && k.length() > prefix.length())) {
                Map<String, TensorRef> stripped = new LinkedHashMap<>();
                out.forEach((k, v) -> stripped.put(k.substring(prefix.length()), v));
                out = stripped;
                where.add("prefix '" + prefix + "' removed");
            }
        }
        return out;
    }

    /** The view's elements as a contiguous tensor: float32 for floating types, int64 otherwise. */
    static Tensor materialize(TensorRef ref, byte[] data, ByteOrder order) {
        ScalarType type = ref.storage().type();
        int n = Math.toIntExact(ref.numel());
        ByteBuffer buf = ByteBuffer.wrap(data).order(order);
        int[] shape = ref.intShape();
        if (!type.isFloating()) {
            long[] v = new long[n];
            forEachIndex(ref, (i, e) -> v[i] = readLong(buf, type, e));
            return Tensor.ofLongs(v, shape);
        }
        float[] v = new float[n];
        if (ref.contiguous()) {
            long base = ref.offset();
            for (int i = 0; i < n; i++) {
                v[i] = readFloat(buf, type, base + i);
            }
        } else {
            forEachIndex(ref, (i, e) -> v[i] = readFloat(buf, type, e));
        }
        return Tensor.of(v, shape);
    }

    private interface IndexConsumer {
        void accept(int index, long element);
    }

    /** Visits the view's elements in C order: (position in the result, element index in storage). */
    private static void forEachIndex(TensorRef ref, IndexConsumer c) {
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        int n = Math.toIntExact(ref.numel());
        long[] idx = new long[shape.length];
        long e = ref.offset();
        for (int i = 0; i < n; i++) {
            c.accept(i, e);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    e += stride[d];
                    break;
                }
                e -= (shape[d] - 1) * stride[d];
                idx[d] = 0;
            }
        }
    }

    private static float readFloat(ByteBuffer b, ScalarType type, long element) {
        int at = (int) (element * type.size());
        return switch (type) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT16 -> Float.float16ToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case FLOAT64 -> (float) b.getDouble(at);
            default -> throw new IllegalStateException(type.name());
        };
    }

    private static long readLong(ByteBuffer b, ScalarType type, long element) {
        int at = (int) (element * type.size());
        return switch (type) {
            case INT64 -> b.getLong(at);
            case INT32 -> b.getInt(at);
            case INT16 -> b.getShort(at);
            case INT8 -> b.get(at);
            case UINT8 -> b.get(at) & 0xff;
            case BOOL -> b.get(at) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(type.name());
        };
    }
}
