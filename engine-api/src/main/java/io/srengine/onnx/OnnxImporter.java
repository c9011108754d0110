package io.srengine.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.onnx.proto.Onnx.OperatorSetIdProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads ONNX models into srengine's graph IR.
 *
 * <p>The result is <em>canonical</em>: whatever opset the file was written against, operators whose
 * parameters moved from attributes to inputs over the ONNX versions arrive in their newest form, so
 * that op definitions and kernels handle one form only:
 *
 * <ul>
 *   <li>Clip before opset 11: attributes {@code min}/{@code max} become scalar inputs 1 and 2;
 *   <li>Pad before opset 11: attributes {@code pads}/{@code value} become inputs {@code pads} (int64)
 *       and {@code constant_value};
 *   <li>Squeeze, Unsqueeze and ReduceSum before opset 13, the other reductions before opset 18:
 *       attribute {@code axes} becomes the int64 input {@code axes};
 *   <li>Softmax and LogSoftmax before opset 13 normalise the input flattened to 2-D at {@code axis}
 *       (default 1): on the last axis that is the opset-13 meaning and only {@code axis} is made
 *       explicit; elsewhere it becomes Flatten, a Softmax over the last axis and a Reshape back;
 *   <li>Slice before opset 10: attributes {@code starts}/{@code ends}/{@code axes} become inputs;
 *   <li>Upsample (opsets 7 to 9) and Resize at opset 10 become {@code Resize(X, "", scales)} with
 *       {@code coordinate_transformation_mode = "asymmetric"}, {@code mode} "nearest" or "linear",
 *       and {@code nearest_mode = "simple"}. "simple" is not an ONNX mode: it is srengine's name for
 *       what these old operators do in ONNX Runtime, which picks the source pixel by flooring the
 *       source coordinate on an axis that is upsampled and by taking its ceiling on an axis that
 *       is downsampled;
 *   <li>Resize at opsets 11 and 12 passes empty tensors for the roi and scales it does not use; they
 *       become absent inputs (""), as opset 13 writes them;
 *   <li>Dropout becomes Identity (inference), refused if its mask output is used or it is told to
 *       run in training mode;
 *   <li>BatchNormalization loses the attributes {@code spatial}, {@code is_test} and {@code
 *       consumed_inputs} of old opsets and the unused outputs of training mode;
 *   <li>{@code Constant} nodes become initializers.
 * </ul>
 *
 * <p>Models of opset 7 to 21 are read. Opset 6 models (PyTorch's old exports, most of ONNX's
 * pytorch-converted test cases) are accepted too and upgraded to opset 7 on import: what opset 7
 * changed is broadcasting, and the importer rewrites the old forms into numpy-style broadcasting
 * (the {@code broadcast}/{@code axis} attributes of the binary arithmetic and logic ops and of
 * Gemm; PRelu's per-channel slope, which gets trailing axes of size 1). Constants created by these
 * rewrites get fresh names from {@link Graph#freshName}.
 *
 * <p>The importer does not check whether ops are supported: srengine's op registry
 * does that afterwards, so that one message can list every unsupported op of a model.
 */
public final class OnnxImporter {
    /** The oldest opset of the default domain that is read (opset 6 is upgraded to 7). */
    public static final int MIN_OPSET = 6;
    /** The newest opset of the default domain that is read. */
    public static final int MAX_OPSET = 21;

    private OnnxImporter() {}

    /**
     * Parses an ONNX model.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param baseDir directory that external-data paths are relative to, or null when the model came
     *     from bytes or a stream
     * @param source how to name the model in messages (a file name, "bytes", ...)
     * @return the graph as the file describes it, not yet validated or rewritten (see {@link
     *     io.srengine.Model} for a checked, runnable model)
     * @throws SrException {@code INVALID_MODEL} when the bytes are not a readable ONNX model, {@code
     *     UNSUPPORTED_OP} for an opset or element type srengine lacks, {@code INVALID_GRAPH} when values
     *     are defined twice, {@code TENSOR_TOO_LARGE} and {@code IO_ERROR} for tensor data
     */
    public static Graph read(byte[] bytes, Path baseDir, String source) {
        ModelProto model = parse(bytes, source);
        try {
            int opset = defaultOpset(model, source);
            return new OnnxGraphReader(model.getGraph(), baseDir, source, opset).read(model.getMetadataPropsList());
        } catch (SrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, "cannot read " + source + ": " + e, e);
        }
    }

    private static ModelProto parse(byte[] bytes, String source) {
        if (bytes == null || bytes.length == 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is empty (0 bytes), not an ONNX model");
        }
        String kind = sniff(bytes);
        if (kind != null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is not an ONNX model: it looks like " + kind);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is not an ONNX model, or it is truncated or corrupt ("
                    + bytes.length + " bytes): " + e.getMessage(), e);
        }
        // Protobuf accepts many byte strings as a message made of unknown fields; a real model has both.
        if (!model.hasGraph() || model.getIrVersion() <= 0) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + " is not an ONNX model: it has "
                    + (model.hasGraph() ? "a graph but no ir_version" : "no graph") + " (" + bytes.length + " bytes)");
        }
        return model;
    }

    /** A description of well-known non-ONNX file types, or null. */
    private static String sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        }
        if (startsWith(b, 'R', 'I', 'F', 'F')) {
            return "a RIFF file (WebP image or audio)";
        }
        if (startsWith(b, 'P', 'K', 3, 4)) {
            return "a ZIP archive (a PyTorch checkpoint?)";
        }
        if (startsWith(b, 0x1F, 0x8B)) {
            return "a gzip archive";
        }
        if (startsWith(b, 0x80) && b.length > 1 && b[1] >= 2 && b[1] <= 5) {
            return "a Python pickle";
        }
        return looksLikeText(b) ? "a text file" : null;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the start of the file is printable text. A model starts with the varint tag of
     * ir_version (0x08) or another field tag below 0x80 followed by binary data, so it never passes.
     */
    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 256);
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        int printable = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFFFD' || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
                return false;
            }
            printable++;
        }
        return printable > 0;
    }

    /** The opset of the default domain, checked against the supported range. */
    private static int defaultOpset(ModelProto model, String source) {
        long version = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                version = Math.max(version, o.getVersion());
            }
        }
        boolean usesDefault = false;
        for (NodeProto n : model.getGraph().getNodeList()) {
            usesDefault |= n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
        }
        if (version < 0) {
            if (!usesDefault) {
                return MAX_OPSET; // only custom-domain ops: no ONNX opset applies, any version reads them
            }
            if (model.getIrVersion() >= 3) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + " uses ONNX operators but declares no opset"
                        + " for the default domain (opset_import), which IR version " + model.getIrVersion() + " requires");
            }
            version = 1; // before IR version 3 the default domain was implicitly opset 1
        }
        if (version < MIN_OPSET || version > MAX_OPSET) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + " is written against ONNX opset " + version
                    + "; srengine reads opsets " + MIN_OPSET + " to " + MAX_OPSET
                    + (version < MIN_OPSET ? " (convert it with onnx.version_converter)" : ""));
        }
        return (int) version;
    }
}
