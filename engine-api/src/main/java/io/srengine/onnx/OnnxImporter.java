package io.srengine.onnx;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import java.nio.file.Path;

/** Reads ONNX models into srengine's graph IR (placeholder until the importer lands). */
public final class OnnxImporter {
    private OnnxImporter() {}

    /**
     * Parses an ONNX model.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param baseDir directory that external-data paths are relative to, or null when the model came
     *     from bytes or a stream
     * @param source how to name the model in messages (a file name, "bytes", ...)
     */
    public static Graph read(byte[] bytes, Path baseDir, String source) {
        throw new SrException(ErrorCode.INTERNAL, "ONNX import is not implemented yet");
    }
}
