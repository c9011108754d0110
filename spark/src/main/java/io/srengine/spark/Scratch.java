package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory for one task's (or one row's) local files: the input copied from a
 * remote file system, and the upscaler's output before it is copied to its destination. It lives
 * under {@code java.io.tmpdir}, which YARN and Kubernetes point at the container's own disk, and is
 * removed on {@link #close()}.
 */
final class Scratch implements AutoCloseable {
    private final Path dir;

    Scratch() {
        try {
            dir = Files.createTempDirectory("srengine-spark-");
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot create a temporary directory in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    /** A path for a file called {@code name} in this directory (not created). */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** Deletes a file of this directory if it exists, ignoring failures (the directory goes on close). */
    static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // removed with the directory at the latest
        }
    }

    @Override
    public void close() {
        deleteRecursively(dir);
    }

    /** Removes a directory tree, best effort: a leftover temporary file is not worth failing a task for. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(Scratch::delete);
        } catch (IOException ignored) {
            // best effort, see above
        }
    }
}
