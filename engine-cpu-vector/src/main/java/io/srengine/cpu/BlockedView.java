package io.srengine.cpu;

/**
 * Where one activation lives in the blocked layout: image {@code n}, channel block {@code cb}, pixel
 * {@code (y, x)}, lane {@code l} is {@code data[offset + n·batchStride + ((cb·height + y)·width + x)·LANES
 * + l]}. A view into a wider buffer (a channel slice of a dense block's shared buffer) has a batch
 * stride larger than its own size. Lanes past {@code channels} in the last block are zero.
 */
final class BlockedView {
    final float[] data;
    final int offset;
    final int batchStride;
    final int batch;
    final int channels;
    final int height;
    final int width;

    BlockedView(float[] data, int offset, int batchStride, int batch, int channels, int height, int width) {
        this.data = data;
        this.offset = offset;
        this.batchStride = batchStride;
        this.batch = batch;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    int blocks() {
        return Simd.blocks(channels);
    }

    /** Floats per channel block plane. */
    int plane() {
        return height * width * Simd.LANES;
    }

    /** Floats one image occupies (without any wider buffer around it). */
    int imageSize() {
        return blocks() * plane();
    }

    /** Start of image {@code n}. */
    int base(int n) {
        return offset + n * batchStride;
    }

    /** Floats needed for {@code n} images of {@code channels × h × w} in the blocked layout. */
    static int size(int n, int channels, int h, int w) {
        return io.srengine.Tensor.checkedSize(n, Simd.padded(channels), h, w);
    }

    @Override
    public String toString() {
        return "blocked[" + batch + "x" + channels + "x" + height + "x" + width + " @" + offset + "]";
    }
}
