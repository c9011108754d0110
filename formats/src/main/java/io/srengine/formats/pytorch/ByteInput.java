package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Bytes read front to back from an array or a file, always knowing how many remain, so that a
 * length field can be checked against the data before anything of that length is allocated.
 */
abstract sealed class ByteInput {
    /** Where the bytes come from, for messages. */
    final String source;

    private ByteInput(String source) {
        this.source = source;
    }

    static ByteInput of(byte[] bytes, String source) {
        return new Array(bytes, source);
    }

    /** The rest of {@code channel}, from its current position; the caller closes the channel. */
    static ByteInput of(FileChannel channel, String source) throws IOException {
        return new Channel(channel, source);
    }

    /** Offset of the next byte from the start of the data. */
    abstract long position();

    /** Bytes left. */
    abstract long remaining();

    /** The next byte, 0 to 255. */
    abstract int read();

    /** Copies the next {@code n} bytes into {@code dst} at {@code off}; {@code n} has been checked. */
    abstract void readInto(byte[] dst, int off, int n);

    /** Skips {@code n} bytes, which must remain. */
    abstract void skip(long n);

    final byte[] readBytes(long n, String what) {
        require(n, what);
        if (n > Integer.MAX_VALUE - 8) {
            throw truncated(what + " of " + n + " bytes is larger than srengine reads");
        }
        byte[] b = new byte[(int) n];
        readInto(b, 0, b.length);
        return b;
    }

    /** Fails unless {@code n} more bytes exist. */
    final void require(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw truncated(what + " needs " + Long.toUnsignedString(n) + " bytes at offset " + position() + " but only "
                    + remaining() + " remain");
        }
    }

    final long readLongLe(String what) {
        require(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) read() << (8 * i);
        }
        return v;
    }

    final SrException truncated(String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, source + " is truncated or damaged: " + detail);
    }

    private static final class Array extends ByteInput {
        private final byte[] bytes;
        private int pos;

        Array(byte[] bytes, String source) {
            super(source);
            this.bytes = bytes;
        }

        @Override
        long position() {
            return pos;
        }

        @Override
        long remaining() {
            return bytes.length - pos;
        }

        @Override
        int read() {
            if (pos >= bytes.length) {
                throw truncated("the data ends at offset " + pos + " in the middle of a value");
            }
            return bytes[pos++] & 0xff;
        }

        @Override
        void readInto(byte[] dst, int off, int n) {
            System.arraycopy(bytes, pos, dst, off, n);
            pos += n;
        }

        @Override
        void skip(long n) {
            pos += (int) n;
        }
    }

    /** Buffered reads from a file channel; the file's size bounds every length. */
    private static final class Channel extends ByteInput {
        private final FileChannel channel;
        private final long start;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
        /** File offset of the byte after the buffer's content. */
        private long filePos;

        Channel(FileChannel channel, String source) throws IOException {
            super(source);
            this.channel = channel;
            this.start = channel.position();
            this.size = channel.size();
            this.filePos = start;
        }

        @Override
        long position() {
            return filePos - buffer.remaining() - start;
        }

        @Override
        long remaining() {
            return size - filePos + buffer.remaining();
        }

        private void fill() {
            buffer.clear();
            try {
                int n = channel.read(buffer, filePos);
                if (n <= 0) {
                    buffer.flip();
                    throw truncated("the file ends at offset " + filePos + " in the middle of a value");
                }
                filePos += n;
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
            }
            buffer.flip();
        }

        @Override
        int read() {
            if (!buffer.hasRemaining()) {
                fill();
            }
            return buffer.get() & 0xff;
        }

        @Override
        void readInto(byte[] dst, int off, int n) {
            while (n > 0) {
                if (!buffer.hasRemaining()) {
                    fill();
                }
                int k = Math.min(n, buffer.remaining());
                buffer.get(dst, off, k);
                off += k;
                n -= k;
            }
        }

        @Override
        void skip(long n) {
            long inBuffer = Math.min(n, buffer.remaining());
            buffer.position(buffer.position() + (int) inBuffer);
            long rest = n - inBuffer;
            if (rest > 0) {
                filePos += rest;
                buffer.clear().flip();
            }
        }
    }
}
