package io.srengine.spark;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.TaskContext;

/**
 * The local disk under the scheme {@code flaky:}, a remote file system as far as srengine can tell
 * (inputs are copied, outputs go through Hadoop), that can be told to break the first attempt of a
 * task the way a dying executor would: the temporary copy of one result is written in full but its
 * stream fails on close, and the attempt cannot delete it either - as if its JVM had been killed
 * between writing and renaming. Spark then retries the task.
 */
public class FlakyFileSystem extends RawLocalFileSystem {
    private static volatile String breakFirstAttemptWriting;
    private static volatile int broken;

    /** Breaks the first attempt of the task that writes a temporary file whose name contains {@code fragment}. */
    static void breakFirstAttemptWriting(String fragment) {
        breakFirstAttemptWriting = fragment;
        broken = 0;
    }

    /** How many writes were broken since {@link #breakFirstAttemptWriting}. */
    static int broken() {
        return broken;
    }

    static void reset() {
        breakFirstAttemptWriting = null;
    }

    @Override
    public URI getUri() {
        return URI.create("flaky:///");
    }

    @Override
    public String getScheme() {
        return "flaky";
    }

    // The local file system's statuses read permissions through java.io.File, which only takes
    // file: URIs; plain statuses are what a remote file system returns anyway.
    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
        return plain(super.getFileStatus(p));
    }

    @Override
    public FileStatus[] listStatus(Path p) throws IOException {
        FileStatus[] all = super.listStatus(p);
        for (int i = 0; i < all.length; i++) {
            all[i] = plain(all[i]);
        }
        return all;
    }

    private static FileStatus plain(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(), s.getModificationTime(),
                s.getPath());
    }

    private static boolean breaks(Path p) {
        String f = breakFirstAttemptWriting;
        TaskContext ctx = TaskContext.get();
        return f != null && ctx != null && ctx.attemptNumber() == 0 && p.getName().contains(f)
                && p.getName().endsWith(AtomicOutput.TEMP_SUFFIX);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
            short replication, long blockSize, Progressable progress) throws IOException {
        return maybeBroken(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
            Progressable progress) throws IOException {
        return maybeBroken(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    private static FSDataOutputStream maybeBroken(Path f, FSDataOutputStream out) {
        if (!breaks(f)) {
            return out;
        }
        return new FSDataOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.close();
                broken++;
                throw new IOException("injected failure: the executor writing " + f + " died");
            }
        }, null);
    }

    @Override
    public boolean delete(Path p, boolean recursive) throws IOException {
        if (breaks(p)) {
            return false; // a dead JVM deletes nothing
        }
        return super.delete(p, recursive);
    }
}
