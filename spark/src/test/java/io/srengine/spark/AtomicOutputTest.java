package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on Hadoop's local file system and on one that, like HDFS and S3A, never renames over a file. */
class AtomicOutputTest {
    @TempDir
    java.nio.file.Path dir;

    /** The local disk with HDFS's rename rule: a rename onto an existing file is refused. */
    public static final class NoReplaceFileSystem extends RawLocalFileSystem {
        @Override
        public boolean rename(Path src, Path dst) throws IOException {
            return !exists(dst) && super.rename(src, dst);
        }
    }

    static FileSystem local() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    static FileSystem noReplace() throws IOException {
        NoReplaceFileSystem fs = new NoReplaceFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        return fs;
    }

    java.nio.file.Path local(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    Path target(String rel) {
        return new Path(dir.resolve("out").toUri().toString() + "/" + rel);
    }

    List<String> outFiles() {
        return ImageTree.files(dir.resolve("out"));
    }

    @Test
    void writesTheFileAndNothingElseNotEvenChecksums() throws IOException {
        new AtomicOutput(local()).commit(local("a", "AAAA"), target("sub/x.png"), "r1-1", false);
        assertEquals(List.of("sub/x.png"), outFiles(), "no .crc, no temporary file");
        assertEquals("AAAA", Files.readString(dir.resolve("out/sub/x.png")));
    }

    @Test
    void aSecondAttemptOfTheSameTaskLeavesOneCompleteFile() throws IOException {
        for (FileSystem fs : List.of(local(), noReplace())) {
            AtomicOutput out = new AtomicOutput(fs);
            out.commit(local("a", "RESULT"), target("x.png"), "r1-1", false);
            out.commit(local("b", "RESULT"), target("x.png"), "r1-2", false); // the speculative copy, finishing second
            assertEquals(List.of("x.png"), outFiles(), fs.getClass().getSimpleName());
            assertEquals("RESULT", Files.readString(dir.resolve("out/x.png")));
            out.commit(local("c", "NEWER"), target("x.png"), "r2-1", true);
            assertEquals("NEWER", Files.readString(dir.resolve("out/x.png")), "overwrite replaces on " + fs.getClass().getSimpleName());
            assertEquals(List.of("x.png"), outFiles());
            Files.delete(dir.resolve("out/x.png"));
        }
    }

    @Test
    void racingAttemptsNeverLeaveAMixedOrPartialFile() throws Exception {
        byte[] a = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        byte[] b = "B".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        java.nio.file.Path la = Files.write(dir.resolve("a"), a);
        java.nio.file.Path lb = Files.write(dir.resolve("b"), b);
        AtomicOutput out = new AtomicOutput(noReplace());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                Path t = target("r" + round + ".png");
                boolean overwrite = round % 2 == 0;
                List<Future<?>> fs = new ArrayList<>();
                fs.add(pool.submit(() -> { out.commit(la, t, "run-1", overwrite); return null; }));
                fs.add(pool.submit(() -> { out.commit(lb, t, "run-2", overwrite); return null; }));
                for (Future<?> f : fs) {
                    f.get();
                }
                byte[] got = Files.readAllBytes(dir.resolve("out/r" + round + ".png"));
                assertTrue(java.util.Arrays.equals(got, a) || java.util.Arrays.equals(got, b), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, outFiles().size(), "no temporary files: " + outFiles());
    }

    @Test
    void aFailedWriteLeavesNothing() throws IOException {
        AtomicOutput out = new AtomicOutput(local());
        assertThrows(IOException.class, () -> out.commit(dir.resolve("missing"), target("x.png"), "r1-1", false));
        assertEquals(List.of(), outFiles());
    }

    @Test
    void temporaryNamesAreHiddenUniqueAndFitA255ByteLimit() {
        String longName = "é".repeat(120) + ".png"; // 244 bytes: legal, but not with a suffix added
        Path t = target(longName);
        Path tmp = AtomicOutput.temporary(t, "0123abcd-123456");
        assertEquals(t.getParent(), tmp.getParent());
        assertTrue(tmp.getName().startsWith(".") && tmp.getName().endsWith(AtomicOutput.TEMP_SUFFIX), tmp.getName());
        assertTrue(tmp.getName().getBytes(StandardCharsets.UTF_8).length <= 255, tmp.getName());
        assertTrue(tmp.getName().contains("0123abcd-123456"));
        assertEquals(".x.png.r-1.srtmp", AtomicOutput.temporary(target("x.png"), "r-1").getName());
    }

    @Test
    void sweepRemovesOnlyThisRunsLeftovers() throws IOException {
        Files.createDirectories(dir.resolve("out/sub"));
        Files.writeString(dir.resolve("out/sub/.a.png.run1-5.srtmp"), "half");
        Files.writeString(dir.resolve("out/.b.png.run2-7.srtmp"), "another run's");
        Files.writeString(dir.resolve("out/c.png"), "done");
        assertEquals(1, AtomicOutput.sweep(local(), new Path(dir.resolve("out").toUri()), "run1"));
        assertEquals(List.of(".b.png.run2-7.srtmp", "c.png"), outFiles());
        assertArrayEquals("done".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("out/c.png")));
    }
}
