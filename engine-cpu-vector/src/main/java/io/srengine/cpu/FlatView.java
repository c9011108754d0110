package io.srengine.cpu;

/**
 * A row-major (plain) float tensor inside a shared buffer: element {@code i} is at {@code data[offset
 * + i]}. Transformer values (token sequences, projections, attention outputs) live like this; the
 * convolutions' values live in the blocked layout ({@link BlockedView}).
 */
record FlatView(float[] data, int offset, int[] shape) {
    int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The last dimension: a row's length. */
    int cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    int rows() {
        int c = cols();
        return c == 0 ? 0 : size() / c;
    }
}
