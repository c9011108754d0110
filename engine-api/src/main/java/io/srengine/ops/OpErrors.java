package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Node;
import java.util.Arrays;

/** Exceptions prefixed with the node at fault, for spec classes that see a node but no inference context. */
final class OpErrors {
    private OpErrors() {}

    /** Shapes that do not compute. */
    static SrException shape(Node node, String message) {
        return new SrException(ErrorCode.INVALID_SHAPE, node.describe() + ": " + message);
    }

    /** An attribute value the ONNX specification does not allow. */
    static SrException attribute(Node node, String message) {
        return new SrException(ErrorCode.INVALID_MODEL, node.describe() + ": " + message);
    }

    /** A valid feature srengine does not implement. */
    static SrException unsupported(Node node, String message) {
        return new SrException(ErrorCode.UNSUPPORTED_OP, node.describe() + ": " + message);
    }

    /**
     * Checks that input {@code i} is floating-point where ONNX also allows integer types (MaxPool,
     * Resize, ReduceMean): an integer input is valid ONNX that srengine does not implement.
     */
    static void requireFloatImplemented(InferenceContext ctx, int i) {
        if (!ctx.dataType(i).isFloatingPoint()) {
            throw ctx.unsupported("input " + i + " ('" + ctx.node().input(i) + "') has type " + ctx.dataType(i)
                    + "; srengine implements " + ctx.node().opType() + " for floating-point types only");
        }
    }

    static String str(long[] a) {
        return Arrays.toString(a);
    }

    static String str(int[] a) {
        return Arrays.toString(a);
    }
}
