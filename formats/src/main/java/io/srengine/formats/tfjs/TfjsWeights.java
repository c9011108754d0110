package io.srengine.formats.tfjs;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the {@code weightsManifest} of a TF.js model: each group lists its shard files and the
 * weights stored back to back in the concatenation of those shards, little-endian. Weights come out
 * as float32 whatever their stored form: float32, int32, float16, or affine-quantized uint8/uint16
 * ({@code value = q * scale + min}, as TF.js dequantizes them).
 */
final class TfjsWeights {
    /** One decoded weight: float32 values in the manifest's (TensorFlow) layout. */
    record Weight(String name, int[] shape, float[] values) {}

    private TfjsWeights() {}

    /**
     * Reads every weight of the manifest.
     *
     * @param shards reads a shard file named by a manifest path
     * @param source the model file, for messages
     * @throws SrException {@code INVALID_MODEL} when the manifest is malformed, a dtype is unknown or the
     *     shards are shorter or longer than the weights they should hold; {@code IO_ERROR} from {@code shards}
     */
    static Map<String, Weight> read(List<Object> manifest, TfjsImporter.ShardReader shards, String source) {
        Map<String, Weight> out = new LinkedHashMap<>();
        for (int g = 0; g < manifest.size(); g++) {
            Cfg group = Cfg.of(manifest.get(g), "weightsManifest[" + g + "] of " + source);
            ByteBuffer data = ByteBuffer.wrap(concat(group, shards, source)).order(ByteOrder.LITTLE_ENDIAN);
            List<Object> specs = group.list("weights");
            for (int i = 0; i < specs.size(); i++) {
                Cfg spec = Cfg.of(specs.get(i), "weight " + i + " of weightsManifest[" + g + "] of " + source);
                Weight w = decode(spec, data, group.context());
                if (out.put(w.name(), w) != null) {
                    throw new SrException(ErrorCode.INVALID_MODEL, source + " lists weight '" + w.name() + "' twice");
                }
            }
            if (data.hasRemaining()) {
                throw new SrException(ErrorCode.INVALID_MODEL, "the shards of " + group.context() + " hold "
                        + data.capacity() + " bytes but its weights use only " + data.position()
                        + " (wrong or mismatched shard files?)");
            }
        }
        return out;
    }

    private static byte[] concat(Cfg group, TfjsImporter.ShardReader shards, String source) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Object p : group.list("paths")) {
            if (!(p instanceof String path)) {
                throw new SrException(ErrorCode.INVALID_MODEL, group.context() + ": a shard path is not a string: " + p);
            }
            all.writeBytes(shards.read(path));
        }
        return all.toByteArray();
    }

    private static Weight decode(Cfg spec, ByteBuffer data, String groupContext) {
        String name = spec.str("name");
        String ctx = "weight '" + name + "' in " + groupContext;
        List<Object> dims = spec.list("shape");
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Cfg.toInt(dims.get(i), ctx + ", shape");
            if (shape[i] < 0) {
                throw new SrException(ErrorCode.INVALID_MODEL, ctx + " has a negative dimension in its shape " + dims);
            }
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new SrException(ErrorCode.TENSOR_TOO_LARGE, ctx + " has too many elements: shape " + dims);
            }
        }
        int n = (int) count;
        String dtype = spec.str("dtype");
        Cfg quant = spec.has("quantization") ? spec.obj("quantization") : null;
        String stored = quant != null ? quant.str("dtype") : dtype;
        int width = switch (stored) {
            case "float32", "int32" -> 4;
            case "float16", "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw new SrException(ErrorCode.INVALID_MODEL, ctx + " is stored as '" + stored
                    + "', which srengine cannot read (float32, int32, float16, uint8 and uint16 are supported)");
        };
        if (quant != null && !dtype.equals("float32")) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " is quantized to " + stored + " from '" + dtype
                    + "'; only float32 weights are expected here");
        }
        if ((long) n * width > data.remaining()) {
            throw new SrException(ErrorCode.INVALID_MODEL, ctx + " needs " + (long) n * width + " bytes at offset "
                    + data.position() + " but the shards hold only " + data.capacity() + " (truncated shard files?)");
        }
        float[] v = new float[n];
        switch (stored) {
            case "float32" -> data.asFloatBuffer().get(v);
            case "int32" -> {
                for (int i = 0; i < n; i++) {
                    v[i] = data.getInt(data.position() + 4 * i);
                }
            }
            case "float16" -> {
                for (int i = 0; i < n; i++) {
                    v[i] = Float.float16ToFloat(data.getShort(data.position() + 2 * i));
                }
            }
            default -> {
                double scale = quant.num("scale");
                double min = quant.num("min");
                boolean bytes = stored.equals("uint8");
                for (int i = 0; i < n; i++) {
                    int q = bytes ? data.get(data.position() + i) & 0xff : data.getShort(data.position() + 2 * i) & 0xffff;
                    v[i] = (float) (q * scale + min);
                }
            }
        }
        data.position(data.position() + n * width);
        return new Weight(name, shape, v);
    }
}
