package io.srengine.cpu;

/**
 * Data movement on plain values (Transpose, Slice, Gather, Pad with a constant, Expand, Tile,
 * DepthToSpace on plain values, Concat): a separable gather, where output coordinate c reads the
 * input at {@code Σ_k table_k[c_k]·stride(axis_k)} (a table entry of -1 writing the fill value), or
 * block copies for Concat. Output rows whose last axis reads contiguous input go through {@code
 * arraycopy}. An item is a range of output rows.
 */
final class VectorFlatMovement implements WorkerPool.Task {
    private static final int CHUNK = 8192;

    private final FlatView[] in;
    private final FlatView y;
    private final int[] shape;
    private final long[][] contribution;
    private final boolean contiguous;
    private final float fill;
    private final int concatAxis;
    private final int cols;
    private final int rows;
    private final int rowsPerItem;

    /** A separable gather of {@code x}; see {@link io.srengine.rewrite} IndexMap for the same scheme on positions. */
    static VectorFlatMovement gather(FlatView x, FlatView y, int[] axes, int[][] tables, float fill) {
        return new VectorFlatMovement(new FlatView[] {x}, y, axes, tables, fill, -1);
    }

    static VectorFlatMovement concat(FlatView[] xs, FlatView y, int axis) {
        return new VectorFlatMovement(xs, y, null, null, 0, axis);
    }

    private VectorFlatMovement(FlatView[] in, FlatView y, int[] axes, int[][] tables, float fill, int concatAxis) {
        this.in = in;
        this.y = y;
        this.fill = fill;
        this.concatAxis = concatAxis;
        this.shape = y.shape().length == 0 ? new int[] {1} : y.shape();
        this.cols = shape[shape.length - 1];
        this.rows = cols == 0 ? 0 : y.size() / cols;
        this.rowsPerItem = Math.max(1, CHUNK / Math.max(1, cols));
        if (tables == null) {
            contribution = null;
            contiguous = false;
            return;
        }
        int[] inShape = in[0].shape();
        int[] stride = new int[inShape.length];
        int acc = 1;
        for (int k = inShape.length - 1; k >= 0; k--) {
            stride[k] = acc;
            acc *= inShape[k];
        }
        contribution = new long[shape.length][];
        boolean contig = true;
        for (int k = 0; k < shape.length; k++) {
            long s = axes[k] < 0 ? 0 : stride[axes[k]];
            contribution[k] = new long[shape[k]];
            for (int o = 0; o < shape[k]; o++) {
                contribution[k][o] = tables[k][o] < 0 ? Long.MIN_VALUE / 64 : tables[k][o] * s;
                if (k == shape.length - 1 && o > 0 && contribution[k][o] != contribution[k][o - 1] + 1) {
                    contig = false;
                }
            }
        }
        contiguous = contig && shape.length > 0 && contribution[shape.length - 1][0] >= 0;
    }

    int items() {
        return concatAxis >= 0 ? 1 + 0 * rows : Math.ceilDiv(rows, rowsPerItem);
    }

    @Override
    public void run(int worker, int item) {
        if (concatAxis >= 0) {
            concat();
            return;
        }
        int r0 = item * rowsPerItem;
        int r1 = Math.min(rows, r0 + rowsPerItem);
        int rank = shape.length;
        int[] coord = new int[rank];
        int rem = r0;
        for (int k = rank - 2; k >= 0; k--) {
            coord[k] = rem % shape[k];
            rem /= shape[k];
        }
        float[] src = in[0].data();
        int so = in[0].offset();
        float[] out = y.data();
        long[] last = contribution[rank - 1];
        for (int r = r0; r < r1; r++) {
            long base = 0;
            for (int k = 0; k < rank - 1; k++) {
                base += contribution[k][coord[k]];
            }
            int o = y.offset() + r * cols;
            if (contiguous && base >= 0) {
                System.arraycopy(src, (int) (so + base + last[0]), out, o, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    long p = base + last[j];
                    out[o + j] = p < 0 ? fill : src[(int) (so + p)];
                }
            }
            for (int k = rank - 2; k >= 0; k--) {
                if (++coord[k] < shape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
    }

    private void concat() {
        int outer = 1;
        for (int k = 0; k < concatAxis; k++) {
            outer *= shape[k];
        }
        int inner = 1;
        for (int k = concatAxis + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        int outRow = shape[concatAxis] * inner;
        int offset = 0;
        for (FlatView x : in) {
            int row = x.shape()[concatAxis] * inner;
            for (int r = 0; r < outer; r++) {
                System.arraycopy(x.data(), x.offset() + r * row, y.data(), y.offset() + r * outRow + offset, row);
            }
            offset += row;
        }
    }
}
