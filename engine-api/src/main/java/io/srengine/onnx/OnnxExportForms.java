package io.srengine.onnx;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.ValueInfo;
import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a graph into standard ONNX for export. Nodes whose canonical form (see {@link
 * OnnxCanonicalizer}) is newer than the graph's opset are written in the form that opset defines;
 * inputs that must become attributes have to be constants. srengine's internal forms are expanded:
 * an activation fused into a convolution ({@link FusedActivation}) becomes its own node again, and
 * {@code nearest_mode="simple"} becomes Upsample, Resize-10, or the equivalent floor/ceil mode.
 */
final class OnnxExportForms {
    private static final Set<String> OLD_RESIZE_ATTRIBUTES = Set.of("mode", "coordinate_transformation_mode", "nearest_mode");

    private final Graph graph;
    private final int opset;
    /** Initializers that were moved into attributes and may now be unused. */
    private final Set<String> moved = new HashSet<>();

    private OnnxExportForms(Graph graph) {
        this.graph = graph;
        this.opset = graph.opsetVersion();
    }

    /** A copy of {@code graph} in the node forms of its opset. */
    static Graph apply(Graph graph) {
        OnnxExportForms f = new OnnxExportForms(graph.copy());
        f.run();
        return f.graph;
    }

    private void run() {
        List<Node> out = new ArrayList<>();
        for (Node n : List.copyOf(graph.nodes())) {
            if (!OnnxGraphReader.isDefaultDomain(n)) {
                out.add(n);
                continue;
            }
            if (n.attributes().has(FusedActivation.ATTR_KIND)) {
                Node act = unfuse(n, out);
                out.add(act.opType().equals("Clip") && opset < 11 ? clip(act) : act);
                continue;
            }
            out.add(switch (n.opType()) {
                case "Clip" -> opset < 11 ? clip(n) : n;
                case "Pad" -> opset < 11 ? pad(n) : n;
                case "Squeeze", "Unsqueeze" -> opset < 13 ? axesToAttribute(n) : n;
                case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
                        "ReduceLogSum", "ReduceLogSumExp" -> opset < 18 ? reduceAxesToAttribute(n) : n;
                case "ReduceSum" -> opset < 13 ? reduceAxesToAttribute(n) : n;
                case "Softmax", "LogSoftmax" -> opset < 13 ? legacySoftmax(n) : n;
                case "LayerNormalization" -> opset < 17 ? expandLayerNorm(n, out) : n;
                case "Gelu" -> opset < 20 ? expandGelu(n, out) : n;
                case "Slice" -> opset < 10 ? slice(n) : n;
                case "Resize" -> resize(n);
                default -> n;
            });
        }
        graph.nodes().clear();
        graph.nodes().addAll(out);
        Set<String> used = new HashSet<>();
        for (Node n : out) {
            used.addAll(n.inputs());
        }
        for (ValueInfo o : graph.outputs()) {
            used.add(o.name());
        }
        for (String name : moved) {
            if (!used.contains(name)) {
                graph.initializers().remove(name);
            }
        }
    }

    /**
     * Adds the convolution {@code n} without its fused activation to {@code out} and returns the
     * activation as a node of its own, which writes the convolution's original output.
     */
    private Node unfuse(Node n, List<Node> out) {
        String kind = n.attrString(FusedActivation.ATTR_KIND, "");
        Attributes plain = n.attributes().without(FusedActivation.ATTR_KIND).without(FusedActivation.ATTR_ALPHA)
                .without(FusedActivation.ATTR_MIN).without(FusedActivation.ATTR_MAX);
        String pre = graph.freshName(n.name() + "_preactivation");
        List<String> convInputs = new ArrayList<>(n.inputs().subList(0, Math.min(n.inputs().size(), FusedActivation.SLOPE_INPUT)));
        while (convInputs.getLast().isEmpty()) {
            convInputs.removeLast();
        }
        out.add(n.withAttributes(plain).withInputs(convInputs).withOutputs(List.of(pre)));
        String name = graph.freshName(n.name() + "_" + kind);
        List<String> in = new ArrayList<>(List.of(pre));
        Attributes a = Attributes.empty();
        switch (kind) {
            case "Relu", "Sigmoid", "Tanh" -> { }
            case "LeakyRelu" -> a = a.with("alpha", n.attrFloat(FusedActivation.ATTR_ALPHA, 0.01f));
            case "Clip" -> {
                in.add(n.attributes().has(FusedActivation.ATTR_MIN)
                        ? newConstant(name + "_min", Tensor.scalar(n.attrFloat(FusedActivation.ATTR_MIN, 0))) : "");
                in.add(n.attributes().has(FusedActivation.ATTR_MAX)
                        ? newConstant(name + "_max", Tensor.scalar(n.attrFloat(FusedActivation.ATTR_MAX, 0))) : "");
                while (in.getLast().isEmpty()) {
                    in.removeLast();
                }
            }
            case "PRelu" -> in.add(preluSlope(n, name));
            default -> throw cannot(n, "fused activation '" + kind + "' has no ONNX form");
        }
        return new Node(name, kind, n.domain(), in, List.of(n.output(0)), a);
    }

    /** The fused slope (one value, or one per output channel) shaped to broadcast over [N, C, spatial...]. */
    private String preluSlope(Node n, String name) {
        Tensor slope = constant(n, FusedActivation.SLOPE_INPUT, "the fused PRelu slope");
        moved.add(n.input(FusedActivation.SLOPE_INPUT));
        if (slope.size() == 1) {
            return newConstant(name + "_slope", Tensor.of(slope.toFloatArray(), 1));
        }
        Tensor weight = graph.initializers().get(n.input(1));
        int rank = weight != null ? weight.rank() : graph.typeOf(n.input(0)) != null ? graph.typeOf(n.input(0)).rank() : -1;
        if (rank < 3) {
            throw cannot(n, "the rank of its output is unknown, so the fused PRelu slope cannot be shaped");
        }
        int[] shape = new int[rank - 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = slope.size();
        return newConstant(name + "_slope", Tensor.of(slope.toFloatArray(), shape));
    }

    private String newConstant(String base, Tensor value) {
        String name = graph.freshName(base);
        graph.initializers().put(name, value);
        return name;
    }

    private Node clip(Node n) {
        Attributes a = n.attributes();
        if (n.hasInput(1)) {
            a = a.with("min", scalar(n, 1, "min"));
        }
        if (n.hasInput(2)) {
            a = a.with("max", scalar(n, 2, "max"));
        }
        return n.withInputs(List.of(n.input(0))).withAttributes(a);
    }

    private Node pad(Node n) {
        if (n.hasInput(3)) {
            throw cannot(n, "the 'axes' input of Pad-18 has no form before opset 18");
        }
        Attributes a = n.attributes().with("pads", ints(n, 1, "pads"));
        if (n.hasInput(2)) {
            a = a.with("value", scalar(n, 2, "constant_value"));
        }
        return n.withInputs(List.of(n.input(0))).withAttributes(a);
    }

    private Node axesToAttribute(Node n) {
        if (!n.hasInput(1)) {
            return n;
        }
        return n.withInputs(List.of(n.input(0))).withAttributes(n.attributes().with("axes", ints(n, 1, "axes")));
    }

    private Node reduceAxesToAttribute(Node n) {
        Attributes a = n.attributes().without("noop_with_empty_axes");
        long[] axes = n.hasInput(1) ? ints(n, 1, "axes") : new long[0];
        if (n.attrInt("noop_with_empty_axes", 0) != 0 && axes.length == 0) {
            throw cannot(n, "noop_with_empty_axes=1 with no axes has no form before opset 18");
        }
        if (axes.length > 0) {
            a = a.with("axes", axes);
        }
        return n.withInputs(List.of(n.input(0))).withAttributes(a);
    }

    /** Before opset 13 Softmax flattens at its axis, which means the same only on the last axis. */
    private Node legacySoftmax(Node n) {
        long axis = n.attrInt("axis", -1);
        io.srengine.graph.TensorType t = graph.typeOf(n.input(0));
        if (axis != -1 && (t == null || axis != t.rank() - 1)) {
            throw cannot(n, "before opset 13 " + n.opType() + " normalises all axes from 'axis' on, so only the last"
                    + " axis (" + (t == null ? "of unknown rank" : "axis " + (t.rank() - 1)) + ") can be written, not " + axis);
        }
        return n.withAttributes(n.attributes().with("axis", -1L));
    }

    /**
     * LayerNormalization before opset 17, as PyTorch exports it there: ReduceMean, Sub, Pow, ReduceMean,
     * Add, Sqrt, Div, Mul, Add, with the axes as an attribute of ReduceMean.
     */
    private Node expandLayerNorm(Node n, List<Node> out) {
        for (int i = 1; i < n.outputs().size(); i++) {
            if (!n.output(i).isEmpty()) {
                throw cannot(n, "its Mean and InvStdDev outputs have no form before opset 17");
            }
        }
        io.srengine.graph.TensorType t = graph.typeOf(n.input(0));
        if (t == null) {
            throw cannot(n, "the rank of its input is unknown, so the normalised axes cannot be listed");
        }
        long axis = n.attrInt("axis", -1);
        int first = (int) (axis < 0 ? axis + t.rank() : axis);
        long[] axes = new long[t.rank() - first];
        for (int k = 0; k < axes.length; k++) {
            axes[k] = first + k;
        }
        io.srengine.DataType type = t.dataType();
        String p = n.name();
        Attributes mean = Attributes.empty().with("axes", axes).with("keepdims", 1L);
        String mu = emit(out, p + "_mean", "ReduceMean", List.of(n.input(0)), mean);
        String d = emit(out, p + "_centred", "Sub", List.of(n.input(0), mu), Attributes.empty());
        String sq = emit(out, p + "_square", "Pow", List.of(d, newConstant(p + "_two", Tensor.scalar(2).to(type))),
                Attributes.empty());
        String var = emit(out, p + "_variance", "ReduceMean", List.of(sq), mean);
        String ve = emit(out, p + "_plus_epsilon", "Add",
                List.of(var, newConstant(p + "_epsilon", Tensor.scalar(n.attrFloat("epsilon", 1e-5f)).to(type))),
                Attributes.empty());
        String std = emit(out, p + "_std", "Sqrt", List.of(ve), Attributes.empty());
        String norm = emit(out, p + "_normalised", "Div", List.of(d, std), Attributes.empty());
        if (!n.hasInput(2)) {
            return new Node(p, "Mul", n.domain(), List.of(norm, n.input(1)), List.of(n.output(0)), Attributes.empty());
        }
        String scaled = emit(out, p + "_scaled", "Mul", List.of(norm, n.input(1)), Attributes.empty());
        return new Node(p, "Add", n.domain(), List.of(scaled, n.input(2)), List.of(n.output(0)), Attributes.empty());
    }

    /** Gelu before opset 20: x·(1 + erf(x/√2))/2, or the tanh form x·(1 + tanh(√(2/π)(x + 0.044715x³)))/2. */
    private Node expandGelu(Node n, List<Node> out) {
        io.srengine.graph.TensorType t = graph.typeOf(n.input(0));
        io.srengine.DataType type = t == null ? io.srengine.DataType.FLOAT32 : t.dataType();
        String x = n.input(0);
        String p = n.name();
        String inner;
        if (n.attrString("approximate", "none").equals("tanh")) {
            String cube = emit(out, p + "_cube", "Pow", List.of(x, newConstant(p + "_three", Tensor.scalar(3).to(type))),
                    Attributes.empty());
            String c3 = emit(out, p + "_c_cube", "Mul", List.of(cube,
                    newConstant(p + "_c", Tensor.scalar(0.044715f).to(type))), Attributes.empty());
            String sum = emit(out, p + "_poly", "Add", List.of(x, c3), Attributes.empty());
            String arg = emit(out, p + "_arg", "Mul", List.of(sum,
                    newConstant(p + "_k", Tensor.scalar((float) Math.sqrt(2 / Math.PI)).to(type))), Attributes.empty());
            inner = emit(out, p + "_tanh", "Tanh", List.of(arg), Attributes.empty());
        } else {
            String scaled = emit(out, p + "_div", "Div", List.of(x,
                    newConstant(p + "_sqrt2", Tensor.scalar((float) Math.sqrt(2)).to(type))), Attributes.empty());
            inner = emit(out, p + "_erf", "Erf", List.of(scaled), Attributes.empty());
        }
        String plus = emit(out, p + "_plus_one", "Add", List.of(inner, newConstant(p + "_one", Tensor.scalar(1).to(type))),
                Attributes.empty());
        String times = emit(out, p + "_times_x", "Mul", List.of(x, plus), Attributes.empty());
        return new Node(p, "Mul", n.domain(), List.of(times, newConstant(p + "_half", Tensor.scalar(0.5f).to(type))),
                List.of(n.output(0)), Attributes.empty());
    }

    /** Adds a node writing a fresh value to {@code out} and returns the value's name. */
    private String emit(List<Node> out, String base, String opType, List<String> inputs, Attributes a) {
        String value = graph.freshName(base);
        Node node = new Node(graph.freshName(base + "_node"), opType, "", inputs, List.of(value), a);
        out.add(node);
        graph.nodes().add(node); // registers its names with freshName; run() replaces the node list at the end
        return value;
    }

    private Node slice(Node n) {
        if (n.hasInput(4)) {
            for (long step : ints(n, 4, "steps")) {
                if (step != 1) {
                    throw cannot(n, "steps other than 1 have no form before opset 10");
                }
            }
        }
        Attributes a = n.attributes().with("starts", ints(n, 1, "starts")).with("ends", ints(n, 2, "ends"));
        if (n.hasInput(3)) {
            a = a.with("axes", ints(n, 3, "axes"));
        }
        return n.withInputs(List.of(n.input(0))).withAttributes(a);
    }

    private Node resize(Node n) {
        String mode = n.attrString("mode", "nearest");
        boolean simple = n.attrString("nearest_mode", "round_prefer_floor").equals("simple");
        if (opset < 11) {
            return oldResize(n, mode, simple);
        }
        Node r = n;
        if (simple) {
            // "simple" floors on upsampled axes and takes the ceiling on downsampled ones; ONNX can say
            // that only when every axis goes the same way.
            String nearest = "floor";
            if (mode.equals("nearest")) {
                float[] scales = n.hasInput(2) ? constant(n, 2, "scales").toFloatArray() : null;
                if (scales == null) {
                    throw cannot(n, "nearest_mode 'simple' needs constant scales to be written at opset " + opset);
                }
                boolean up = true;
                boolean down = true;
                for (float s : scales) {
                    up &= s >= 1;
                    down &= s <= 1;
                }
                if (!up && !down) {
                    throw cannot(n, "nearest_mode 'simple' with scales that grow some axes and shrink others has no ONNX form");
                }
                nearest = up ? "floor" : "ceil";
            }
            r = r.withAttributes(r.attributes().with("nearest_mode", nearest));
        }
        if (opset < 13) {
            // roi and scales are not optional before opset 13: an empty tensor stands for "absent".
            List<String> in = new ArrayList<>(r.inputs());
            while (in.size() < 3) {
                in.add("");
            }
            for (int i = 1; i <= 2; i++) {
                if (in.get(i).isEmpty()) {
                    String name = graph.freshName(n.name() + (i == 1 ? "_roi" : "_scales"));
                    graph.initializers().put(name, Tensor.of(new float[0], 0));
                    in.set(i, name);
                }
            }
            r = r.withInputs(in);
        }
        return r;
    }

    /** Upsample before opset 10, Resize-10 at 10: both scale by constant-or-input scales with the "simple" rule. */
    private Node oldResize(Node n, String mode, boolean simple) {
        for (String attr : n.attributes().names()) {
            if (!OLD_RESIZE_ATTRIBUTES.contains(attr)) {
                throw cannot(n, "attribute '" + attr + "' has no form before opset 11");
            }
        }
        if (n.hasInput(1) || n.hasInput(3) || !n.hasInput(2)) {
            throw cannot(n, "only scales (no roi, no sizes) can be given before opset 11");
        }
        if (!n.attrString("coordinate_transformation_mode", "half_pixel").equals("asymmetric")
                || !(mode.equals("linear") || (mode.equals("nearest") && simple))) {
            throw cannot(n, "before opset 11 ONNX resizes only with mode 'linear' or 'nearest' (nearest_mode 'simple'),"
                    + " and coordinate_transformation_mode 'asymmetric'");
        }
        Attributes a = Attributes.empty().with("mode", mode);
        if (opset == 10) {
            return new Node(n.name(), "Resize", n.domain(), List.of(n.input(0), n.input(2)), n.outputs(), a);
        }
        if (opset == 9) {
            return new Node(n.name(), "Upsample", n.domain(), List.of(n.input(0), n.input(2)), n.outputs(), a);
        }
        a = a.with("scales", constant(n, 2, "scales").toFloatArray());
        moved.add(n.input(2));
        return new Node(n.name(), "Upsample", n.domain(), List.of(n.input(0)), n.outputs(), a);
    }

    private float scalar(Node n, int input, String role) {
        Tensor t = constant(n, input, role);
        if (t.size() != 1) {
            throw cannot(n, role + " has " + t.size() + " elements; opset " + opset + " needs a single value");
        }
        moved.add(n.input(input));
        return (float) t.getDouble(0);
    }

    private long[] ints(Node n, int input, String role) {
        Tensor t = constant(n, input, role);
        moved.add(n.input(input));
        return t.toLongArray();
    }

    private Tensor constant(Node n, int input, String role) {
        Tensor t = graph.initializers().get(n.input(input));
        if (t == null) {
            throw cannot(n, role + " ('" + n.input(input) + "') is not a constant, but opset " + opset
                    + " holds it in an attribute");
        }
        return t;
    }

    private SrException cannot(Node n, String why) {
        return new SrException(ErrorCode.UNSUPPORTED_OP, "cannot write " + n.describe() + " at ONNX opset " + opset + ": " + why);
    }
}
