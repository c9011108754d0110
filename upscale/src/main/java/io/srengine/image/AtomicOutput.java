package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file written all or nothing: the bytes go to a temporary file in the target's directory that
 * {@link #commit()} renames over the target, so neither a failure nor a crash leaves a partial file
 * under the target's name.
 *
 * <p>The temporary name is short and fixed-length ({@code .srengine-PID-START-N.part}, under 60
 * bytes), so any target name the file system accepts works; it names the writing process and the
 * time that process started. A process killed outright (SIGKILL, power loss) cannot delete its
 * temporary file, so opening an output in a directory first deletes the {@code .part} files there
 * whose process is gone (or is another process that reused the number). Files of a process that
 * exits normally or on a signal it can handle (Ctrl-C) are deleted by one shutdown hook, which
 * forgets each file once it is committed or closed: a long-running process does not accumulate
 * entries the way {@link java.io.File#deleteOnExit()} does.
 *
 * <p>Use in try-with-resources: {@link #close()} deletes the temporary file unless it was committed.
 */
public final class AtomicOutput implements AutoCloseable {
    private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
    private static final Pattern PART = Pattern.compile("\\.srengine-(\\d+)-([0-9a-z]+)-\\d+\\.part");
    private static final long PID = ProcessHandle.current().pid();
    private static final String START = startOf(ProcessHandle.current()).map(AtomicOutput::base36).orElse("0");
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(() -> {
            for (Path p : LIVE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // exiting anyway; nothing better to do
                }
            }
        }, "srengine-part-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the next run's stale-file sweep removes what is left
        }
    }

    private final Path target;
    private final Path temp;
    private boolean committed;
    private boolean closed;

    private AtomicOutput(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Creates the temporary file for {@code target} (after sweeping stale ones from its directory).
     *
     * @throws SrException {@code IO_ERROR} naming the target when the directory is missing or not writable
     */
    public static AtomicOutput open(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + target + ": it has no parent directory");
        }
        sweepStale(dir);
        while (true) {
            Path tmp = dir.resolve(".srengine-" + PID + "-" + START + "-" + COUNTER.incrementAndGet() + ".part");
            try {
                Files.createFile(tmp);
                LIVE.add(tmp);
                return new AtomicOutput(target, tmp);
            } catch (FileAlreadyExistsException e) {
                // left by an earlier process with the same number and start: try the next counter
            } catch (NoSuchFileException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot write " + target + ": directory " + dir + " does not exist", e);
            } catch (AccessDeniedException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot write " + target + ": permission denied in " + dir, e);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** Where to write the bytes. */
    public Path temp() {
        return temp;
    }

    /** The file that {@link #commit()} replaces. */
    public Path target() {
        return target;
    }

    /**
     * Gives the temporary file the target's permissions (or rw-r--r-- for a new file) and renames it
     * over the target, atomically where the file system can.
     */
    public void commit() {
        if (closed || committed) {
            throw new SrException(ErrorCode.CLOSED, "the output " + target + " was already " + (committed ? "committed" : "closed"));
        }
        setPermissions();
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
        }
        committed = true;
        LIVE.remove(temp);
    }

    private void setPermissions() {
        // The temporary file was created with the process's umask; the result should look like any
        // other file the user writes, or keep the permissions of the file it replaces.
        try {
            Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target) : DEFAULT_PERMISSIONS;
            Files.setPosixFilePermissions(temp, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or the old file vanished: keep what the system gave
        }
    }

    /** Deletes the temporary file unless committed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is what matters to the caller; the next sweep removes it
            }
        }
        LIVE.remove(temp);
    }

    /** Temporary files this process has open and will delete at exit (for tests). */
    static int liveCount() {
        return LIVE.size();
    }

    /** Deletes {@code .part} files in {@code dir} whose writing process no longer runs. */
    static void sweepStale(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".srengine-*.part")) {
            for (Path p : files) {
                Matcher m = PART.matcher(p.getFileName().toString());
                if (m.matches() && isStale(Long.parseLong(m.group(1)), m.group(2))) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // someone else's file we may not delete: leave it
                    }
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // an unlistable directory fails later with a proper message when the file is created
        }
    }

    private static boolean isStale(long pid, String start) {
        if (pid == PID && start.equals(START)) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        // A live process with that number: stale only if it started at another time (the number was reused).
        return startOf(p.get()).map(AtomicOutput::base36).map(s -> !s.equals(start)).orElse(false);
    }

    private static Optional<Instant> startOf(ProcessHandle p) {
        return p.info().startInstant();
    }

    private static String base36(Instant t) {
        return Long.toString(t.toEpochMilli() / 1000, 36);
    }
}
