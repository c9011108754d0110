package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.AtomicOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + e, e);
        }
        // The image writer's temporary files: short names whatever the target's, swept when a killed run left them.
        try (AtomicOutput out = AtomicOutput.open(target)) {
            try {
                Files.write(out.temp(), bytes);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": " + e, e);
            }
            out.commit();
        }
    }
}
