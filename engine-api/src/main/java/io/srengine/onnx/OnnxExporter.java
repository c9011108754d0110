package io.srengine.onnx;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;

/** Writes srengine graphs as ONNX models (placeholder until the exporter lands). */
public final class OnnxExporter {
    private OnnxExporter() {}

    /** Serializes {@code graph} as an ONNX {@code ModelProto} with its opset and metadata. */
    public static byte[] toBytes(Graph graph) {
        throw new SrException(ErrorCode.INTERNAL, "ONNX export is not implemented yet");
    }
}
