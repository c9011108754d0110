package io.srengine.formats.ncnn;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.ops.ShapeInference;
import io.srengine.reference.ReferenceFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an ncnn model ({@code .param} text and {@code .bin} weights) into an srengine {@link Graph}
 * that computes, on RGB in [0, 1], what the program the model was made for computes: for the
 * networks of realesrgan-ncnn-vulkan (and Upscayl), realcugan-ncnn-vulkan and waifu2x-ncnn-vulkan,
 * told apart by the names of their input and output blobs, the graph adds the program's
 * pre-padding, alignment, crop and skip ({@link NcnnProgram}); any other network is read as it is.
 *
 * <p>Weights stored as float16 are widened to float32; srengine computes in float32 (the programs
 * compute in float32 too, but store activations in float16 between layers on GPUs that have it).
 *
 * <p>The graph's metadata names the scale, the program conventions applied, the parameter count,
 * and for networks with global average pooling (Real-CUGAN's and waifu2x cunet's
 * squeeze-and-excitation blocks) the pooled values whose means must be taken over the whole image
 * for a tiled run to equal an untiled one ({@link ModelMetadata#WHOLE_IMAGE_MEANS}).
 */
public final class NcnnImporter {
    /** The ONNX opset of the graphs produced (Shape's start attribute needs 15). */
    public static final int OPSET = 18;
    /** The graph's input: RGB in [0, 1], {@code [N, 3, H, W]}. */
    public static final String INPUT = "input";
    /** The graph's output: RGB, {@code [N, 3, H*s, W*s]}, not clipped. */
    public static final String OUTPUT = "output";

    private NcnnImporter() {}

    /**
     * Reads {@code FILE.param} and the {@code FILE.bin} beside it.
     *
     * @throws SrException {@code IO_ERROR} when either file is missing or unreadable, {@code INVALID_MODEL}
     *     for a damaged file (naming the line or the layer), {@code UNSUPPORTED_OP} listing every layer type
     *     srengine cannot read
     */
    public static Graph read(Path param) {
        Path bin = binFor(param);
        String text;
        byte[] weights;
        try {
            text = Files.readString(param, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "ncnn .param file not found: " + param, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + param + ": " + e.getMessage(), e);
        }
        try {
            if (Files.size(bin) > Integer.MAX_VALUE - 8) {
                throw new SrException(ErrorCode.INVALID_MODEL, bin + " is larger than 2 GB, more than srengine reads");
            }
            weights = Files.readAllBytes(bin);
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "the weights of " + param + " are missing: expected " + bin
                    + " beside it (ncnn keeps a network's weights in a .bin of the same name)", e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + bin + ": " + e.getMessage(), e);
        }
        String name = param.getFileName().toString();
        name = name.endsWith(".param") ? name.substring(0, name.length() - ".param".length()) : name;
        return read(text, weights, param.toString(), bin.toString(), name);
    }

    /** The {@code .bin} that goes with a {@code .param}: the same name with {@code .bin} for its extension. */
    public static Path binFor(Path param) {
        String n = param.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return param.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".bin");
    }

    /**
     * Reads a model from its two files' contents.
     *
     * @param paramSource how messages name the {@code .param}
     * @param binSource how messages name the {@code .bin}
     * @param name the model's name for its metadata
     */
    public static Graph read(String paramText, byte[] bin, String paramSource, String binSource, String name) {
        NcnnParam param = NcnnParam.parse(paramText, paramSource);
        NcnnLayers.checkSupported(param);

        List<String> inputBlobs = new ArrayList<>();
        Set<String> consumed = new HashSet<>();
        boolean pooling = false;
        for (NcnnParam.Layer l : param.layers) {
            if (l.type().equals("Input")) {
                inputBlobs.addAll(l.tops());
            }
            consumed.addAll(l.bottoms());
            pooling |= l.type().equals("Pooling");
        }
        List<String> outputBlobs = new ArrayList<>();
        for (NcnnParam.Layer l : param.layers) {
            for (String t : l.tops()) {
                if (!consumed.contains(t)) {
                    outputBlobs.add(t);
                }
            }
        }
        if (inputBlobs.size() != 1) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, paramSource + " has " + inputBlobs.size()
                    + " Input blobs " + inputBlobs + "; srengine reads networks with one image input");
        }
        NcnnProgram program = NcnnProgram.detect(inputBlobs, outputBlobs, pooling);
        String outBlob;
        if (program != null) {
            outBlob = program.outputBlob;
        } else if (outputBlobs.size() == 1) {
            outBlob = outputBlobs.getFirst();
        } else {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, paramSource + " has " + outputBlobs.size() + " blobs that no"
                    + " layer reads " + outputBlobs + " and follows none of the programs srengine knows; it cannot tell"
                    + " which is the image");
        }

        Graph g = new Graph(name, OPSET);
        GraphEmitter e = new GraphEmitter(g);
        e.reserve(INPUT);
        e.reserve(OUTPUT);
        String netInput = program == null ? INPUT : e.fresh("network_input");
        NcnnLayers layers = new NcnnLayers(e, new NcnnWeights(bin, binSource));
        long inChannels = 3;
        for (NcnnParam.Layer l : param.layers) {
            if (l.type().equals("Input")) {
                int c = l.params().getInt(2, 0);
                inChannels = c > 0 ? c : 3;
                layers.bindInput(l.tops().getFirst(), netInput, inChannels);
            } else {
                layers.translate(l);
            }
        }
        layers.weights().finish();
        NcnnLayers.Blob out = layers.blob(outBlob);
        if (out == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, paramSource + ": no layer produces the output blob '" + outBlob + "'");
        }
        if (out.dims() != 3) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, paramSource + ": the output blob '" + outBlob + "' is not an image");
        }

        Shape image = Shape.of(Dim.symbol("N"), Dim.of(inChannels), Dim.symbol("H"), Dim.symbol("W"));
        if (program == null) {
            g.inputs().add(new ValueInfo(INPUT, new TensorType(DataType.FLOAT32, image)));
            int scale = Probe.scale(g, INPUT, out.value(), inChannels, paramSource);
            e.nodeTo("output", "Identity", List.of(out.value()), OUTPUT, java.util.Map.of());
            g.outputs().add(new ValueInfo(OUTPUT, new TensorType(DataType.FLOAT32,
                    Shape.of(Dim.symbol("N"), Dim.of(out.channels()), Dim.unknown(), Dim.unknown()))));
            metadata(g, name, scale, layers.parameters(), null, null, paramSource);
            return g;
        }
        int scale = Probe.scale(g, netInput, out.value(), inChannels, paramSource);
        NcnnWrapper.wrap(e, program, scale, netInput, out.value(), image, paramSource);
        metadata(g, name, scale, layers.parameters(), program, netInput, paramSource);
        return g;
    }

    private static void metadata(Graph g, String name, int scale, long parameters, NcnnProgram program, String netInput,
            String source) {
        var md = g.metadata();
        md.put(ModelMetadata.NAME, name);
        md.put(ModelMetadata.SCALE, Integer.toString(scale));
        md.put(ModelMetadata.PARAMETERS, Long.toString(parameters));
        md.put(ModelMetadata.INPUT_RANGE, "[0, 1]");
        md.put(ModelMetadata.OUTPUT_RANGE, "[0, 1] (clipped when written)");
        md.put(ModelMetadata.CONVERTED_FROM, "ncnn .param/.bin (" + source + "), read by srengine's io.srengine.formats.ncnn");
        if (program != null) {
            int pad = program.prepadding(scale);
            md.put(ModelMetadata.PRE_PADDING, pad + " " + program.padMode + " align " + program.align(scale));
            md.put(ModelMetadata.PROGRAM, program.program);
            md.put(ModelMetadata.NETWORK_INPUT, netInput);
        }
        List<String> means = new ArrayList<>();
        for (var n : g.nodes()) {
            if (n.opType().equals("GlobalAveragePool")) {
                means.add(n.output(0));
            }
        }
        if (!means.isEmpty()) {
            md.put(ModelMetadata.WHOLE_IMAGE_MEANS, String.join(",", means));
        }
    }

    /** Shape probes of the bare network, to learn its scale. */
    static final class Probe {
        private Probe() {}

        /** The network's scale, from the output sizes of two input sizes (multiples of 4, as the programs' alignment needs). */
        static int scale(Graph g, String input, String output, long channels, String source) {
            long w1 = 64;
            long w2 = 128;
            long o1 = outputSize(g, input, output, channels, w1, source);
            long o2 = outputSize(g, input, output, channels, w2, source);
            long d = o2 - o1;
            if (d <= 0 || d % (w2 - w1) != 0) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": the network maps sizes " + w1 + " and " + w2
                        + " to " + o1 + " and " + o2 + ", which is not an integer upscale");
            }
            return (int) (d / (w2 - w1));
        }

        static long outputSize(Graph g, String input, String output, long channels, long size, String source) {
            Graph probe = g.copy();
            // keep only what the output needs from the input, so nodes that produce the input are left out
            java.util.Map<String, io.srengine.graph.Node> producers = probe.producers();
            Set<io.srengine.graph.Node> keep = new HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(output));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String v = todo.pop();
                if (v.isEmpty() || v.equals(input) || !seen.add(v)) {
                    continue;
                }
                io.srengine.graph.Node n = producers.get(v);
                if (n != null && keep.add(n)) {
                    todo.addAll(n.inputs());
                }
            }
            probe.nodes().retainAll(keep);
            probe.inputs().clear();
            probe.inputs().add(new ValueInfo(input, TensorType.of(DataType.FLOAT32, 1, (int) channels, (int) size, (int) size)));
            probe.outputs().clear();
            probe.outputs().add(new ValueInfo(output, TensorType.of(DataType.FLOAT32, 1)));
            probe.sortTopologically();
            try {
                ShapeInference.infer(probe, ReferenceFolder.INSTANCE);
            } catch (SrException ex) {
                throw new SrException(ex.code(), source + ": the network does not compute on a " + size + "x" + size
                        + " input: " + ex.getMessage(), ex);
            }
            TensorType t = probe.typeOf(output);
            if (t == null || t.rank() != 4 || !t.shape().dim(2).isKnown()) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": cannot tell the size of the network's output"
                        + " for a " + size + "x" + size + " input (" + t + ")");
            }
            return t.shape().dim(2).value();
        }
    }
}
