package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes output files through a temporary file in the same directory, so a failed run leaves nothing partial. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Fails early, before long work, when {@code output} cannot be a file: it is a directory, or its
     * parent is a file.
     */
    static void checkCanWrite(Path output, String what) {
        Path target = output.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + what + " " + output + ": it is a directory");
        }
        for (Path p = target.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new SrException(ErrorCode.IO_ERROR, "cannot write " + what + " " + output + ": " + p + " is not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new SrException(ErrorCode.IO_ERROR, "cannot write " + what + " " + output + ": " + p + " is not writable");
                }
                break;
            }
        }
    }

    /**
     * Writes {@code bytes} to {@code output}, replacing it if it exists.
     *
     * @throws SrException {@code IO_ERROR} naming the file when it cannot be written (a directory, no
     *     permission, no space)
     */
    static void write(Path output, byte[] bytes) {
        Path target = output.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": it is a directory");
        }
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not createTempFile: its owner-only permissions would carry over to the written file.
            tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The move has either happened or the original error is the one worth reporting.
                }
            }
        }
    }
}
