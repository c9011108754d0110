package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * srengine's TensorRT plan container: a header srengine can check before TensorRT sees anything,
 * the ONNX model the engine was built from (so a plan alone gives the upscaler its scale, channels
 * and metadata), then TensorRT's serialized engine. All integers big-endian:
 *
 * <pre>
 * 8 bytes   magic "SRTRTPLN"
 * u32       format version ({@value #FORMAT_VERSION})
 * u32       header length L
 * L bytes   header: UTF-8 lines "key=value" (see {@link PlanHeader}), plus onnx.sha256 and engine.sha256
 * u64       ONNX length, then the ONNX bytes
 * u64       engine length, then TensorRT's serialized engine (IHostMemory of buildSerializedNetwork)
 * </pre>
 *
 * Reading checks the magic, the version, every length against the file's size and both SHA-256
 * digests, so a truncated or damaged file is refused before it reaches TensorRT's deserialiser.
 *
 * <p>The byte arrays are not copied in or out: do not change them while a plan is in use.
 *
 * @param header what the plan was built for
 * @param onnx the ONNX model TensorRT parsed
 * @param engine TensorRT's serialized engine
 */
public record PlanFile(PlanHeader header, byte[] onnx, byte[] engine) {
    static final byte[] MAGIC = "SRTRTPLN".getBytes(StandardCharsets.US_ASCII);
    /** The container version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final int MAX_HEADER = 1 << 16;

    /**
     * The container's bytes, with fresh SHA-256 digests of both parts.
     *
     * @return the plan file's content
     */
    public byte[] toBytes() {
        Map<String, String> m = header.toMap();
        m.put("onnx.sha256", sha256(onnx));
        m.put("engine.sha256", sha256(engine));
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + text.length + 16 + onnx.length + engine.length);
        b.put(MAGIC).putInt(FORMAT_VERSION).putInt(text.length).put(text);
        b.putLong(onnx.length).put(onnx).putLong(engine.length).put(engine);
        return b.array();
    }

    /**
     * Reads a plan file; see {@link #parse}.
     *
     * @param file the plan file
     * @return the plan
     * @throws SrException {@code IO_ERROR} when the file cannot be read, and the codes of {@link #parse}
     */
    public static PlanFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "plan file not found: " + file, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read plan file " + file + ": " + e, e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses a container.
     *
     * @param bytes the container's bytes
     * @param source the file name for messages
     * @return the plan, with copies of its parts
     * @throws SrException {@code INVALID_MODEL} when the bytes are not an srengine plan (naming what
     *     they look like), are of an unknown format version, are truncated or fail a digest
     */
    public static PlanFile parse(byte[] bytes, String source) {
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is not an srengine TensorRT plan ("
                    + looksLike(bytes) + "); build one with `srengine trt-build MODEL.onnx --out FILE.plan`");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(MAGIC.length);
        try {
            int version = b.getInt();
            if (version != FORMAT_VERSION) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " is an srengine plan of format version " + version
                        + "; this srengine reads version " + FORMAT_VERSION + "; rebuild it with `srengine trt-build`");
            }
            int len = b.getInt();
            if (len < 0 || len > MAX_HEADER || len > b.remaining()) {
                throw truncated(source, "header of " + len + " bytes");
            }
            byte[] text = new byte[len];
            b.get(text);
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            PlanHeader header = PlanHeader.fromMap(m, source);
            byte[] onnx = section(b, source, "ONNX model");
            byte[] engine = section(b, source, "TensorRT engine");
            if (b.hasRemaining()) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " has " + b.remaining()
                        + " bytes after the TensorRT engine; it is not a plan srengine wrote");
            }
            checkDigest(m, "onnx.sha256", onnx, source);
            checkDigest(m, "engine.sha256", engine, source);
            return new PlanFile(header, onnx, engine);
        } catch (BufferUnderflowException e) {
            throw truncated(source, "header");
        }
    }

    private static byte[] section(ByteBuffer b, String source, String what) {
        long n = b.getLong();
        if (n < 0 || n > b.remaining()) {
            throw truncated(source, what + " of " + n + " bytes, " + b.remaining() + " left");
        }
        byte[] out = new byte[(int) n];
        b.get(out);
        return out;
    }

    private static SrException truncated(String source, String what) {
        return new SrException(ErrorCode.INVALID_MODEL, source + " is truncated or damaged: the " + what
                + " does not fit in the file");
    }

    private static void checkDigest(Map<String, String> m, String key, byte[] data, String source) {
        String want = m.get(key);
        if (want == null || !want.equals(sha256(data))) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is damaged: the " + key.substring(0, key.indexOf('.'))
                    + " section does not match its SHA-256 digest");
        }
    }

    /** A hint of what a file that is not a plan is, for the message. */
    static String looksLike(byte[] b) {
        if (b.length == 0) {
            return "it is empty";
        }
        if (b.length > 4 && b[0] == 0x08 && (b[1] & 0xff) < 0x20) {
            return "it looks like an ONNX model";
        }
        return "it does not start with \"SRTRTPLN\"";
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
