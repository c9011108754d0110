package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SrException;
import io.srengine.graph.Dim;
import io.srengine.image.ImageFiles;
import io.srengine.tensorrt.PlanFile;
import io.srengine.tensorrt.ShapeRange;
import io.srengine.tensorrt.TensorRtBuilder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code srengine trt-build}: builds a TensorRT plan from a model, as {@code trtexec --onnx
 * --saveEngine} does, into srengine's plan container (see {@link PlanFile}). Every argument is
 * checked before TensorRT is touched.
 */
@Command(name = "trt-build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a TensorRT plan from an ONNX model (or a bundled model's name) for this machine's GPU"
                + " and TensorRT version.",
                "The model goes through srengine's rewrites and is exported as strongly typed ONNX in FP32, or FP16"
                        + " with --fp16 (TensorRT 11 takes the precision from the file). The plan accepts every input"
                        + " shape between --min-shape and --max-shape and is tuned for --opt-shape; run it with"
                        + " `srengine upscale --backend tensorrt --plan FILE.plan`. Plans run only with the TensorRT"
                        + " version and GPU model they were built with; srengine checks both before loading one."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the plan was written", "2:bad input or arguments, or TensorRT cannot run here"})
public final class TrtBuildCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model, an ncnn FILE.param, a PyTorch checkpoint,"
            + " or a bundled or fetched model's name.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE.plan", description = "The plan file to write.")
    Path output;

    @Option(names = "--fp16", description = "Build from the FP16 export: float16 weights and activations.")
    boolean fp16;

    @Option(names = "--min-shape", paramLabel = "N,C,H,W", description = "Smallest input shape (default 1,C,"
            + ShapeRange.DEFAULT_MIN_SIDE + "," + ShapeRange.DEFAULT_MIN_SIDE + ").")
    String minShape;

    @Option(names = "--opt-shape", paramLabel = "N,C,H,W", description = "The shape kernels are tuned for (default 1,C,"
            + ShapeRange.DEFAULT_OPT_SIDE + "," + ShapeRange.DEFAULT_OPT_SIDE + ": a 256-pixel tile with 16 pixels of padding).")
    String optShape;

    @Option(names = "--max-shape", paramLabel = "N,C,H,W", description = "Largest input shape (default 1,C,"
            + ShapeRange.DEFAULT_MAX_SIDE + "," + ShapeRange.DEFAULT_MAX_SIDE + ").")
    String maxShape;

    @Option(names = "--timing-cache", paramLabel = "FILE",
            description = "TensorRT timing cache: read if it exists, written after the build; speeds up later builds on this GPU.")
    Path timingCache;

    @Option(names = "--workspace", paramLabel = "MiB", defaultValue = "0",
            description = "Builder workspace limit in MiB; 0 leaves TensorRT's default. Default: ${DEFAULT-VALUE}.")
    long workspaceMiB;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How models are found; tests substitute models built in code. */
    Function<String, Model> models = ModelResolver::resolve;

    @Override
    public Integer call() {
        if (workspaceMiB < 0) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "--workspace must be >= 0, was " + workspaceMiB);
        }
        Path in = Path.of(model);
        if (Files.exists(in) && ImageFiles.sameFile(in, output)) {
            throw new SrException(ErrorCode.IO_ERROR, "--out " + output + " is the input model; refusing to overwrite it");
        }
        AtomicFiles.checkCanWrite(output, "plan");
        if (timingCache != null) {
            AtomicFiles.checkCanWrite(timingCache, "timing cache");
        }
        ShapeRange explicit = explicitShapes();
        Model m = models.apply(model);
        ShapeRange shapes = explicit != null ? explicit : defaultShapes(m);
        TensorRtBuilder.checkModel(m, shapes);
        Precision precision = fp16 ? Precision.FP16 : Precision.FP32;
        PlanFile plan = TensorRtBuilder.build(m, new TensorRtBuilder.Options(shapes, precision, timingCache,
                workspaceMiB << 20));
        byte[] bytes = plan.toBytes();
        AtomicFiles.write(output, bytes);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s -> %s (%s, TensorRT %s, %s, compute capability %s; shapes %s; %d bytes)%n", model, output,
                plan.header().precision(), plan.header().tensorrtVersion(), plan.header().gpuName(), plan.header().computeCapability(),
                shapes, bytes.length);
        out.flush();
        return 0;
    }

    /** The profile from the options (all three shapes, checked before the model is read), or null for the defaults. */
    ShapeRange explicitShapes() {
        if (minShape == null && optShape == null && maxShape == null) {
            return null;
        }
        if (minShape == null || optShape == null || maxShape == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "give --min-shape, --opt-shape and --max-shape together,"
                    + " or none of them for the defaults");
        }
        return new ShapeRange(ShapeRange.parse(minShape, "--min-shape"), ShapeRange.parse(optShape, "--opt-shape"),
                ShapeRange.parse(maxShape, "--max-shape"));
    }

    /** The default profile at the model's channel count. */
    static ShapeRange defaultShapes(Model m) {
        Dim c = m.inputs().getFirst().type().rank() == 4 ? m.inputs().getFirst().type().shape().dim(1) : Dim.of(3);
        return ShapeRange.defaults(c.isKnown() ? (int) c.value() : 3);
    }
}
