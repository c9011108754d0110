package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.formats.tfjs.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an unsigned 64-bit little-endian header length, that many bytes of UTF-8
 * JSON mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (begin and
 * end, relative to the byte after the header), an optional {@code __metadata__} map of strings, then
 * the little-endian, C-contiguous data. The header is checked whole (types, shapes, offsets inside
 * the data, sizes matching shapes, no overlaps) before any tensor is read.
 */
final class SafetensorsCheckpoint extends ChannelCheckpoint {
    /** The safetensors library's own limit on the header, and far more than any model needs. */
    static final long MAX_HEADER = 100L << 20;

    private long dataStart;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Long> begins = new HashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    SafetensorsCheckpoint(Path path) {
        super(path);
        reading(() -> {
            long size = channel.size();
            ByteInput in = ByteInput.of(channel, source);
            long n = in.readLongLe("the safetensors header length");
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " claims a safetensors header of "
                        + Long.toUnsignedString(n) + " bytes; the file has " + size + " (and headers are at most "
                        + MAX_HEADER + ")");
            }
            String text = utf8(in.readBytes(n, "the safetensors header"));
            this.dataStart = 8 + n;
            parse(Json.parse(text, source + " (safetensors header)"), size - dataStart);
        });
    }

    private String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("its header is not UTF-8");
        }
    }

    private record Span(String name, long begin, long end) {}

    private void parse(Object header, long dataSize) {
        if (!(header instanceof Map<?, ?> entries)) {
            throw bad("its header is not a JSON object");
        }
        List<Span> spans = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> md)) {
                    throw bad("its __metadata__ is not an object");
                }
                md.forEach((k, v) -> metadata.put((String) k, String.valueOf(v)));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) {
                throw bad("tensor '" + name + "' is not described by an object");
            }
            ScalarType type = info.get("dtype") instanceof String d ? ScalarType.ofSafetensors(d) : null;
            if (type == null) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "tensor '" + name + "' in " + source + " has dtype "
                        + info.get("dtype") + "; srengine reads F32, F16, BF16, F64 and the integer types");
            }
            long[] shape = integers(info.get("shape"), -1, "shape", name);
            long[] offsets = integers(info.get("data_offsets"), 2, "data_offsets", name);
            long begin = offsets[0];
            long end = offsets[1];
            if (begin > end || end > dataSize) {
                throw bad("tensor '" + name + "' lies at bytes " + begin + " to " + end + " of a data section of "
                        + dataSize + " bytes (truncated?)");
            }
            long[] stride = new long[shape.length];
            long numel = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                stride[i] = numel;
                numel = shape[i] == 0 ? 0 : numel > dataSize / shape[i] ? dataSize + 1 : numel * shape[i];
            }
            if (numel * type.size() != end - begin) {
                throw bad("tensor '" + name + "' of shape " + java.util.Arrays.toString(shape) + " and type " + type
                        .torchName() + " needs " + (numel > dataSize ? "more than " + dataSize : numel * type.size())
                        + " bytes but its data_offsets span " + (end - begin));
            }
            TensorRef.Storage storage = new TensorRef.Storage(name, type, numel);
            root.put(name, TensorRef.of(storage, 0, shape, stride, source));
            begins.put(name, begin);
            spans.add(new Span(name, begin, end));
        }
        spans.sort(Comparator.comparingLong(Span::begin));
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i).begin() < spans.get(i - 1).end()) {
                throw bad("tensors '" + spans.get(i - 1).name() + "' and '" + spans.get(i).name() + "' overlap");
            }
        }
    }

    private long[] integers(Object o, int length, String what, String name) {
        if (!(o instanceof List<?> list) || (length >= 0 && list.size() != length) || list.size() > 16) {
            throw bad("tensor '" + name + "' has no valid " + what);
        }
        long[] v = new long[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(list.get(i) instanceof Double d) || d < 0 || d != Math.rint(d) || d > 0x1p53) {
                throw bad("tensor '" + name + "' has " + what + " " + list + ", not non-negative integers");
            }
            v[i] = d.longValue();
        }
        return v;
    }

    private SrException bad(String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, source + " is not a valid safetensors file: " + detail);
    }

    /** The header's {@code __metadata__} strings. */
    Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public byte[] bytes(TensorRef.Storage storage) {
        return readAt(dataStart + begins.get(storage.key()), Math.toIntExact(storage.numel() * storage.type().size()),
                "tensor '" + storage.key() + "'");
    }

    @Override
    public CheckpointFormat format() {
        return CheckpointFormat.SAFETENSORS;
    }

    @Override
    public Object root() {
        return root;
    }

}
