package io.srengine.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs the one by-value parameter struct every srengine kernel takes, with the C layout rules
 * the kernels' headers use: 8-byte pointers and int64s on 8-byte boundaries, 4-byte ints and
 * floats on 4-byte boundaries, the whole struct padded to 8 bytes. Fields must be appended in the
 * order the header declares them; each header pins its struct size with a static_assert and the
 * Java side checks the same size through {@link #finish(int)}.
 */
public final class KernelArgs {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    /** A device pointer (0 for null). */
    public KernelArgs ptr(long address) {
        align(8);
        grow(8).putLong(address);
        return this;
    }

    public KernelArgs i64(long v) {
        align(8);
        grow(8).putLong(v);
        return this;
    }

    public KernelArgs i32(int v) {
        align(4);
        grow(4).putInt(v);
        return this;
    }

    public KernelArgs f32(float v) {
        align(4);
        grow(4).putFloat(v);
        return this;
    }

    /** A boolean as a C int. */
    public KernelArgs flag(boolean v) {
        return i32(v ? 1 : 0);
    }

    /** Current size in bytes. */
    public int size() {
        return buf.position();
    }

    /**
     * Pads to the struct alignment and checks the size against the header's.
     *
     * @throws IllegalStateException when the packed size differs from {@code expectedSize}: the Java
     *     packing and the CUDA header disagree
     */
    public ByteBuffer finish(int expectedSize) {
        align(8);
        if (buf.position() != expectedSize) {
            throw new IllegalStateException("kernel parameter struct packed to " + buf.position()
                    + " bytes but the CUDA header declares " + expectedSize);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(expectedSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put(buf.duplicate().flip());
        return out.flip();
    }

    private void align(int a) {
        while (buf.position() % a != 0) {
            grow(1).put((byte) 0);
        }
    }

    private ByteBuffer grow(int n) {
        if (buf.remaining() < n) {
            ByteBuffer b = ByteBuffer.allocate(buf.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.put(buf.flip());
            buf = b;
        }
        return buf;
    }
}
