package io.srengine.cli;

import io.srengine.DataType;
import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.Tensor;
import io.srengine.formats.pytorch.CheckpointReader;
import io.srengine.formats.pytorch.PytorchModelFormat;
import io.srengine.formats.pytorch.StateDict;
import io.srengine.graph.ValueInfo;
import io.srengine.spi.ModelFormat;
import io.srengine.spi.ModelFormats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code srengine models inspect MODEL}: what a model file or bundled model is. For a PyTorch
 * checkpoint: its container format, where the state dict was found, how many tensors and of which
 * type, then the detected architecture with its hyper-parameters, scale and parameter count (or why
 * it is refused); for any model: inputs, outputs and metadata.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a model is: for a PyTorch checkpoint (.pth, .pt, .ckpt, .safetensors) its format,"
                + " architecture (detected from the weights), scale, parameters and weight type; for any model its"
                + " inputs, outputs and metadata."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:shown", "2:unreadable, or a checkpoint of an architecture srengine does not build"})
final class ModelsInspectCommand implements Callable<Integer> {
    /** Metadata shown first, in this order; the rest follows as stored. */
    private static final List<String> FIRST = List.of(ModelMetadata.NAME, ModelMetadata.ARCHITECTURE,
            ModelMetadata.SCALE, ModelMetadata.PARAMETERS, ModelMetadata.WEIGHT_TYPE);

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file or a bundled model's name.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How models are found; tests substitute their own. */
    Function<String, Model> models = ModelResolver::resolve;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path path = Path.of(model);
        ModelFormat format = Files.isRegularFile(path) ? ModelFormats.find(path) : null;
        out.printf("%-14s %s%n", "model", model);
        if (format instanceof PytorchModelFormat) {
            // What the file holds is worth showing even when its architecture is then refused.
            StateDict sd = CheckpointReader.read(path);
            out.printf("%-14s %s%n", "format", sd.format().description());
            if (!sd.wrapper().isEmpty()) {
                out.printf("%-14s %s%n", "state dict", sd.wrapper());
            }
            out.printf("%-14s %d (%s)%n", "tensors", sd.size(), types(sd));
            out.flush();
        } else {
            out.printf("%-14s %s%n", "format", format == null ? (Files.isRegularFile(path) ? "ONNX" : "bundled model")
                    : format.name());
        }
        Model m = models.apply(model);
        Map<String, String> md = m.metadata();
        for (String k : FIRST) {
            if (md.containsKey(k)) {
                out.printf("%-14s %s%n", k, md.get(k));
            }
        }
        if (!md.containsKey(ModelMetadata.WEIGHT_TYPE)) {
            out.printf("%-14s %s%n", ModelMetadata.WEIGHT_TYPE, initializerTypes(m));
        }
        for (ValueInfo v : m.inputs()) {
            out.printf("%-14s %s %s%n", "input", v.name(), v.type());
        }
        for (ValueInfo v : m.outputs()) {
            out.printf("%-14s %s %s%n", "output", v.name(), v.type());
        }
        md.forEach((k, v) -> {
            if (!FIRST.contains(k)) {
                out.printf("%-14s %s%n", k, v);
            }
        });
        out.flush();
        return 0;
    }

    private static String types(StateDict sd) {
        Set<String> t = new LinkedHashSet<>();
        sd.floatingTypes().forEach(s -> t.add(s.torchName()));
        return t.isEmpty() ? "no floating-point tensors" : String.join(", ", t);
    }

    private static String initializerTypes(Model m) {
        Set<String> t = new LinkedHashSet<>();
        for (Tensor w : m.graph().initializers().values()) {
            if (w.dataType() != DataType.INT64 && w.dataType() != DataType.INT32) {
                t.add(w.dataType().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return String.join(", ", t);
    }
}
