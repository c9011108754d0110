package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import io.srengine.models.BundledModels;
import io.srengine.tensorrt.PlanFile;
import io.srengine.tensorrt.ShapeRange;
import io.srengine.tensorrt.TensorRtBackend;
import io.srengine.tensorrt.TileSizes;
import io.srengine.image.ImageFormat;
import io.srengine.upscale.CancellationToken;
import io.srengine.upscale.ProgressListener;
import io.srengine.upscale.Upscaler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code srengine upscale}: one image file to another, or every image of a directory into another. */
@Command(name = "upscale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Upscale an image, or every image in a directory, with a super-resolution model.",
            "",
            "Reads PNG (8/16-bit gray, gray+alpha, RGB, RGBA, palette), JPEG, BMP, WebP, GIF and TIFF. "
                    + "The output format follows OUTPUT's extension: png, jpg/jpeg, bmp or tif/tiff "
                    + "(WebP and GIF can be read but not written: no encoder is available). "
                    + "16-bit input gives 16-bit PNG/TIFF output; gray stays gray; alpha is upscaled "
                    + "separately with bicubic and kept where the format allows (JPEG and BMP get it "
                    + "composited over white).",
            "",
            "The image is processed in tiles, each with --tile-pad pixels of context on every side, so "
                    + "memory depends on the tile size, not the image. The output is written to a "
                    + "temporary file and moved into place: a failure leaves nothing behind."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every image was upscaled", "2:bad input or arguments; in a directory run, some image failed"})
public final class UpscaleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "An image file, or a directory of images.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT",
            description = "The output image file; for a directory INPUT, the output directory (created if missing).")
    Path output;

    @Option(names = "--model", paramLabel = "NAME|FILE.onnx",
            description = "A bundled model's name (see `srengine models`) or an ONNX file taking and returning "
                    + "NCHW RGB in [0,1]. Default: " + BundledModels.DEFAULT + ".")
    String model;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (see `srengine backends`); default: the best available.")
    String backend;

    @Option(names = "--plan", paramLabel = "FILE.plan",
            description = "A TensorRT plan from `srengine trt-build`, run on the tensorrt backend. The plan carries its"
                    + " model (so --model is not given) and its shape range: tiles are cut so that every window fits"
                    + " its maximum, and windows below its minimum are edge-padded up to it.")
    Path plan;

    @Option(names = "--tile", paramLabel = "N", defaultValue = "" + Upscaler.DEFAULT_TILE,
            description = "Largest tile side in input pixels; 0 processes the whole image at once. Default: ${DEFAULT-VALUE}.")
    int tile;

    @Option(names = "--tile-pad", paramLabel = "N",
            description = "Context around each tile in input pixels; tiles are seamless when it exceeds the "
                    + "model's receptive field. Default: what the model asks for (its tile_padding metadata), at least "
                    + Upscaler.DEFAULT_PADDING + ".")
    Integer tilePad;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "FP32",
            description = "Arithmetic: FP32, FP16 or BF16 (16-bit needs a backend that has it, e.g. cuda). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "CPU threads; 0 uses every processor. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--scale", paramLabel = "S",
            description = "Overall scale factor (e.g. 3 or 2.5) when it differs from the model's own: the model's "
                    + "output is then resampled with a Lanczos-3 filter (antialiased when shrinking).")
    Double scale;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    /** How models are found; tests substitute models built in code. */
    Function<String, Model> models = ModelResolver::resolve;
    /** Whether stderr is a terminal; null asks the console. Tests set it. */
    Boolean terminal;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(input)) {
            throw new SrException(ErrorCode.IO_ERROR, "input not found: " + input);
        }
        boolean directory = Files.isDirectory(input);
        List<Path> images = directory ? listImages(err) : List.of(input);
        Path outDir = directory ? prepareOutputDirectory() : null;
        if (!directory) {
            ImageFiles.checkOutput(input, output);
        }
        ProgressBar bar = new ProgressBar(err, isTerminal(), System::nanoTime);
        CancellationToken token = new CancellationToken();
        try (Upscaler upscaler = newUpscaler(quiet ? ProgressListener.NONE : bar)) {
            if (!directory) {
                bar.start(input.getFileName().toString());
                upscaler.upscale(input, output, token);
                return 0;
            }
            int failed = 0;
            for (Path in : images) {
                Path out = outDir.resolve(outputName(in));
                bar.start(in.getFileName().toString());
                try {
                    upscaler.upscale(in, out, token);
                } catch (SrException e) {
                    if (e.code() == ErrorCode.CANCELLED) {
                        throw e;
                    }
                    err.println("srengine: " + in + ": " + e.getMessage());
                    err.flush();
                    failed++;
                }
            }
            if (!quiet || failed > 0) {
                err.println("upscaled " + (images.size() - failed) + " of " + images.size() + " images into " + outDir
                        + (failed > 0 ? "; " + failed + " failed" : ""));
                err.flush();
            }
            return failed > 0 ? Main.EXIT_BAD_INPUT : 0;
        }
    }

    private Upscaler newUpscaler(ProgressListener listener) {
        SessionOptions.Builder ob = SessionOptions.builder().backend(backend).threads(threads).precision(precision);
        Model m;
        int tileSize = tile;
        if (plan != null) {
            PlanFile p = checkPlanArguments();
            ob.backend(TensorRtBackend.NAME).property("tensorrt.plan", plan.toString());
            m = Model.load(p.onnx());
            tileSize = fitTile(p.header().shapes(), "the plan's");
        } else {
            m = models.apply(model);
            if (TensorRtBackend.NAME.equalsIgnoreCase(String.valueOf(backend))) {
                tileSize = fitTile(ShapeRange.defaults(3), "the default TensorRT profile's");
            }
        }
        Upscaler.Builder b = Upscaler.builder(m).sessionOptions(ob.build()).tileSize(tileSize)
                .progressListener(listener);
        if (tilePad != null) {
            b.tilePadding(tilePad);
        }
        if (scale != null) {
            if (!(scale > 0) || scale.isInfinite()) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "--scale must be a positive number, was " + scale);
            }
            b.outputScale(scale);
        }
        return b.build();
    }

    /** --plan goes with the tensorrt backend only, and brings its own model and precision. */
    private PlanFile checkPlanArguments() {
        if (backend != null && !backend.equalsIgnoreCase(TensorRtBackend.NAME)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--plan runs on the tensorrt backend, not '" + backend
                    + "'; drop --backend or give --backend tensorrt");
        }
        if (model != null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--plan carries the model it was built from; drop --model");
        }
        if (precision != Precision.FP32) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a plan's precision is fixed when it is built"
                    + " (`srengine trt-build --fp16`); drop --precision");
        }
        return PlanFile.read(plan);
    }

    /** The tile size that keeps every window within {@code range}, saying so when it differs from --tile. */
    private int fitTile(ShapeRange range, String whose) {
        int pad = tilePad != null ? tilePad : Upscaler.DEFAULT_PADDING;
        int t = TileSizes.tileFor(range, tile, pad, scale != null);
        if (t != tile && !quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("tile size " + t + " (" + whose + " largest input is " + range.max()[2] + "x" + range.max()[3]
                    + " with " + pad + " pixels of padding on each side)");
            err.flush();
        }
        return t;
    }

    private List<Path> listImages(PrintWriter err) {
        List<Path> images = new ArrayList<>();
        int skipped = 0;
        try (Stream<Path> s = Files.list(input)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && ImageFiles.hasImageExtension(p)) {
                    images.add(p);
                } else if (!Files.isDirectory(p)) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list directory " + input + ": " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new SrException(ErrorCode.IO_ERROR, "no images (png, jpg, jpeg, bmp, webp, gif, tif, tiff) in " + input);
        }
        if (skipped > 0 && !quiet) {
            err.println("skipping " + skipped + " file(s) in " + input + " that are not images by their extension");
        }
        return images;
    }

    private Path prepareOutputDirectory() {
        if (ImageFiles.sameFile(input, output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output directory " + output + " is the input directory;"
                    + " refusing to overwrite the originals");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "input " + input + " is a directory, so OUTPUT must be one too, but "
                    + output + " is a file");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot create output directory " + output + ": " + e, e);
        }
        if (!Files.isWritable(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output directory " + output + " is not writable");
        }
        return output;
    }

    /** The input's name, with ".png" added where its format cannot be written. */
    static String outputName(Path in) {
        String name = in.getFileName().toString();
        ImageFormat f = ImageFormat.forPath(in);
        return f != null && f.canWrite() ? name : name + ".png";
    }

    private boolean isTerminal() {
        if (terminal != null) {
            return terminal;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }
}
