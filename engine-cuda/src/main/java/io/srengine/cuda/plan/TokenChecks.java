package io.srengine.cuda.plan;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * What the CUDA backend accepts of the ops that run on token sequences (values of any rank, see
 * {@link Tokens}) and of the internal ops {@link io.srengine.rewrite.TransformerFusion} writes; the
 * image ops' checks are {@link Lowering}'s.
 */
final class TokenChecks {
    private final Lowering l;
    private final Graph graph;

    TokenChecks(Lowering l, Graph graph) {
        this.l = l;
        this.graph = graph;
    }

    private boolean isConstant(String v) {
        return l.isConstant(v);
    }

    private boolean shapeDerived(String v) {
        return l.shapeDerived(v);
    }

    private Tensor constant(String v) {
        return l.constant(v);
    }

    /** Slice and Concat of token sequences (any rank but 4): views and strided copies instead of the image kernels. */
    boolean tokenForm(Node n) {
        if (!List.of("Slice", "Concat", "ReduceMean", "ReduceL2").contains(n.opType())) {
            return false;
        }
        for (String v : n.inputs()) {
            TensorType t = v.isEmpty() ? null : graph.typeOf(v);
            if (t != null && t.dataType().isFloatingPoint() && t.rank() != 4) {
                return true;
            }
        }
        TensorType t = graph.typeOf(n.output(0));
        return t != null && t.rank() != 4;
    }

    int[] knownShape(String v) {
        TensorType t = graph.typeOf(v);
        return t == null || !t.shape().isKnown() ? null : t.shape().toIntArray();
    }

    int rankOf(String v) {
        TensorType t = graph.typeOf(v);
        return t == null ? -1 : t.rank();
    }

    /** Why an op that runs at any rank cannot run here, or null. */
    String anyRankReason(Node n) {
        String op = n.opType();
        String y = n.output(0);
        int yr = rankOf(y);
        if (Lowering.ALIASES.contains(op)) {
            if (isConstant(n.input(0)) && yr != 4) {
                return "a constant of rank " + yr + " moved at run time (it should have been folded)";
            }
            if (op.equals("Gather") && !shapeDerived(n.input(1))) {
                return "only Gather of constant indices is supported";
            }
            return null;
        }
        switch (op) {
            case "Slice" -> {
                for (int i = 1; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && !shapeDerived(n.input(i))) {
                        return "starts, ends, axes and steps must be constant";
                    }
                }
                return null;
            }
            case "ReduceMean", "ReduceL2" -> {
                if (n.hasInput(1) && !isConstant(n.input(1))) {
                    return "axes must be constant";
                }
                int r = rankOf(n.input(0));
                if (r == 4) {
                    return null;
                }
                io.srengine.ops.ReduceSpec spec = io.srengine.ops.ReduceSpec.of(n, r, n.hasInput(1) ? constant(n.input(1)) : null);
                for (int i = 0; i < r - 1; i++) {
                    if (spec.reduces(i)) {
                        return "at rank " + r + " only the last axis can be reduced";
                    }
                }
                return null;
            }
            case "Concat" -> {
                for (String in : n.inputs()) {
                    if (isConstant(in)) {
                        return "a constant input of a Concat of rank " + yr;
                    }
                }
                return null;
            }
            case "MatMul" -> {
                for (String v : List.of(n.input(0), n.input(1), y)) {
                    int r = rankOf(v);
                    if (r < 2 || r > 5) {
                        return "MatMul of '" + v + "' of rank " + r + "; the CUDA kernel takes ranks 2 to 5";
                    }
                }
                return null;
            }
            case "Softmax", "LogSoftmax" -> {
                int[] s = knownShape(n.input(0));
                if (s != null && !SoftmaxOp.fits(s, axis(n.attrInt("axis", -1), s.length))) {
                    return "the rows of '" + n.input(0) + "' need more than three strided axes";
                }
                return null;
            }
            case "LayerNormalization" -> {
                if (!isConstant(n.input(1)) || (n.hasInput(2) && !isConstant(n.input(2)))) {
                    return "scale and bias must be constant";
                }
                for (int i = 1; i < n.outputs().size(); i++) {
                    if (!n.output(i).isEmpty()) {
                        return "the Mean and InvStdDev outputs are not supported";
                    }
                }
                return null;
            }
            default -> {
                // Elementwise: every operand must map onto the output's token layout.
                if (yr == 4) {
                    for (String in : n.inputs()) {
                        if (!in.isEmpty() && !isConstant(in) && rankOf(in) != 4) {
                            return "'" + in + "' of rank " + rankOf(in) + " combined with a rank-4 activation";
                        }
                    }
                    return null;
                }
                long count = n.inputs().stream().filter(v -> !v.isEmpty()).count();
                if (Lowering.BINARY.contains(op) && count > 2) {
                    return "more than two inputs at rank " + yr;
                }
                int[] ys = knownShape(y);
                for (String in : n.inputs()) {
                    if (in.isEmpty()) {
                        continue;
                    }
                    int r = rankOf(in);
                    if (r > yr || r == 4) {
                        return "'" + in + "' of rank " + r + " broadcast to rank " + yr;
                    }
                    int[] s = knownShape(in);
                    if (ys != null && s != null && !tokenBroadcasts(s, ys, isConstant(in))
                            && !(isConstant(in) && TokenLowering.numel(ys) <= TokenLowering.MAX_EXPANDED)) {
                        return "'" + in + "' " + java.util.Arrays.toString(s) + " broadcasts to "
                                + java.util.Arrays.toString(ys) + " across merged row axes";
                    }
                }
                return null;
            }
        }
    }

    /**
     * Whether a value of shape {@code s} broadcasts to {@code out} (rank other than 4) in the token
     * layout: at ranks up to 3 every axis stays an axis of its own; above, the leading axes are merged
     * into rows, so an operand must cover them all or be one row (or a scalar constant).
     */
    static boolean tokenBroadcasts(int[] s, int[] out, boolean constant) {
        if (out.length <= 3) {
            return true;
        }
        long size = 1;
        for (int d : s) {
            size *= d;
        }
        if (constant && size == 1) {
            return true;
        }
        int off = out.length - s.length;
        boolean full = off == 0;
        boolean row = true;
        for (int i = 0; i < s.length; i++) {
            full &= s[i] == out[i];
            if (off + i < out.length - 1) {
                row &= s[i] == 1;
            }
        }
        return full || row;
    }

    static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    /** Why an internal op cannot run, or null. */
    String internalReason(Node n) {
        switch (n.opType()) {
            case "RowGather" -> {
                return isConstant(n.input(1)) ? null : "the row table must be constant";
            }
            case "Linear" -> {
                return !isConstant(n.input(1)) ? "the weights must be constant"
                        : n.hasInput(2) && !isConstant(n.input(2)) ? "the bias must be constant" : null;
            }
            case "AddLayerNormalization" -> {
                return !isConstant(n.input(2)) || (n.hasInput(3) && !isConstant(n.input(3)))
                        ? "scale and bias must be constant" : null;
            }
            default -> {
                for (int i = 3; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && !isConstant(n.input(i))) {
                        return "its row tables, bias and masks must be constant";
                    }
                }
                int d = (int) n.attrInt("d", 0);
                int dv = (int) n.attrInt("dv", 0);
                int m = (int) n.attrInt("m", 0);
                if (AttentionOp.headBound(d, dv) < 0) {
                    return "head dimensions " + d + "/" + dv + " are above the kernels' "
                            + AttentionOp.HEAD_DIMS[AttentionOp.HEAD_DIMS.length - 1];
                }
                if (AttentionOp.sharedBytes(m, d, dv) > Lowering.ATTENTION_SHARED_LIMIT) {
                    return m + " keys of " + d + "+" + dv + " values do not fit one block's shared memory";
                }
                return null;
            }
        }
    }
}
