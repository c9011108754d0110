package io.srengine.cli;

import io.srengine.ModelMetadata;
import io.srengine.graph.Graph;
import io.srengine.onnx.OnnxExporter;
import io.srengine.formats.tfjs.ImageModelConvention;
import io.srengine.formats.tfjs.TfjsImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Converts a TensorFlow.js layers model (a Keras super-resolution network) into an ONNX file that
 * follows srengine's image convention: RGB in [0, 1] in, RGB in [0, 1] out, dynamic batch and size,
 * with the model's description in its {@code metadata_props}.
 */
@Command(name = "convert-tfjs", mixinStandardHelpOptions = true,
        description = {"Convert a TensorFlow.js layers model (model.json and its weight shards) into an ONNX model"
                + " that takes and returns RGB in [0, 1].",
                "Supported layers: Conv2D, Concatenate, Add, Activation, ReLU, LeakyReLU, UpSampling2D (nearest),"
                        + " and UpscalerJS's MultiplyBeta and PixelShuffle<s>x."})
public final class ConvertTfjsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL_JSON", description = "The model.json; its weight shards are read from the same directory.")
    Path modelJson;

    @Parameters(index = "1", paramLabel = "OUTPUT_ONNX", description = "The ONNX file to write.")
    Path output;

    @Option(names = "--name", required = true, description = "srengine's name for the model, e.g. esrgan-slim-x2.")
    String name;

    @Option(names = "--scale", required = true, description = "The upscaling factor; checked against the network.")
    int scale;

    @Option(names = "--input-range", defaultValue = "1", paramLabel = "MAX",
            description = "The top of the value range the network computes in: 255 for pixels in 0-255, 1 for 0-1"
                    + " (default: ${DEFAULT-VALUE}).")
    double inputRange;

    @Option(names = "--architecture", defaultValue = "unknown", description = "Architecture and hyper-parameters to record.")
    String architecture;

    @Option(names = "--source", description = "Where the weights come from (default: the model.json path).")
    String source;

    @Option(names = "--license", defaultValue = "unknown", description = "Licence and copyright line of the weights.")
    String license;

    @Option(names = "--training-data", description = "The data set the weights were trained on.")
    String trainingData;

    @Option(names = "--description", description = "One line for model listings.")
    String description;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Graph graph = TfjsImporter.read(modelJson);
        ImageModelConvention.apply(graph, new ImageModelConvention.Info(name, scale, inputRange, architecture,
                source == null ? modelJson.toString() : source, license, trainingData, description));
        byte[] bytes = OnnxExporter.toBytes(graph);
        AtomicFiles.write(output, bytes);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %s, x%d, %s parameters, %d nodes -> %s (%d bytes)%n", name, architecture, scale,
                graph.metadata().get(ModelMetadata.PARAMETERS), graph.nodes().size(), output, bytes.length);
        out.flush();
        return 0;
    }

    /**
     * Runs this command on its own, with the main command's error handling, so that {@code
     * tools/convert-upscalerjs.sh} can call it directly: {@code java -cp cli/target/srengine-cli.jar
     * io.srengine.cli.ConvertTfjsCommand ARGS}.
     */
    public static void main(String[] args) {
        CommandLine cl = Main.newCommandLine();
        if (!cl.getSubcommands().containsKey("convert-tfjs")) {
            cl.addSubcommand(new ConvertTfjsCommand());
        }
        String[] all = new String[args.length + 1];
        all[0] = "convert-tfjs";
        System.arraycopy(args, 0, all, 1, args.length);
        System.exit(cl.execute(all));
    }
}
