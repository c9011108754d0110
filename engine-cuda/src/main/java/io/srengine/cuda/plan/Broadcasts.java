package io.srengine.cuda.plan;

/** Shape helpers for rank-4 broadcasting. */
final class Broadcasts {
    private Broadcasts() {}

    /** {@code shape} right-aligned into rank 4 with leading ones (NumPy broadcasting against NCHW). */
    static int[] padTo4(int[] shape) {
        if (shape.length > 4) {
            throw new IllegalArgumentException("rank " + shape.length + " is above 4");
        }
        int[] d = {1, 1, 1, 1};
        System.arraycopy(shape, 0, d, 4 - shape.length, shape.length);
        return d;
    }

    /** Whether a value of shape {@code s} broadcasts to {@code out} (both NCHW-aligned rank 4). */
    static boolean broadcastsTo(int[] s, int[] out) {
        int[] d = padTo4(s);
        for (int i = 0; i < 4; i++) {
            if (d[i] != out[i] && d[i] != 1) {
                return false;
            }
        }
        return true;
    }
}
