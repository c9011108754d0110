package io.srengine.models;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.onnx.OnnxImporter;
import java.io.IOException;
import java.io.InputStream;
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
    private static final List<String> FILE_EXTENSIONS = List.of(".onnx", ".pth", ".pt", ".ckpt", ".safetensors");

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
            new BundledModel("esrgan-medium-x4", 4, Origin.UPSCALERJS, "ESRGAN medium x4: RDN with 10 blocks (0.70 M parameters), about 3x slower than slim"));

    /** Where a bundled model's weights come from. */
    public enum Origin {
        /** Trained by srengine's own pipeline ({@code tools/train}) for PSNR on bicubic-shrunk photographs. */
        SRENGINE,
        /** UpscalerJS's ESRGAN models, converted from TensorFlow.js ({@code tools/convert-upscalerjs.sh}). */
        UPSCALERJS
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
        /** The classpath resource holding the ONNX bytes. */
        public String resourcePath() {
            return RESOURCE_DIR + name + ".onnx";
        }

        /**
         * A new stream over the ONNX bytes; the caller closes it.
         *
         * @throws SrException {@code IO_ERROR} when the resource is missing from the classpath
         */
        public InputStream openStream() {
            InputStream in = BundledModels.class.getResourceAsStream(resourcePath());
            if (in == null) {
                throw new SrException(ErrorCode.IO_ERROR, "bundled model '" + name + "' is missing from the classpath ("
                        + resourcePath() + "); is the srengine models jar complete?");
            }
            return in;
        }

        /** The ONNX bytes. */
        public byte[] bytes() {
            try (InputStream in = openStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read bundled model '" + name + "': " + e.getMessage(), e);
            }
        }

        /** The model's {@code metadata_props}, read from the file without preparing it to run. */
        public Map<String, String> metadata() {
            return Map.copyOf(OnnxImporter.read(bytes(), null, resourcePath()).metadata());
        }

        /** Loads the model, ready for {@link Model#newSession()}. */
        public Model load() {
            return Model.load(bytes());
        }
    }

    /** Every bundled model: srengine's own (SRVGGNetCompact, ESPCN, FSRCNN), then UpscalerJS's slim and medium. */
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
     * format {@code Model.load} recognises, such as PyTorch checkpoints), or a bundled model's name.
     *
     * @param spec a path to a model file, a bundled model's name, or null for the default ({@value #DEFAULT})
     * @throws SrException {@code INVALID_ARGUMENT} when nothing of that name exists (naming the
     *     bundled models), {@code IO_ERROR} / {@code INVALID_MODEL} from loading the file
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
        return find(spec).orElseThrow(() -> new SrException(ErrorCode.INVALID_ARGUMENT, "'" + spec
                + "' is neither an .onnx file nor a bundled model (nor a checkpoint: .pth, .pt, .ckpt, .safetensors);"
                + " the bundled models are " + ALL.stream().map(BundledModel::name).toList())).load();
    }
}
