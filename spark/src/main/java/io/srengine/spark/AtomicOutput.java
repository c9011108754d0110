package io.srengine.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Puts a finished local file under its final name on any Hadoop file system so that readers only ever
 * see a complete file or none, even when Spark runs the same task twice (a retry after a failure, or a
 * speculative copy racing the original).
 *
 * <p>Each attempt writes to a hidden temporary name of its own in the target's directory ({@code
 * .NAME.RUN-ATTEMPT.srtmp}; Spark and Hadoop readers skip names starting with a dot) and renames it
 * to the target. Two attempts of one task write the same bytes, so whichever rename lands last leaves
 * the same complete file; when the file system refuses to rename over an existing file (HDFS, S3A),
 * the attempt that finds the target already there deletes its temporary file and counts as done. An
 * attempt that fails or is killed deletes its temporary file on the way out; only a JVM that dies
 * mid-copy leaves one, which {@link #sweep} removes at the end of the run.
 *
 * <p>The local file system is used without its checksum layer, so no {@code .crc} side files appear.
 */
final class AtomicOutput {
    static final String TEMP_SUFFIX = ".srtmp";
    /** The longest file name most file systems accept, in bytes. */
    private static final int MAX_NAME_BYTES = 255;

    private final FileSystem fs;

    AtomicOutput(FileSystem fs) {
        this.fs = withoutChecksums(fs);
    }

    /** The file system writes go to: the local one without its {@code .crc} files, any other as it is. */
    static FileSystem withoutChecksums(FileSystem fs) {
        return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    }

    /** Whether {@code target} exists (a complete file: nothing is ever written under a target's name). */
    boolean exists(Path target) throws IOException {
        return fs.exists(target);
    }

    /**
     * The temporary name for {@code target} in this attempt: hidden, in the same directory (so the
     * rename stays within one directory of one file system), and short enough for a 255-byte name
     * limit however long the target's name is.
     */
    static Path temporary(Path target, String attempt) {
        String tail = "." + attempt + TEMP_SUFFIX;
        String name = target.getName();
        int room = MAX_NAME_BYTES - 1 - tail.getBytes(StandardCharsets.UTF_8).length;
        while (name.getBytes(StandardCharsets.UTF_8).length > room) {
            name = name.substring(0, name.offsetByCodePoints(name.length(), -1));
        }
        return new Path(target.getParent(), "." + name + tail);
    }

    /**
     * Copies {@code local} to {@code target} atomically.
     *
     * @param attempt unique to this task attempt, e.g. the run id and Spark's task attempt id
     * @param overwrite replace an existing target; otherwise an existing one (left by a concurrent
     *     attempt of the same task) is kept
     * @throws IOException when the file cannot be written or moved into place
     */
    void commit(java.nio.file.Path local, Path target, String attempt, boolean overwrite) throws IOException {
        Path tmp = temporary(target, attempt);
        boolean moved = false;
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                Files.copy(local, out);
            }
            moved = rename(tmp, target);
            if (!moved && overwrite) {
                // HDFS and S3A do not rename over a file: remove it first. Readers may briefly find no
                // file, never a partial one.
                fs.delete(target, false);
                moved = rename(tmp, target);
            }
            if (!moved && !fs.exists(target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            // Otherwise another attempt of this task put the same result there first.
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    private boolean rename(Path from, Path to) throws IOException {
        try {
            return fs.rename(from, to);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException ignored) {
            // the failure that brought us here matters more; sweep() gets another chance
        }
    }

    /**
     * Deletes the temporary files a run left under {@code root} (from JVMs that died mid-copy).
     *
     * @return how many were deleted
     */
    static long sweep(FileSystem fs, Path root, String run) throws IOException {
        FileSystem raw = withoutChecksums(fs);
        if (!raw.exists(root)) {
            return 0;
        }
        String marker = "." + run + "-";
        long n = 0;
        RemoteIterator<LocatedFileStatus> it = raw.listFiles(root, true);
        while (it.hasNext()) {
            FileStatus s = it.next();
            String name = s.getPath().getName();
            if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && name.contains(marker) && raw.delete(s.getPath(), false)) {
                n++;
            }
        }
        return n;
    }
}
