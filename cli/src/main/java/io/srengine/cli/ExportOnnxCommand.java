package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
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
 * {@code srengine export-onnx}: writes a model as srengine prepares it (constants folded, batch
 * norms folded, pixel shuffles recognised) to an ONNX file, in FP32 or FP16, for other runtimes such
 * as TensorRT ({@code srengine trt-build}).
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model, after srengine's rewrites, as an ONNX file (opset 13 or newer) with dynamic"
                + " batch, height and width.",
                "With --fp16 the weights and all activations are float16 and the graph is strongly typed, as"
                        + " TensorRT's strongly typed networks require; inputs and outputs stay float32 through"
                        + " Cast nodes. The file is written to a temporary name and moved into place."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:written", "2:bad input or arguments"})
public final class ExportOnnxCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A bundled or fetched model's name (see `srengine models`),"
            + " an ONNX file, an ncnn FILE.param or a PyTorch checkpoint (.pth, .pt, .ckpt, .safetensors), which this turns into ONNX.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "The ONNX file to write.")
    Path output;

    @Option(names = "--fp16", description = "Float16 weights and activations (float32 inputs and outputs).")
    boolean fp16;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How models are found; tests substitute models built in code. */
    Function<String, Model> models = ModelResolver::resolve;

    @Override
    public Integer call() {
        Path in = Path.of(model);
        if (Files.exists(in) && ImageFiles.sameFile(in, output)) {
            throw new SrException(ErrorCode.IO_ERROR, "--out " + output + " is the input model; refusing to overwrite it");
        }
        Model m = models.apply(model);
        Precision precision = fp16 ? Precision.FP16 : Precision.FP32;
        byte[] bytes = m.toOnnx(precision);
        AtomicFiles.write(output, bytes);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s -> %s (%s, %d nodes, %d bytes)%n", model, output, precision,
                m.graph().nodes().size(), bytes.length);
        out.flush();
        return 0;
    }
}
