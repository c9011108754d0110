package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads an ncnn {@code .bin}: no header, the weights of every layer in the order of the
 * {@code .param}, each array either
 *
 * <ul>
 *   <li>raw float32 (biases, slopes, scales: ncnn's {@code ModelBin::load(w, 1)}), or
 *   <li>a weight array ({@code load(w, 0)}): a 4-byte tag, then float16 ({@code 0x01306B47}, padded to
 *       4 bytes), int8 ({@code 0x000D4B38}, padded), float32 (tag 0, or {@code 0x0002C056}), or for
 *       any other non-zero tag a 256-entry float32 table followed by one uint8 index per value
 *       (padded).
 * </ul>
 *
 * Every read checks the bytes left before allocating anything, and names the layer where the file
 * ran out; {@link #finish} names the bytes left over after the last layer.
 */
final class NcnnWeights {
    static final int TAG_FP16 = 0x01306B47;
    static final int TAG_INT8 = 0x000D4B38;
    static final int TAG_FP32_SCALED = 0x0002C056;

    private final ByteBuffer buf;
    private final String source;
    private String lastLayer = "(none)";

    NcnnWeights(byte[] bytes, String source) {
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /** How the weights of a weight array were stored. */
    enum Storage {
        FLOAT32, FLOAT16, INT8, QUANTIZED_TABLE
    }

    /** A weight array as float32, with how it was stored (int8 values are returned unscaled). */
    record Blob(float[] values, Storage storage) {}

    /** A raw float32 array of {@code count} values ({@code ModelBin::load(count, 1)}). */
    float[] raw(int count, NcnnParam.Layer layer, String what) {
        lastLayer = layer.describe();
        checkCount(count, layer, what);
        need((long) count * 4, layer, what, count + " float32 values");
        float[] out = new float[count];
        buf.asFloatBuffer().get(out);
        buf.position(buf.position() + count * 4);
        return out;
    }

    /** A tagged weight array of {@code count} values ({@code ModelBin::load(count, 0)}). */
    Blob weights(int count, NcnnParam.Layer layer, String what) {
        lastLayer = layer.describe();
        checkCount(count, layer, what);
        need(4, layer, what, "the 4-byte storage tag");
        int at = buf.position();
        int tag = buf.getInt();
        int byteSum = (tag & 0xff) + ((tag >>> 8) & 0xff) + ((tag >>> 16) & 0xff) + ((tag >>> 24) & 0xff);
        if (tag == TAG_FP16) {
            long size = align4(2L * count);
            need(size, layer, what, count + " float16 values (tag at offset " + at + ")");
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = Float.float16ToFloat(buf.getShort());
            }
            skip(size - 2L * count);
            return new Blob(out, Storage.FLOAT16);
        }
        if (tag == TAG_INT8) {
            long size = align4(count);
            need(size, layer, what, count + " int8 values (tag at offset " + at + ")");
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = buf.get();
            }
            skip(size - count);
            return new Blob(out, Storage.INT8);
        }
        if (tag == TAG_FP32_SCALED || tag == 0) {
            need(4L * count, layer, what, count + " float32 values (tag at offset " + at + ")");
            float[] out = new float[count];
            buf.asFloatBuffer().get(out);
            buf.position(buf.position() + count * 4);
            return new Blob(out, Storage.FLOAT32);
        }
        if (byteSum != 0) {
            long size = 256L * 4 + align4(count);
            need(size, layer, what, "a 256-entry table and " + count + " uint8 indices (tag 0x"
                    + Integer.toHexString(tag) + " at offset " + at + ")");
            float[] table = new float[256];
            buf.asFloatBuffer().get(table);
            buf.position(buf.position() + 256 * 4);
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = table[buf.get() & 0xff];
            }
            skip(align4(count) - count);
            return new Blob(out, Storage.QUANTIZED_TABLE);
        }
        throw new SrException(ErrorCode.INTERNAL, "unreachable tag " + tag);
    }

    /** Fails when bytes are left after the last layer: the .bin does not belong to this .param. */
    void finish() {
        if (buf.hasRemaining()) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " has " + buf.remaining() + " bytes left over after "
                    + lastLayer + ", the last layer with weights, read " + buf.position() + " bytes; the .bin does not"
                    + " belong to this .param (or is damaged)");
        }
    }

    private void checkCount(int count, NcnnParam.Layer layer, String what) {
        if (count < 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, layer.describe() + " declares " + count + " values of " + what);
        }
    }

    private void need(long bytes, NcnnParam.Layer layer, String what, String detail) {
        if (buf.remaining() < bytes) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is truncated: " + layer.describe() + " needs "
                    + detail + " for its " + what + " (" + bytes + " bytes) at offset " + buf.position() + ", but only "
                    + buf.remaining() + " bytes remain");
        }
    }

    private void skip(long n) {
        buf.position(buf.position() + (int) n);
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
