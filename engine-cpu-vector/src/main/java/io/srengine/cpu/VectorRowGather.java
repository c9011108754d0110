package io.srengine.cpu;

/**
 * RowGather: output row r is input row {@code rows[r]} (zeros for -1), one {@code arraycopy} per row;
 * an item is {@link #ROWS} rows. What is left of window partitions and cyclic shifts after fusion.
 */
final class VectorRowGather implements WorkerPool.Task {
    static final int ROWS = 64;
    private final FlatView x;
    private final FlatView y;
    private final int[] rows;
    private final int c;

    VectorRowGather(FlatView x, FlatView y, int[] rows) {
        this.x = x;
        this.y = y;
        this.rows = rows;
        this.c = x.cols();
    }

    int items() {
        return Math.ceilDiv(rows.length, ROWS);
    }

    @Override
    public void run(int worker, int item) {
        int r1 = Math.min(rows.length, (item + 1) * ROWS);
        for (int r = item * ROWS; r < r1; r++) {
            int dst = y.offset() + r * c;
            if (rows[r] < 0) {
                java.util.Arrays.fill(y.data(), dst, dst + c, 0f);
            } else {
                System.arraycopy(x.data(), x.offset() + rows[r] * c, y.data(), dst, c);
            }
        }
    }
}
