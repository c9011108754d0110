package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    /** The longest name a file system takes (255 bytes) still works: the temporary name does not grow with it. */
    @Test
    void longestLegalNameWorks() throws Exception {
        Path target = dir.resolve("a".repeat(251) + ".png");
        ImageFiles.write(TestImages.make(PixelFormat.RGB8, 3, 2), target);
        assertTrue(Files.exists(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }

    /** Every file written is forgotten by the exit hook once done: a long-running process does not accumulate entries. */
    @Test
    void finishedFilesLeaveNothingForTheExitHook() {
        int before = AtomicOutput.liveCount();
        for (int i = 0; i < 50; i++) {
            ImageFiles.write(TestImages.make(PixelFormat.RGB8, 2, 2), dir.resolve("f" + i + ".png"));
        }
        try (AtomicOutput o = AtomicOutput.open(dir.resolve("x.png"))) {
            assertEquals(before + 1, AtomicOutput.liveCount(), "an open output is deleted at exit if need be");
        }
        assertEquals(before, AtomicOutput.liveCount());
    }

    /** A writer killed outright (SIGKILL) leaves its .part file; the next output in that directory removes it. */
    @Test
    void partFilesOfAKilledProcessAreSwept() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessHandle h = sleeper.toHandle();
            String start = Long.toString(h.info().startInstant().orElseThrow().toEpochMilli() / 1000, 36);
            Path orphan = Files.createFile(dir.resolve(".srengine-" + h.pid() + "-" + start + "-1.part"));
            Path reused = Files.createFile(dir.resolve(".srengine-" + h.pid() + "-zzzz-1.part"));
            Path other = Files.createFile(dir.resolve(".other.part"));
            AtomicOutput.sweepStale(dir);
            assertTrue(Files.exists(orphan), "the writer still runs: its file stays");
            assertFalse(Files.exists(reused), "same number, other start time: the number was reused, the file is stale");
            sleeper.destroyForcibly();
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
            ImageFiles.write(TestImages.make(PixelFormat.RGB8, 2, 2), dir.resolve("out.png"));
            assertFalse(Files.exists(orphan), "swept once its process is gone");
            assertTrue(Files.exists(other), "files srengine did not name are never touched");
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
