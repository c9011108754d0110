package io.srengine.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.onnx.proto.Onnx.StringStringEntryProto;
import io.srengine.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Converts between ONNX {@code TensorProto}s and {@link Tensor}s, for initializers, {@code Constant}
 * values, attribute tensors and the {@code .pb} files of ONNX test cases.
 *
 * <p>Reading accepts every layout the ONNX specification allows: {@code raw_data} (little-endian),
 * the typed fields ({@code float_data}, {@code double_data}, {@code int64_data}, and {@code
 * int32_data}, which also carries FLOAT16/BFLOAT16 bit patterns, INT8, UINT8 and BOOL), and external
 * data ({@code data_location = EXTERNAL} with the keys {@code location}, {@code offset} and {@code
 * length}). External files must lie inside the model's directory: absolute paths and paths that
 * climb out with {@code ..} are refused. Writing always uses {@code raw_data}.
 */
public final class OnnxTensors {
    /** External data is read in pieces of this many bytes, so a tensor may exceed 2 GiB of bytes. */
    private static final int CHUNK = 1 << 20;

    private OnnxTensors() {}

    /**
     * Converts a tensor proto.
     *
     * @param proto the tensor proto
     * @param baseDir directory that external-data paths are relative to, or null when there is none
     * @param source how to name the model or file in messages
     * @return a new tensor holding a copy of the data
     * @throws SrException {@code INVALID_MODEL} when the data does not match the dims or is unreadable,
     *     {@code UNSUPPORTED_OP} for an element type srengine lacks, {@code TENSOR_TOO_LARGE} when the
     *     dims exceed what an array can index, {@code IO_ERROR} when an external file cannot be read
     */
    public static Tensor fromProto(TensorProto proto, Path baseDir, String source) {
        return read(proto, baseDir, "tensor '" + proto.getName() + "' in " + source);
    }

    /** Like {@link #fromProto}, with {@code what} naming the tensor in messages. */
    static Tensor read(TensorProto proto, Path baseDir, String what) {
        DataType type = dataType(proto.getDataType(), what);
        int[] shape = shape(proto.getDimsList().stream().mapToLong(Long::longValue).toArray(), what);
        int n = Tensor.checkedSize(shape);
        Tensor out = Tensor.allocate(type, shape);
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            readExternal(proto, baseDir, what, out, n);
        } else if (proto.hasRawData()) {
            ByteString raw = proto.getRawData();
            long want = (long) n * type.byteSize();
            if (raw.size() != want) {
                throw invalid(what + " has dims " + dims(proto) + " (" + n + " elements of " + type + ", "
                        + want + " bytes) but raw_data holds " + raw.size() + " bytes");
            }
            decode(raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN), out, 0, n);
        } else {
            readTypedFields(proto, what, out, n);
        }
        return out;
    }

    /**
     * Converts a tensor to a proto named {@code name}, with its data in {@code raw_data}.
     *
     * @param name the proto's name
     * @param tensor the tensor
     * @return the proto
     * @throws SrException {@code TENSOR_TOO_LARGE} when the data exceeds what a protobuf message can hold
     */
    public static TensorProto toProto(String name, Tensor tensor) {
        int n = tensor.size();
        long bytes = (long) n * tensor.dataType().byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new SrException(ErrorCode.TENSOR_TOO_LARGE, "tensor '" + name + "' " + tensor + " has " + bytes
                    + " bytes, more than a protobuf message can hold");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.dataType()) {
            case FLOAT32 -> buf.asFloatBuffer().put(tensor.floats());
            case FLOAT16, BFLOAT16 -> buf.asShortBuffer().put(tensor.shorts());
            case FLOAT64 -> buf.asDoubleBuffer().put(tensor.doubles());
            case INT64 -> buf.asLongBuffer().put(tensor.longs());
            case INT32 -> buf.asIntBuffer().put(tensor.ints());
            case INT8, UINT8, BOOL -> buf.put(tensor.bytes());
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(tensor.dataType().onnxCode());
        for (int d : tensor.shape()) {
            b.addDims(d);
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /**
     * Reads a serialized {@code TensorProto} file, such as the {@code input_0.pb} files of an ONNX
     * test case; external data is looked up next to it.
     *
     * @param file the {@code .pb} file
     * @return the tensor
     * @throws SrException {@code IO_ERROR} when the file cannot be read, {@code INVALID_MODEL} when it
     *     does not hold a tensor, and the codes of {@link #fromProto}
     */
    public static Tensor readFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "tensor file not found: " + file, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read tensor file " + file + ": " + e.getMessage(), e);
        }
        TensorProto proto;
        try {
            proto = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, file + " is not a serialized ONNX TensorProto: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return fromProto(proto, dir, file.toString());
    }

    /**
     * Writes {@code tensor} as a serialized {@code TensorProto} named {@code name}, replacing the file.
     *
     * @param file the file to write
     * @param name the proto's name
     * @param tensor the tensor
     * @throws SrException {@code IO_ERROR} when the file cannot be written, {@code TENSOR_TOO_LARGE} as for
     *     {@link #toProto}
     */
    public static void writeFile(Path file, String name, Tensor tensor) {
        try {
            Files.write(file, toProto(name, tensor).toByteArray());
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write tensor file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The srengine type of an ONNX element type code.
     *
     * @param onnxCode the {@code TensorProto.DataType} number
     * @param what names the tensor or value in the message
     * @return the type
     * @throws SrException {@code INVALID_MODEL} for UNDEFINED (0), {@code UNSUPPORTED_OP} for a type
     *     srengine lacks, named as in the ONNX specification
     */
    public static DataType dataType(int onnxCode, String what) {
        DataType t = DataType.fromOnnx(onnxCode);
        if (t != null) {
            return t;
        }
        if (onnxCode == 0) {
            throw invalid(what + " has no element type (UNDEFINED)");
        }
        throw new SrException(ErrorCode.UNSUPPORTED_OP, what + " has element type " + DataType.onnxName(onnxCode)
                + ", which srengine does not support (supported: " + Arrays.toString(DataType.values()) + ")");
    }

    /**
     * Checks ONNX dims and narrows them to ints.
     *
     * @throws SrException {@code INVALID_MODEL} for a negative dim, {@code TENSOR_TOO_LARGE} when a dim
     *     or the element count does not fit an array index
     */
    static int[] shape(long[] dims, String what) {
        int[] shape = new int[dims.length];
        long n = 1;
        boolean tooLarge = false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw invalid(what + " has a negative dimension in " + Arrays.toString(dims));
            }
            if (dims[i] > Tensor.MAX_ELEMENTS) {
                tooLarge = true;
            } else {
                shape[i] = (int) dims[i];
                n = Math.min(n * dims[i], Tensor.MAX_ELEMENTS + 1);
            }
        }
        if (tooLarge || n > Tensor.MAX_ELEMENTS) {
            throw new SrException(ErrorCode.TENSOR_TOO_LARGE, what + " has dims " + Arrays.toString(dims)
                    + ", more than " + Tensor.MAX_ELEMENTS + " elements, too many to index with an int");
        }
        return shape;
    }

    private static void readTypedFields(TensorProto p, String what, Tensor out, int n) {
        switch (out.dataType()) {
            case FLOAT32 -> {
                checkCount(p, what, "float_data", p.getFloatDataCount(), n);
                float[] o = out.floats();
                for (int i = 0; i < n; i++) {
                    o[i] = p.getFloatData(i);
                }
            }
            case FLOAT64 -> {
                checkCount(p, what, "double_data", p.getDoubleDataCount(), n);
                double[] o = out.doubles();
                for (int i = 0; i < n; i++) {
                    o[i] = p.getDoubleData(i);
                }
            }
            case INT64 -> {
                checkCount(p, what, "int64_data", p.getInt64DataCount(), n);
                long[] o = out.longs();
                for (int i = 0; i < n; i++) {
                    o[i] = p.getInt64Data(i);
                }
            }
            case INT32 -> {
                checkCount(p, what, "int32_data", p.getInt32DataCount(), n);
                int[] o = out.ints();
                for (int i = 0; i < n; i++) {
                    o[i] = p.getInt32Data(i);
                }
            }
            case FLOAT16, BFLOAT16 -> {
                // The specification stores 16-bit floats as their bit pattern in the low half of each int32.
                checkCount(p, what, "int32_data", p.getInt32DataCount(), n);
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    o[i] = (short) p.getInt32Data(i);
                }
            }
            case INT8, UINT8 -> {
                checkCount(p, what, "int32_data", p.getInt32DataCount(), n);
                byte[] o = out.bytes();
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) p.getInt32Data(i);
                }
            }
            case BOOL -> {
                checkCount(p, what, "int32_data", p.getInt32DataCount(), n);
                byte[] o = out.bytes();
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) (p.getInt32Data(i) != 0 ? 1 : 0);
                }
            }
        }
    }

    private static void checkCount(TensorProto p, String what, String field, int count, int n) {
        if (count != n) {
            throw invalid(what + " has dims " + dims(p) + " (" + n + " elements of "
                    + DataType.onnxName(p.getDataType()) + ") but " + field + " holds " + count + " values"
                    + (count == 0 ? " and there is no raw_data" : ""));
        }
    }

    private static void readExternal(TensorProto p, Path baseDir, String what, Tensor out, int n) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset", what);
                case "length" -> length = parseLong(e.getValue(), "length", what);
                default -> { } // "checksum" and future keys do not change where the bytes are
            }
        }
        if (location == null || location.isEmpty()) {
            throw invalid(what + " has external data without a location");
        }
        if (baseDir == null) {
            throw invalid(what + " keeps its data in the external file '" + location
                    + "', which cannot be found for a model loaded from bytes or a stream; load it from its file path");
        }
        Path file = resolveInside(baseDir, location, what);
        long want = (long) n * out.dataType().byteSize();
        if (length >= 0 && length != want) {
            throw invalid(what + " has dims " + dims(p) + " (" + want + " bytes) but its external data length is " + length);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + want > ch.size()) {
                throw invalid(what + " needs " + want + " bytes at offset " + offset + " of external file " + file
                        + ", which has only " + ch.size() + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(want, 8))).order(ByteOrder.LITTLE_ENDIAN);
            int size = out.dataType().byteSize();
            long pos = offset;
            int done = 0;
            while (done < n) {
                buf.clear();
                int count = (int) Math.min(n - done, buf.capacity() / size);
                buf.limit(count * size);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw invalid("external file " + file + " of " + what + " ended early");
                    }
                }
                buf.flip();
                decode(buf, out, done, count);
                done += count;
                pos += (long) count * size;
            }
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "external data file of " + what + " not found: " + file, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read external data file " + file + " of " + what
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code location} resolved against {@code baseDir}, refusing anything that would leave it. */
    private static Path resolveInside(Path baseDir, String location, String what) {
        Path rel;
        try {
            rel = Path.of(location);
        } catch (RuntimeException e) {
            throw invalid(what + " has an unusable external data location '" + location + "'");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw invalid(what + " has the absolute external data location '" + location
                    + "'; external data must be a path relative to the model's directory");
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            throw invalid(what + " has the external data location '" + location
                    + "', which points outside the model's directory " + base);
        }
        return file;
    }

    private static long parseLong(String value, String key, String what) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(what + " has external data " + key + " '" + value + "', which is not a non-negative integer");
        }
    }

    /** Decodes {@code count} little-endian elements from {@code src} into {@code out} at element {@code at}. */
    private static void decode(ByteBuffer src, Tensor out, int at, int count) {
        switch (out.dataType()) {
            case FLOAT32 -> src.asFloatBuffer().get(out.floats(), at, count);
            case FLOAT16, BFLOAT16 -> src.asShortBuffer().get(out.shorts(), at, count);
            case FLOAT64 -> src.asDoubleBuffer().get(out.doubles(), at, count);
            case INT64 -> src.asLongBuffer().get(out.longs(), at, count);
            case INT32 -> src.asIntBuffer().get(out.ints(), at, count);
            case INT8, UINT8 -> src.get(out.bytes(), at, count);
            case BOOL -> {
                byte[] o = out.bytes();
                src.get(o, at, count);
                for (int i = at; i < at + count; i++) {
                    o[i] = (byte) (o[i] != 0 ? 1 : 0);
                }
            }
        }
    }

    private static String dims(TensorProto p) {
        return p.getDimsList().toString();
    }

    private static SrException invalid(String message) {
        return new SrException(ErrorCode.INVALID_MODEL, message);
    }
}
