package io.srengine.cpu;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.TensorType;
import java.util.Arrays;

/** How an input of an element-wise node relates to the node's NCHW output, for the vector kernels. */
final class Operands {
    enum Kind {
        /** A run-time tensor of the output's shape (its batch may be 1). */
        FULL,
        /** A run-time {@code [N or 1, C, 1, 1]} tensor. */
        PER_CHANNEL,
        /** A constant with one value per channel ({@code [C,1,1]}, {@code [1,C,1,1]}). */
        CONST_CHANNEL,
        /** A constant single value. */
        CONST_SCALAR,
        /** A constant of the output's shape (its batch may be 1). */
        CONST_FULL,
        /** Anything else: the node falls back to its reference kernel. */
        OTHER
    }

    private Operands() {}

    /** True for a float32 rank-4 value. */
    static boolean isImage(Graph g, String value) {
        TensorType t = g.typeOf(value);
        return t != null && t.dataType() == DataType.FLOAT32 && t.rank() == 4;
    }

    static int[] shape(Graph g, String value) {
        Tensor init = g.initializers().get(value);
        return init != null ? init.shape() : g.typeOf(value).shape().toIntArray();
    }

    /** The kind of {@code value} as an operand producing {@code out}, an NCHW shape. */
    static Kind classify(Graph g, String value, int[] out) {
        Tensor init = g.initializers().get(value);
        TensorType t = init != null ? null : g.typeOf(value);
        DataType dt = init != null ? init.dataType() : t == null ? null : t.dataType();
        if (dt != DataType.FLOAT32) {
            return Kind.OTHER;
        }
        int[] s = shape(g, value);
        if (s.length > 4) {
            return Kind.OTHER;
        }
        int[] s4 = new int[4];
        Arrays.fill(s4, 1);
        System.arraycopy(s, 0, s4, 4 - s.length, s.length);
        boolean full = (s4[0] == out[0] || s4[0] == 1) && s4[1] == out[1] && s4[2] == out[2] && s4[3] == out[3];
        boolean perChannel = (s4[0] == out[0] || s4[0] == 1) && s4[1] == out[1] && s4[2] == 1 && s4[3] == 1;
        if (init != null) {
            if (init.size() == 1) {
                return Kind.CONST_SCALAR;
            }
            if (perChannel && s4[0] == 1) {
                return Kind.CONST_CHANNEL;
            }
            return full ? Kind.CONST_FULL : Kind.OTHER;
        }
        if (s.length != 4) {
            return Kind.OTHER;
        }
        if (full) {
            return Kind.FULL;
        }
        return perChannel ? Kind.PER_CHANNEL : Kind.OTHER;
    }
}
