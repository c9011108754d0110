package io.srengine.cuda.plan;

/**
 * Where one rank-4 activation lives on the device: an NHWC block of {@code n*h*w} pixels with
 * {@code cs} elements per pixel, of which this value uses {@code c} starting at {@code address}
 * (the channel offset is already applied). With {@code cs > c} the value is a channel slice of a
 * wider buffer, which is how Concat inputs are written in place.
 *
 * @param nchwF32 true for the float32 NCHW staging buffers of graph inputs and outputs
 */
public record TensorView(long address, int n, int c, int h, int w, int cs, boolean nchwF32) {
    /** Element strides in (n, h, w, c) order. */
    public long[] strides() {
        if (nchwF32) {
            return new long[] {(long) c * h * w, w, 1, (long) h * w};
        }
        return new long[] {(long) h * w * cs, (long) w * cs, cs, 1};
    }

    /** The view's address advanced by {@code elements} elements of {@code type}. */
    public long at(long elements, DeviceType type) {
        return address + elements * (nchwF32 ? 4 : type.bytes());
    }

    /** Whether 16-byte vector accesses of 16-bit elements are possible at every pixel. */
    public boolean vector8(DeviceType type) {
        return !nchwF32 && type.bytes() == 2 && cs % 8 == 0 && address % 16 == 0;
    }

    public long pixels() {
        return (long) n * h * w;
    }

    public int[] nchw() {
        return new int[] {n, c, h, w};
    }
}
