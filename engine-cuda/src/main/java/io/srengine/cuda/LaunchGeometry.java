package io.srengine.cuda;

/**
 * Grid and block dimensions of one kernel launch, with the arithmetic that derives them.
 *
 * @param grid blocks in x, y, z
 * @param block threads in x, y, z
 * @param sharedBytes dynamic shared memory per block
 */
public record LaunchGeometry(int[] grid, int[] block, int sharedBytes) {
    /** CUDA's limits on grid dimensions y and z (x may go to 2^31 - 1). */
    public static final int MAX_GRID_YZ = 65535;

    public LaunchGeometry {
        if (grid.length != 3 || block.length != 3) {
            throw new IllegalArgumentException("grid and block need 3 dimensions");
        }
        for (int i = 0; i < 3; i++) {
            if (grid[i] < 1 || block[i] < 1) {
                throw new IllegalArgumentException("empty launch: grid " + java.util.Arrays.toString(grid)
                        + " block " + java.util.Arrays.toString(block));
            }
        }
        if (grid[1] > MAX_GRID_YZ || grid[2] > MAX_GRID_YZ) {
            throw new IllegalArgumentException("grid y/z beyond " + MAX_GRID_YZ + ": " + java.util.Arrays.toString(grid));
        }
        if ((long) block[0] * block[1] * block[2] > 1024) {
            throw new IllegalArgumentException("more than 1024 threads per block");
        }
        grid = grid.clone();
        block = block.clone();
    }

    /** A 1-D launch of {@code threads} threads in blocks of {@code blockSize}, one thread per work item. */
    public static LaunchGeometry linear(long items, int blockSize) {
        long blocks = ceilDiv(Math.max(items, 1), blockSize);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(items + " work items are too many for one launch");
        }
        return new LaunchGeometry(new int[] {(int) blocks, 1, 1}, new int[] {blockSize, 1, 1}, 0);
    }

    public static LaunchGeometry of(int gx, int gy, int gz, int bx, int by, int bz, int shared) {
        return new LaunchGeometry(new int[] {gx, gy, gz}, new int[] {bx, by, bz}, shared);
    }

    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    public static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Threads per block. */
    public int threads() {
        return block[0] * block[1] * block[2];
    }

    @Override
    public String toString() {
        return "grid " + grid[0] + "x" + grid[1] + "x" + grid[2] + " block " + block[0] + "x" + block[1] + "x" + block[2]
                + (sharedBytes > 0 ? " smem " + sharedBytes : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaunchGeometry g && java.util.Arrays.equals(grid, g.grid)
                && java.util.Arrays.equals(block, g.block) && sharedBytes == g.sharedBytes;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(grid) * 31 + java.util.Arrays.hashCode(block) + sharedBytes;
    }
}
