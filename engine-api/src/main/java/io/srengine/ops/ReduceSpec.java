package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Which axes a reduction (ReduceMean) folds, from its {@code axes} input (canonical form: older
 * opsets' attribute arrives as an input), {@code keepdims} and {@code noop_with_empty_axes}. No
 * axes, or an empty axes tensor, means every axis, or none with {@code noop_with_empty_axes=1}.
 */
public final class ReduceSpec {
    private final boolean[] reduced;
    private final boolean keepDims;

    private ReduceSpec(boolean[] reduced, boolean keepDims) {
        this.reduced = reduced;
        this.keepDims = keepDims;
    }

    /**
     * @param axes the constant axes input, or null when absent
     * @throws io.srengine.SrException naming the node for an axis out of range or repeated
     */
    public static ReduceSpec of(Node node, int rank, Tensor axes) {
        long keep = node.attrInt("keepdims", 1);
        long noop = node.attrInt("noop_with_empty_axes", 0);
        if (keep != 0 && keep != 1) {
            throw OpErrors.attribute(node, "keepdims must be 0 or 1, not " + keep);
        }
        if (noop != 0 && noop != 1) {
            throw OpErrors.attribute(node, "noop_with_empty_axes must be 0 or 1, not " + noop);
        }
        boolean[] reduced = new boolean[rank];
        // A graph built in code may still carry the pre-opset-18 attribute; it means the same.
        long[] a = axes != null ? axes.toLongArray() : node.attrInts("axes", new long[0]);
        if (a.length == 0) {
            java.util.Arrays.fill(reduced, noop == 0);
        } else {
            for (long v : a) {
                long ax = v < 0 ? v + rank : v;
                if (ax < 0 || ax >= rank) {
                    throw OpErrors.shape(node, "axes " + OpErrors.str(a) + " has " + v + ", out of range for rank " + rank);
                }
                if (reduced[(int) ax]) {
                    throw OpErrors.shape(node, "axes " + OpErrors.str(a) + " names axis " + ax + " twice");
                }
                reduced[(int) ax] = true;
            }
        }
        return new ReduceSpec(reduced, keep == 1);
    }

    /** Whether axis {@code i} is reduced. */
    public boolean reduces(int i) {
        return reduced[i];
    }

    public boolean keepDims() {
        return keepDims;
    }

    public int rank() {
        return reduced.length;
    }

    /** The output shape for {@code x}, known or symbolic. */
    public Shape outputShape(Shape x) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < reduced.length; i++) {
            if (!reduced[i]) {
                out.add(x.dim(i));
            } else if (keepDims) {
                out.add(Dim.of(1));
            }
        }
        return Shape.of(out);
    }

    /** The output shape for a concrete {@code x}. */
    public int[] outputShape(int[] x) {
        return outputShape(Shape.of(x)).toIntArray();
    }
}
