package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.Arrays;
import java.util.List;

/** Transpose: output axis k is input axis {@code perm[k]}; without {@code perm} the axes are reversed. */
public final class TransposeOp implements OpDef {
    @Override
    public String opType() {
        return "Transpose";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        int[] perm = permutation(ctx, in.rank());
        Dim[] out = new Dim[perm.length];
        for (int k = 0; k < perm.length; k++) {
            out[k] = in.dim(perm[k]);
        }
        return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
    }

    private static int[] permutation(InferenceContext ctx, int rank) {
        long[] perm = ctx.node().attrInts("perm", null);
        String bad = "perm " + Arrays.toString(perm) + " is not a permutation of the " + rank + " axes of input "
                + ctx.shape(0);
        if (perm == null) {
            return defaultPermutation(rank);
        }
        if (perm.length != rank) {
            throw ctx.error(bad);
        }
        int[] out = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < rank; k++) {
            if (perm[k] < 0 || perm[k] >= rank || seen[(int) perm[k]]) {
                throw ctx.error(bad);
            }
            seen[(int) perm[k]] = true;
            out[k] = (int) perm[k];
        }
        return out;
    }

    /**
     * The permutation of a Transpose node for an input of rank {@code rank}: its {@code perm}
     * attribute, or the reversed axes. Assumes the node has passed shape inference.
     */
    public static int[] permutation(Node node, int rank) {
        long[] perm = node.attrInts("perm", null);
        if (perm == null) {
            return defaultPermutation(rank);
        }
        int[] out = new int[perm.length];
        for (int k = 0; k < perm.length; k++) {
            out[k] = (int) perm[k];
        }
        return out;
    }

    private static int[] defaultPermutation(int rank) {
        int[] out = new int[rank];
        for (int k = 0; k < rank; k++) {
            out[k] = rank - 1 - k;
        }
        return out;
    }
}
