package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import io.srengine.models.BundledModels;
import io.srengine.image.PlanarImage;
import io.srengine.upscale.Upscaler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code srengine eval}: how much better than bicubic a model restores downscaled photographs. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measure a model against bicubic interpolation on high-resolution images.",
            "",
            "Each image is cropped to a multiple of the model's scale and shrunk with antialiased bicubic "
                    + "(MATLAB imresize, as BasicSR does); the 8-bit result is enlarged back by the model and by "
                    + "bicubic. PSNR (dB) and SSIM are computed on the Y channel (BT.601, MATLAB rgb2ycbcr) with "
                    + "`scale` pixels left out at each border, per image and as the mean."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every image was evaluated", "2:bad input or arguments, or some image could not be evaluated"})
public final class EvalCommand implements Callable<Integer> {
    /** Side of the square crops in comparison images, in high-resolution pixels. */
    static final int COMPARISON_SIZE = 192;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "High-resolution images, or directories of them.")
    List<Path> inputs;

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "A bundled or fetched model's name (see `srengine models`), an ONNX file, an ncnn FILE.param"
                    + " or a PyTorch checkpoint (.pth, .pt, .ckpt, .safetensors). Default: " + BundledModels.DEFAULT + ".")
    String model;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on; default: the best available.")
    String backend;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "FP32",
            description = "Arithmetic: FP32, FP16 or BF16 (16-bit needs a backend that has it, e.g. cuda). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "CPU threads; 0 uses every processor.")
    int threads;

    @Option(names = "--tile", paramLabel = "N",
            description = "Largest tile side in low-resolution pixels; 0 for whole images. Default: as `upscale` chooses it.")
    Integer tile;

    @Option(names = "--tta", description = "Measure with test-time augmentation (8 passes per tile, averaged), as `upscale --tta`.")
    boolean tta;

    @Option(names = "--colorfix", description = "Measure with the colour fix, as `upscale --colorfix`.")
    boolean colorFix;

    @Option(names = "--save-comparison", paramLabel = "DIR",
            description = "Write NAME-comparison.png for each image into DIR: " + COMPARISON_SIZE + "-pixel crops "
                    + "side by side, left to right: the low-resolution input (pixels repeated), bicubic, the model, the original.")
    Path comparisons;

    /** How models are found; tests substitute models built in code. */
    Function<String, Model> models = ModelResolver::resolve;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = collect();
        if (comparisons != null) {
            try {
                Files.createDirectories(comparisons);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot create comparison directory " + comparisons + ": " + e, e);
            }
        }
        SessionOptions options = SessionOptions.builder().backend(backend).threads(threads).precision(precision).build();
        Upscaler.Builder builder = Upscaler.builder(models.apply(model)).sessionOptions(options).tta(tta).colorFix(colorFix);
        if (tile != null) {
            builder.tileSize(tile);
        }
        try (Upscaler up = builder.build()) {
            int s = up.modelScale();
            out.printf("model %s (x%d)%s on backend %s; PSNR (dB) and SSIM on Y (BT.601), %d-pixel border excluded;%n",
                    up.modelName(), s, (tta ? " with TTA" : "") + (colorFix ? " with colour fix" : ""), up.backendName(), s);
            out.println("low-resolution inputs made with MATLAB-style antialiased bicubic downscaling");
            out.println();
            out.printf("%-28s %11s  %9s %7s  %9s %7s  %7s%n", "IMAGE", "SIZE", "BICUBIC", "SSIM", "MODEL", "SSIM", "GAIN");
            double[] sums = new double[4];
            int done = 0;
            int failed = 0;
            for (Path p : images) {
                try {
                    QualityEvaluation.Result r = QualityEvaluation.run(PlanarImage.from(ImageFiles.read(p)), up);
                    row(out, p.getFileName().toString(), r.hr().width() + "x" + r.hr().height(), r.psnrBicubic(),
                            r.ssimBicubic(), r.psnrModel(), r.ssimModel());
                    sums[0] += r.psnrBicubic();
                    sums[1] += r.ssimBicubic();
                    sums[2] += r.psnrModel();
                    sums[3] += r.ssimModel();
                    done++;
                    if (comparisons != null) {
                        ImageFiles.write(QualityEvaluation.comparison(r, COMPARISON_SIZE), comparisons.resolve(stem(p) + "-comparison.png"));
                    }
                } catch (SrException e) {
                    if (e.code() == ErrorCode.CANCELLED) {
                        throw e;
                    }
                    err.println("srengine: " + p + ": " + e.getMessage());
                    err.flush();
                    failed++;
                }
            }
            if (done > 0) {
                row(out, "mean of " + done, "", sums[0] / done, sums[1] / done, sums[2] / done, sums[3] / done);
            }
            out.flush();
            return failed > 0 ? Main.EXIT_BAD_INPUT : 0;
        }
    }

    private static void row(PrintWriter out, String name, String size, double pb, double sb, double pm, double sm) {
        out.printf(Locale.ROOT, "%-28s %11s  %9.2f %7.4f  %9.2f %7.4f  %+7.2f%n", name, size, pb, sb, pm, sm, pm - pb);
    }

    private List<Path> collect() {
        List<Path> images = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new SrException(ErrorCode.IO_ERROR, "input not found: " + in);
            }
            if (!Files.isDirectory(in)) {
                images.add(in);
                continue;
            }
            try (Stream<Path> s = Files.list(in)) {
                s.filter(p -> Files.isRegularFile(p) && ImageFiles.hasImageExtension(p)).sorted().forEach(images::add);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot list directory " + in + ": " + e.getMessage(), e);
            }
        }
        if (images.isEmpty()) {
            throw new SrException(ErrorCode.IO_ERROR, "no images to evaluate in " + inputs);
        }
        return images;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
