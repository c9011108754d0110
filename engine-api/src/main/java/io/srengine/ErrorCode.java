package io.srengine;

/**
 * What went wrong, as a stable code that callers can switch on. Every {@link SrException} carries
 * one; the message says which file, node, op or shape was at fault.
 */
public enum ErrorCode {
    /** The bytes are not a readable ONNX model: truncated, corrupt, or not ONNX at all. */
    INVALID_MODEL,
    /** The model is well-formed ONNX but uses operators or attributes srengine does not implement. */
    UNSUPPORTED_OP,
    /** A graph is structurally broken: a value nobody produces, a cycle, a duplicate output name. */
    INVALID_GRAPH,
    /** Shapes do not compute: a negative or zero output size, mismatched channels, bad broadcast. */
    INVALID_SHAPE,
    /** A tensor of the wrong element type was given or produced. */
    TYPE_MISMATCH,
    /** A run was given the wrong inputs: missing names, wrong rank, wrong channel count. */
    INVALID_INPUT,
    /** A tensor would have more elements than a Java array can index. */
    TENSOR_TOO_LARGE,
    /** An argument to an API call is invalid (negative thread count, unknown option, ...). */
    INVALID_ARGUMENT,
    /** The requested backend is not installed or cannot run here; the message says why. */
    BACKEND_UNAVAILABLE,
    /** A backend failed while running: a CUDA error, an out-of-memory on the device, ... */
    BACKEND_ERROR,
    /** Reading or writing a file failed. */
    IO_ERROR,
    /** An image could not be decoded or encoded. */
    IMAGE_ERROR,
    /** A video could not be demuxed, decoded, encoded or muxed (the message names the frame where it failed). */
    VIDEO_ERROR,
    /**
     * The Java heap ran out: the message names the setting to change (the heap limit, or a smaller
     * tile). Nothing partial was written.
     */
    OUT_OF_MEMORY,
    /** The session or model was used after {@code close()}. */
    CLOSED,
    /** The operation was cancelled by the caller. */
    CANCELLED,
    /** A bug in srengine itself: an invariant that should hold did not. */
    INTERNAL
}
