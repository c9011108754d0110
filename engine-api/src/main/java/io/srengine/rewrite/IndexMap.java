package io.srengine.rewrite;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.ops.DepthToSpaceOp;
import io.srengine.ops.PadOp;
import io.srengine.ops.SliceOp;
import io.srengine.ops.TransposeOp;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Where each element of a data-movement op's output comes from. The ops that only move data
 * (Reshape, Transpose, Slice, Concat, Gather, Pad with zeros, Expand, DepthToSpace, RowGather...)
 * are evaluated on tensors whose elements are their own source positions (plus one; 0 marks a zero
 * fill), so a chain of them gives, for every output element, the source element it copies. That is
 * how {@link TransformerFusion} sees that a chain of a dozen nodes only reorders whole rows, or
 * reads one head of the query out of a packed projection.
 *
 * <p>Values are {@code int[]}: sources of more than 2^31 - 2 elements are not analysed.
 */
final class IndexMap {
    static final Set<String> MOVEMENT = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Transpose",
            "Slice", "Concat", "Gather", "Pad", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "RowGather");

    /** A contribution so negative that any sum of up to 64 of them stays negative: a zero fill. */
    private static final long ZERO_FILL = Long.MIN_VALUE / 64;

    /** Positions (plus one, 0 = zero fill) and the shape they are arranged in. */
    record Ints(int[] data, int[] shape) {}

    private IndexMap() {}

    /** Source positions 1..n in the shape {@code shape}. */
    static Ints iota(int[] shape) {
        int[] d = new int[Tensor.checkedSize(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return new Ints(d, shape.clone());
    }

    /**
     * Whether {@code n} only moves the data of input 0 (Concat: of every input) with parameters that
     * are constants of {@code g}, so that {@link #apply} can evaluate it.
     */
    static boolean isMovement(Graph g, Node n) {
        if (!MOVEMENT.contains(n.opType()) || !(n.domain().isEmpty() || n.opType().equals("RowGather"))) {
            return false;
        }
        int from = n.opType().equals("Concat") ? n.inputs().size() : 1;
        for (int i = from; i < n.inputs().size(); i++) {
            if (n.hasInput(i) && !g.isInitializer(n.input(i))) {
                return false;
            }
        }
        if (n.opType().equals("Pad")) {
            Tensor v = n.hasInput(2) ? g.initializers().get(n.input(2)) : null;
            return PadOp.mode(n) == PadOp.Mode.CONSTANT && (v == null || v.size() == 0 || v.getDouble(0) == 0);
        }
        return true;
    }

    /** The output of movement node {@code n} (shape from the graph's types) for data inputs {@code in}. */
    static Ints apply(Graph g, Node n, List<Ints> in) {
        int[] outShape = g.typeOf(n.output(0)).shape().toIntArray();
        Ints x = in.getFirst();
        return switch (n.opType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity" -> new Ints(x.data(), outShape);
            case "Transpose" -> {
                int[] perm = TransposeOp.permutation(n, x.shape().length);
                int[][] tables = new int[perm.length][];
                for (int k = 0; k < perm.length; k++) {
                    tables[k] = identity(outShape[k]);
                }
                yield gather(x, outShape, perm, tables);
            }
            case "Slice" -> slice(g, n, x, outShape);
            case "Concat" -> concat(n, in, outShape);
            case "Gather" -> gatherOp(g, n, x, outShape);
            case "Pad" -> pad(g, n, x, outShape);
            case "Expand", "Tile" -> {
                int rank = outShape.length;
                int[] axes = new int[rank];
                int[][] tables = new int[rank][];
                int lead = rank - x.shape().length;
                for (int k = 0; k < rank; k++) {
                    int src = k - lead;
                    axes[k] = src;
                    int size = src < 0 ? 1 : x.shape()[src];
                    tables[k] = new int[outShape[k]];
                    for (int o = 0; o < outShape[k]; o++) {
                        tables[k][o] = size == 1 ? 0 : o % size;
                    }
                }
                yield gather(x, outShape, axes, tables);
            }
            case "DepthToSpace" -> depthToSpace(n, x, outShape);
            case "SpaceToDepth" -> spaceToDepth(n, x, outShape);
            case "RowGather" -> rowGather(g.initializers().get(n.input(1)).ints(), x, outShape);
            default -> throw new IllegalArgumentException(n.opType());
        };
    }

    private static int[] identity(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    /**
     * The separable gather every axis-wise movement is: output coordinate c reads the input at
     * {@code sum_k table_k[c_k] · stride(axis_k)}, where {@code axis_k} is the input axis feeding output
     * axis k (-1: none, a new axis) and a table entry of -1 means a zero fill.
     */
    static Ints gather(Ints x, int[] outShape, int[] axes, int[][] tables) {
        int rank = outShape.length;
        int[] inStride = strides(x.shape());
        int[] out = new int[Tensor.checkedSize(outShape)];
        if (out.length == 0) {
            return new Ints(out, outShape);
        }
        long[][] contribution = new long[rank][];
        for (int k = 0; k < rank; k++) {
            contribution[k] = new long[outShape[k]];
            long stride = axes[k] < 0 ? 0 : inStride[axes[k]];
            for (int o = 0; o < outShape[k]; o++) {
                int t = tables[k][o];
                contribution[k][o] = t < 0 ? ZERO_FILL : t * stride;
            }
        }
        int[] coord = new int[rank];
        int inner = rank == 0 ? 1 : outShape[rank - 1];
        long[] last = rank == 0 ? new long[] {0} : contribution[rank - 1];
        int[] src = x.data();
        for (int o = 0; o < out.length; o += inner) {
            long base = 0;
            for (int k = 0; k < rank - 1; k++) {
                base += contribution[k][coord[k]];
            }
            for (int i = 0; i < inner; i++) {
                long p = base + last[i];
                out[o + i] = p < 0 ? 0 : src[(int) p];
            }
            for (int k = rank - 2; k >= 0; k--) {
                if (++coord[k] < outShape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
        return new Ints(out, outShape);
    }

    private static Ints slice(Graph g, Node n, Ints x, int[] outShape) {
        int[] in = x.shape();
        long[] starts = g.initializers().get(n.input(1)).toLongArray();
        long[] ends = g.initializers().get(n.input(2)).toLongArray();
        long[] axesArg = n.hasInput(3) ? g.initializers().get(n.input(3)).toLongArray() : null;
        long[] steps = n.hasInput(4) ? g.initializers().get(n.input(4)).toLongArray() : null;
        int[] sliced = SliceOp.checkParameters(n.describe(), in.length, starts, ends, axesArg, steps);
        int[][] tables = new int[in.length][];
        for (int k = 0; k < in.length; k++) {
            tables[k] = identity(outShape[k]);
        }
        for (int j = 0; j < sliced.length; j++) {
            int a = sliced[j];
            long step = steps == null ? 1 : steps[j];
            long start = SliceOp.axisRange(in[a], starts[j], ends[j], step)[0];
            for (int o = 0; o < outShape[a]; o++) {
                tables[a][o] = (int) (start + o * step);
            }
        }
        return gather(x, outShape, identity(in.length), tables);
    }

    private static Ints pad(Graph g, Node n, Ints x, int[] outShape) {
        int[] in = x.shape();
        long[] pads = g.initializers().get(n.input(1)).toLongArray();
        long[] axes = n.hasInput(3) ? g.initializers().get(n.input(3)).toLongArray() : null;
        long[][] amounts = PadOp.amounts(n.describe(), in.length, pads, axes);
        int[][] tables = new int[in.length][];
        for (int k = 0; k < in.length; k++) {
            tables[k] = new int[outShape[k]];
            for (int o = 0; o < outShape[k]; o++) {
                tables[k][o] = (int) PadOp.sourceIndex(PadOp.Mode.CONSTANT, o, in[k], amounts[0][k], amounts[1][k]);
            }
        }
        return gather(x, outShape, identity(in.length), tables);
    }

    private static Ints gatherOp(Graph g, Node n, Ints x, int[] outShape) {
        int[] in = x.shape();
        long a = n.attrInt("axis", 0);
        int axis = (int) (a < 0 ? a + in.length : a);
        long[] idx = g.initializers().get(n.input(1)).toLongArray();
        int[] flatShape = new int[in.length];
        int[] axes = new int[in.length];
        int[][] tables = new int[in.length][];
        for (int k = 0; k < in.length; k++) {
            flatShape[k] = k == axis ? idx.length : in[k];
            axes[k] = k;
            tables[k] = identity(flatShape[k]);
        }
        for (int i = 0; i < idx.length; i++) {
            tables[axis][i] = (int) (idx[i] < 0 ? idx[i] + in[axis] : idx[i]);
        }
        Ints flat = gather(x, flatShape, axes, tables);
        return new Ints(flat.data(), outShape);
    }

    private static Ints concat(Node n, List<Ints> in, int[] outShape) {
        long a = n.attrInt("axis");
        int axis = (int) (a < 0 ? a + outShape.length : a);
        int outer = 1;
        for (int k = 0; k < axis; k++) {
            outer *= outShape[k];
        }
        int inner = 1;
        for (int k = axis + 1; k < outShape.length; k++) {
            inner *= outShape[k];
        }
        int[] out = new int[Tensor.checkedSize(outShape)];
        int outRow = outShape[axis] * inner;
        int offset = 0;
        for (Ints x : in) {
            int row = x.shape()[axis] * inner;
            for (int r = 0; r < outer; r++) {
                System.arraycopy(x.data(), r * row, out, r * outRow + offset, row);
            }
            offset += row;
        }
        return new Ints(out, outShape);
    }

    private static Ints depthToSpace(Node n, Ints x, int[] outShape) {
        int b = (int) n.attrInt("blocksize");
        int[] s = x.shape();
        boolean crd = DepthToSpaceOp.isCrd(n);
        int c = s[1] / (b * b);
        int[] six = crd ? new int[] {s[0], c, b, b, s[2], s[3]} : new int[] {s[0], b, b, c, s[2], s[3]};
        int[] perm = crd ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2};
        return permute(new Ints(x.data(), six), perm, outShape);
    }

    private static Ints spaceToDepth(Node n, Ints x, int[] outShape) {
        int b = (int) n.attrInt("blocksize");
        int[] s = x.shape();
        int[] six = {s[0], s[1], s[2] / b, b, s[3] / b, b};
        return permute(new Ints(x.data(), six), new int[] {0, 3, 5, 1, 2, 4}, outShape);
    }

    private static Ints permute(Ints x, int[] perm, int[] finalShape) {
        int[] shape = new int[perm.length];
        int[][] tables = new int[perm.length][];
        for (int k = 0; k < perm.length; k++) {
            shape[k] = x.shape()[perm[k]];
            tables[k] = identity(shape[k]);
        }
        return new Ints(gather(x, shape, perm, tables).data(), finalShape);
    }

    static Ints rowGather(int[] rows, Ints x, int[] outShape) {
        int c = x.shape()[x.shape().length - 1];
        int[] out = new int[rows.length * c];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] >= 0) {
                System.arraycopy(x.data(), rows[r] * c, out, r * c, c);
            }
        }
        return new Ints(out, outShape);
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            s[k] = acc;
            acc *= shape[k];
        }
        return s;
    }

    /** For messages and memo keys. */
    static String describe(int[] shape) {
        return Arrays.toString(shape);
    }
}
