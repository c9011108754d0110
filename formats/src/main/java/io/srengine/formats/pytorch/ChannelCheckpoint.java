package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A checkpoint read from one file channel (legacy pickles and safetensors): little-endian data at known offsets. */
abstract class ChannelCheckpoint implements CheckpointFile {
    final FileChannel channel;
    final String source;

    ChannelCheckpoint(Path path) {
        this.source = path.toString();
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Exactly {@code n} bytes from {@code start}, which the caller has checked lie in the file. */
    final byte[] readAt(long start, int n, String what) {
        ByteBuffer buf = ByteBuffer.allocate(n);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, start + buf.position()) < 0) {
                    throw new SrException(ErrorCode.INVALID_MODEL, source + " ends inside " + what + " (truncated?)");
                }
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
        }
        return buf.array();
    }

    /** Runs a constructor's reading, closing the file and turning I/O failures into SrExceptions if it fails. */
    final void reading(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            close();
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
    }
}
