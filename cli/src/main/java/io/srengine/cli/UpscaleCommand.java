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
import io.srengine.image.WriteOptions;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code srengine upscale}: one image file to another, or every image of a directory into another. */
@Command(name = "upscale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Upscale an image, or every image in a directory, with a super-resolution model.",
            "",
            "Reads PNG (8/16-bit gray, gray+alpha, RGB, RGBA, palette), JPEG, BMP, WebP, GIF and TIFF, "
                    + "upright by their EXIF orientation and converted to sRGB from their ICC profile or PNG "
                    + "gAMA/cHRM chunks. Animated GIF, PNG and WebP are refused (extract a frame first). "
                    + "The output format follows OUTPUT's extension (or --format): png, jpg/jpeg, bmp, tif/tiff"
                    + " or webp (lossy at --quality, encoded by libwebp). GIF is never written. The output is sRGB, tagged as such when the input "
                    + "declared a colour space; EXIF (orientation reset) and XMP are kept in PNG and JPEG "
                    + "unless --strip-metadata. 16-bit input gives 16-bit PNG/TIFF output; gray stays gray; "
                    + "alpha is upscaled separately (--alpha) and kept where the format allows (JPEG and BMP "
                    + "get it composited over white).",
            "",
            "The image is processed in tiles, each with --tile-pad pixels of context on every side, and "
                    + "the output is encoded band by band as the tiles finish, so memory depends on the tile "
                    + "size, not the image. The output is written to a temporary file and moved into place: "
                    + "a failure leaves nothing behind.",
            "",
            "A directory INPUT is walked recursively (--no-recursive: its top level only) and its folder "
                    + "structure recreated under OUTPUT; each image keeps its name, plus --suffix, with the "
                    + "extension of --format (default: its own format where it can be written, else png). "
                    + "Two inputs that would give the same output name are refused before any work, naming both.",
            "",
            "A video INPUT (.mp4, .mkv, .mov, .webm, .avi) is upscaled frame by frame into a video OUTPUT with every "
                    + "frame at its own time, the audio and subtitles, and the colour metadata (see docs/video.md)."},
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

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "A bundled or fetched model's name (see `srengine models`), an ONNX file taking and returning "
                    + "NCHW RGB in [0,1], an ncnn FILE.param (its .bin beside it), or a PyTorch checkpoint (.pth, .pt,"
                    + " .ckpt, .safetensors) of an architecture srengine recognises (see docs/models.md). Default: "
                    + BundledModels.DEFAULT + ".")
    String model;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (see `srengine backends`); default: the best available.")
    String backend;

    @Option(names = "--plan", paramLabel = "FILE.plan",
            description = "A TensorRT plan from `srengine trt-build`, run on the tensorrt backend. The plan carries its"
                    + " model (so --model is not given) and its shape range: tiles are cut so that every window fits"
                    + " its maximum, and windows below its minimum are edge-padded up to it.")
    Path plan;

    @Option(names = "--tile", paramLabel = "N",
            description = "Largest tile side in input pixels; 0 processes the whole image at once. Default: "
                    + Upscaler.DEFAULT_TILE + ", or less when a quarter of the Java heap cannot hold the model's "
                    + "activations for it.")
    Integer tile;

    @Option(names = "--tile-pad", paramLabel = "N",
            description = "Context around each tile in input pixels; tiles are seamless when it exceeds the "
                    + "model's receptive field. Default: what the model asks for (its tile_padding metadata; two "
                    + "windows for SwinIR, HAT and DAT), at least " + Upscaler.DEFAULT_PADDING + ".")
    Integer tilePad;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "FP32",
            description = "Arithmetic: FP32, FP16 or BF16 (16-bit needs a backend that has it, e.g. cuda). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads, at most " + SessionOptions.MAX_THREADS + "; 0 (the default) uses one per processor.")
    int threads;

    @Option(names = "--scale", paramLabel = "S",
            description = "Overall scale factor (e.g. 3 or 2.5) when it differs from the model's own: the model's "
                    + "output is then resampled with a Lanczos-3 filter (antialiased when shrinking).")
    Double scale;

    @Option(names = "--format", paramLabel = "FMT",
            description = "Output format for a directory run: png, jpg, webp, tiff or bmp. For a single file it must "
                    + "agree with OUTPUT's extension.")
    String format;

    @Option(names = "--quality", paramLabel = "Q", description = "JPEG (and WebP) quality, 1 to 100. Default: 95.")
    Integer quality;

    @Option(names = "--suffix", paramLabel = "TEXT", description = "Added to each output name before its extension in a directory run, e.g. -x4.")
    String suffix;

    @Option(names = "--no-recursive", description = "In a directory run, take the images of INPUT's top level only.")
    boolean noRecursive;

    @Option(names = "--skip-existing", description = "Skip inputs whose output exists already (to resume an interrupted run).")
    boolean skipExisting;

    @Option(names = "--strip-metadata", description = "Write no EXIF or XMP (the output is still upright and sRGB).")
    boolean stripMetadata;

    @Option(names = "--tta", description = "Test-time augmentation: run each tile 8 times (flips and transposes) and "
            + "average; 8 times slower, a little more faithful (see docs/quality.md).")
    boolean tta;

    @Option(names = "--alpha", paramLabel = "MODE", defaultValue = "bicubic",
            description = "How alpha is enlarged: bicubic (the default), or model (through the model as a gray image: "
                    + "sharper edges, twice the work).")
    Upscaler.AlphaMode alpha;

    @Option(names = "--colorfix", description = "Keep the input's colours: take only detail from the model and the low "
            + "frequencies from the input (cures colour shifts of GAN models; see docs/quality.md).")
    boolean colorFix;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + Upscaler.DEFAULT_MAX_INPUT_PIXELS,
            description = "Refuse inputs whose header claims more pixels than this (a decompression-bomb guard). "
                    + "Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @CommandLine.Mixin
    VideoOptions video = new VideoOptions();

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
        if (VideoUpscaleRun.isVideo(input)) {
            try (Upscaler upscaler = newUpscaler(ProgressListener.NONE)) {
                return VideoUpscaleRun.run(input, output, upscaler, video, quiet, err, isTerminal());
            }
        }
        if (video.any()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--codec, --crf, --preset, --start and --duration are for"
                    + " video inputs (.mp4, .mkv, .mov, .webm, .avi)");
        }
        boolean directory = Files.isDirectory(input);
        ImageFormat forced = format == null ? null : parseFormat(format);
        if (quality != null && (quality < 1 || quality > 100)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--quality must be between 1 and 100, was " + quality);
        }
        List<Job> jobs;
        if (directory) {
            checkOutputDirectory();
            jobs = DirectoryRun.plan(input, output, !noRecursive, suffix == null ? "" : suffix, forced);
            createOutputDirectory();
        } else {
            if (suffix != null) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "--suffix names the outputs of a directory run; for one file,"
                        + " give the output name itself");
            }
            ImageFormat f = ImageFiles.checkOutput(input, output);
            if (forced != null && forced != f) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "OUTPUT " + output + " names a " + f + " file but --format says "
                        + forced + "; make them agree");
            }
            jobs = List.of(new Job(input, output));
        }
        int skipped = 0;
        if (skipExisting) {
            List<Job> todo = new ArrayList<>();
            for (Job j : jobs) {
                if (Files.exists(j.out())) {
                    skipped++;
                } else {
                    todo.add(j);
                }
            }
            jobs = todo;
        }
        if (jobs.isEmpty()) {
            if (!quiet) {
                err.println("nothing to do: every output exists (" + skipped + " skipped)");
                err.flush();
            }
            return 0;
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
            for (Job j : jobs) {
                bar.start(input.relativize(j.in()).toString());
                try {
                    Files.createDirectories(j.out().getParent());
                    upscaler.upscale(j.in(), j.out(), token);
                } catch (SrException e) {
                    if (e.code() == ErrorCode.CANCELLED) {
                        throw e;
                    }
                    err.println("srengine: " + j.in() + ": " + e.getMessage());
                    err.flush();
                    failed++;
                } catch (IOException e) {
                    err.println("srengine: " + j.in() + ": cannot create " + j.out().getParent() + ": " + e.getMessage());
                    err.flush();
                    failed++;
                }
            }
            if (!quiet || failed > 0) {
                err.println("upscaled " + (jobs.size() - failed) + " of " + jobs.size() + " images into " + output
                        + (failed > 0 ? "; " + failed + " failed" : "") + (skipped > 0 ? "; " + skipped + " skipped (output exists)" : ""));
                err.flush();
            }
            return failed > 0 ? Main.EXIT_BAD_INPUT : 0;
        }
    }

    /** One image to upscale and where its result goes. */
    record Job(Path in, Path out) {}

    static ImageFormat parseFormat(String name) {
        ImageFormat f = ImageFormat.forPath(Path.of("x." + name.toLowerCase(java.util.Locale.ROOT)));
        if (f == null || f == ImageFormat.GIF) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--format must be one of png, jpg, webp, tiff, bmp; was '" + name + "'");
        }
        if (!f.canWrite()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--format " + name + ": no " + f + " encoder is available here");
        }
        return f;
    }

    private Upscaler newUpscaler(ProgressListener listener) {
        SessionOptions.Builder ob = SessionOptions.builder().backend(backend).threads(threads).precision(precision);
        Model m;
        Integer tileSize = tile;
        if (plan != null) {
            PlanFile p = checkPlanArguments();
            ob.backend(TensorRtBackend.NAME).property("tensorrt.plan", plan.toString());
            m = Model.load(p.onnx());
            tileSize = fitTile(m, p.header().shapes(), "the plan's");
        } else {
            m = models.apply(model);
            if (TensorRtBackend.NAME.equalsIgnoreCase(String.valueOf(backend))) {
                tileSize = fitTile(m, ShapeRange.defaults(3), "the default TensorRT profile's");
            }
        }
        Upscaler.Builder b = Upscaler.builder(m).sessionOptions(ob.build()).progressListener(listener)
                .tta(tta).alphaMode(alpha).colorFix(colorFix).maxInputPixels(maxPixels).keepMetadata(!stripMetadata)
                .writeOptions(WriteOptions.defaults().withQuality(quality == null ? WriteOptions.DEFAULT_QUALITY : quality / 100f));
        if (tilePad != null) {
            b.tilePadding(tilePad);
        }
        if (tileSize != null) {
            b.tileSize(tileSize);
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
    private int fitTile(Model m, ShapeRange range, String whose) {
        int asked = tile == null ? Upscaler.DEFAULT_TILE : tile;
        int pad = tilePad != null ? tilePad : Upscaler.defaultTilePadding(m);
        int t = TileSizes.tileFor(range, asked, pad, scale != null);
        if (t != asked && !quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("tile size " + t + " (" + whose + " largest input is " + range.max()[2] + "x" + range.max()[3]
                    + " with " + pad + " pixels of padding on each side)");
            err.flush();
        }
        return t;
    }

    private void checkOutputDirectory() {
        if (ImageFiles.sameFile(input, output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output directory " + output + " is the input directory;"
                    + " refusing to overwrite the originals");
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "input " + input + " is a directory, so OUTPUT must be one too, but "
                    + output + " is a file");
        }
    }

    private void createOutputDirectory() {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot create output directory " + output + ": " + e, e);
        }
        if (!Files.isWritable(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output directory " + output + " is not writable");
        }
    }

    private boolean isTerminal() {
        if (terminal != null) {
            return terminal;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }
}
