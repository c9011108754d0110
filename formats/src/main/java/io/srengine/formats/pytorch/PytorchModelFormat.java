package io.srengine.formats.pytorch;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.formats.tfjs.ImageModelConvention;
import io.srengine.graph.Attributes;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.spi.ModelFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * PyTorch checkpoints ({@code .pth}, {@code .pt}, {@code .ckpt}: zip or legacy) and safetensors
 * files as models, for {@link io.srengine.Model#load(Path)}: the state dict is read safely
 * ({@link CheckpointReader}), its architecture detected and built ({@link Architectures}), and the
 * network wrapped in srengine's image convention (RGB [0, 1] in and out, output clipped). A network
 * on one channel runs on each of R, G and B. Files are recognised by content: zip archives holding a
 * {@code data.pkl}, pickles starting with {@code torch.save}'s magic number, safetensors headers.
 */
public final class PytorchModelFormat implements ModelFormat {
    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public boolean recognizes(Path path, byte[] head) {
        return CheckpointReader.sniff(path, head) != null;
    }

    /** Reads with the {@link BuildOptions#fromEnvironment() options from the environment}. */
    @Override
    public Graph read(Path path) {
        return read(path, BuildOptions.fromEnvironment());
    }

    /**
     * Reads a checkpoint into a graph in srengine's image convention, with metadata: name (the file
     * name), architecture and hyper-parameters, scale, parameters, the weights' stored type and
     * where the state dict was found.
     *
     * @throws SrException {@code IO_ERROR}, {@code INVALID_MODEL} or {@code UNSUPPORTED_OP} as {@link
     *     CheckpointReader#read} and {@link Architectures#build} explain
     */
    public static Graph read(Path path, BuildOptions options) {
        StateDict sd = CheckpointReader.read(path);
        Network net = Architectures.build(sd, options);
        Graph g = toRgb(net, path);
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        String name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        ImageModelConvention.apply(g, new ImageModelConvention.Info(name, net.scale(), 1, net.description(),
                file, "not recorded in the checkpoint", null, net.architecture() + " x" + net.scale() + " from " + file));
        var m = g.metadata();
        m.put(ModelMetadata.PARAMETERS, Long.toString(net.parameters()));
        m.put(ModelMetadata.WEIGHT_TYPE, weightType(sd));
        m.put(ModelMetadata.CONVERTED_FROM, sd.format().description() + " checkpoint"
                + (sd.wrapper().isEmpty() ? "" : " (" + sd.wrapper() + ")") + ", read by srengine");
        return g;
    }

    private static String weightType(StateDict sd) {
        StringJoiner j = new StringJoiner(", ");
        sd.floatingTypes().forEach(t -> j.add(t.torchName()));
        return j.toString();
    }

    /**
     * The network on RGB images: as it is when it maps 3 channels to 3; for one channel, the three
     * colour channels are folded into the batch ({@code [N, 3, H, W] -> [3N, 1, H, W]}) and unfolded
     * after.
     */
    static Graph toRgb(Network net, Path path) {
        Graph g = net.graph();
        if (net.inChannels() == 3 && net.outChannels() == 3) {
            return g;
        }
        if (net.inChannels() != 1 || net.outChannels() != 1) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, path + " holds a " + net.description() + " on "
                    + net.inChannels() + " input and " + net.outChannels() + " output channels; srengine runs image"
                    + " models on RGB (3 channels) or on each channel (1)");
        }
        String grayIn = g.freshName("gray_input");
        String grayOut = g.freshName("gray_output");
        List<Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<String> ins = new ArrayList<>(n.inputs());
            ins.replaceAll(v -> v.equals(NetBuilder.INPUT) ? grayIn : v);
            List<String> outs = new ArrayList<>(n.outputs());
            outs.replaceAll(v -> v.equals(NetBuilder.OUTPUT) ? grayOut : v);
            nodes.set(i, n.withInputs(ins).withOutputs(outs));
        }
        String toGray = g.freshName("channels_to_batch");
        g.initializers().put(toGray, Tensor.ofLongs(new long[] {-1, 1, 0, 0}, 4));
        String toRgb = g.freshName("batch_to_channels");
        g.initializers().put(toRgb, Tensor.ofLongs(new long[] {-1, 3, 0, 0}, 4));
        nodes.addFirst(new Node(toGray, "Reshape", List.of(NetBuilder.INPUT, toGray), List.of(grayIn), Attributes.empty()));
        nodes.add(new Node(toRgb, "Reshape", List.of(grayOut, toRgb), List.of(NetBuilder.OUTPUT), Attributes.empty()));
        Dim n = Dim.symbol("N");
        g.inputs().set(0, new ValueInfo(NetBuilder.INPUT, new TensorType(DataType.FLOAT32,
                Shape.of(n, Dim.of(3), Dim.symbol("H"), Dim.symbol("W")))));
        g.outputs().set(0, new ValueInfo(NetBuilder.OUTPUT, new TensorType(DataType.FLOAT32,
                Shape.of(n, Dim.of(3), Dim.symbol("H").times(net.scale()), Dim.symbol("W").times(net.scale())))));
        return g;
    }

    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
