package io.srengine.onnx;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the operator forms of old opsets into the newest ones, as listed in {@link OnnxImporter}.
 * Runs once per import, on default-domain nodes only.
 */
final class OnnxCanonicalizer {
    private static final Set<String> LEGACY_BROADCAST_OPS =
            Set.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less");

    private final Graph graph;
    private final int opset;
    private final Map<String, TensorType> declared;
    private final String source;
    private final Set<String> used = new HashSet<>();

    private OnnxCanonicalizer(Graph graph, int opset, Map<String, TensorType> declared, String source) {
        this.graph = graph;
        this.opset = opset;
        this.declared = declared;
        this.source = source;
        for (Node n : graph.nodes()) {
            used.addAll(n.inputs());
        }
        for (ValueInfo o : graph.outputs()) {
            used.add(o.name());
        }
    }

    /**
     * Rewrites {@code graph}'s nodes in place.
     *
     * @param opset the opset the file declares (before any upgrade)
     * @param declared element types and shapes known from the file, used to type new constants
     */
    static void apply(Graph graph, int opset, Map<String, TensorType> declared, String source) {
        new OnnxCanonicalizer(graph, opset, declared, source).run();
    }

    private void run() {
        List<Node> out = new ArrayList<>();
        for (Node n : List.copyOf(graph.nodes())) {
            if (!OnnxGraphReader.isDefaultDomain(n)) {
                out.add(n);
                continue;
            }
            // Nodes created here are appended to out before n so that the order stays topological.
            out.add(switch (n.opType()) {
                case "Clip" -> opset < 11 ? clip(n) : n;
                case "Pad" -> opset < 11 ? pad(n) : n;
                case "Squeeze" -> opset < 13 ? axesToInput(n, false) : n;
                case "Unsqueeze" -> opset < 13 ? axesToInput(n, true) : n;
                case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
                        "ReduceLogSum", "ReduceLogSumExp" -> opset < 18 ? axesToInput(n, false) : n;
                case "ReduceSum" -> opset < 13 ? axesToInput(n, false) : n;
                case "Softmax", "LogSoftmax" -> opset < 13 ? legacySoftmax(n, out) : n;
                case "Slice" -> opset < 10 ? slice(n) : n;
                case "Upsample" -> upsample(n);
                case "Resize" -> opset == 10 ? resize10(n) : emptyResizeInputsAbsent(n);
                case "Dropout" -> dropout(n);
                case "BatchNormalization" -> batchNorm(n);
                case "Gemm" -> opset < 7 ? n.withAttributes(n.attributes().without("broadcast")) : n;
                case "PRelu" -> opset < 7 ? legacyPrelu(n, out) : n;
                default -> opset < 7 && LEGACY_BROADCAST_OPS.contains(n.opType()) ? legacyBroadcast(n, out) : n;
            });
        }
        graph.nodes().clear();
        graph.nodes().addAll(out);
    }

    private Node clip(Node n) {
        Attributes a = n.attributes();
        if (!a.has("min") && !a.has("max")) {
            return n;
        }
        DataType t = floatTypeOf(n.input(0));
        List<String> in = new ArrayList<>(List.of(n.input(0), "", ""));
        if (a.has("min")) {
            in.set(1, constant(n, "min", Tensor.scalar(n.attrFloat("min", 0)).to(t)));
        }
        if (a.has("max")) {
            in.set(2, constant(n, "max", Tensor.scalar(n.attrFloat("max", 0)).to(t)));
        }
        trimAbsent(in);
        return n.withInputs(in).withAttributes(a.without("min").without("max"));
    }

    private Node pad(Node n) {
        long[] pads = n.attrInts("pads", null);
        if (pads == null) {
            if (n.hasInput(1)) {
                return n; // already in input form
            }
            throw invalid(n, "has no 'pads' attribute, which opset " + opset + " requires");
        }
        List<String> in = new ArrayList<>(List.of(n.input(0), constant(n, "pads", Tensor.ofLongs(pads, pads.length))));
        float value = n.attrFloat("value", 0f);
        if (value != 0f) { // zero is the default of constant_value, and omitting it keeps any element type valid
            in.add(constant(n, "value", Tensor.scalar(value).to(floatTypeOf(n.input(0)))));
        }
        return n.withInputs(in).withAttributes(n.attributes().without("pads").without("value"));
    }

    private Node axesToInput(Node n, boolean required) {
        long[] axes = n.attrInts("axes", null);
        if (axes == null) {
            if (required && !n.hasInput(1)) {
                throw invalid(n, "has no 'axes' attribute, which opset " + opset + " requires");
            }
            return n;
        }
        return n.withInputs(List.of(n.input(0), constant(n, "axes", Tensor.ofLongs(axes, axes.length))))
                .withAttributes(n.attributes().without("axes"));
    }

    /**
     * Softmax and LogSoftmax before opset 13 flatten the input to 2-D at {@code axis} (default 1) and
     * normalise each row; from 13 they normalise along {@code axis} alone. The two agree when the axis
     * is the last one; otherwise the old meaning is spelled out as Flatten, a 2-D softmax and a Reshape
     * back to the input's shape.
     */
    private Node legacySoftmax(Node n, List<Node> out) {
        long axis = n.attrInt("axis", 1);
        TensorType t = declared.get(n.input(0));
        if (axis == -1 || t != null && axis == t.rank() - 1) {
            return n.withAttributes(n.attributes().with("axis", -1L));
        }
        String x = n.input(0);
        String flat = graph.freshName(n.name() + "_flat");
        String soft = graph.freshName(n.name() + "_rows");
        String shape = graph.freshName(n.name() + "_shape");
        Node flatten = new Node(graph.freshName(n.name() + "_flatten"), "Flatten", "", List.of(x), List.of(flat),
                Attributes.empty().with("axis", axis));
        Node shapeOf = new Node(graph.freshName(n.name() + "_shapeof"), "Shape", "", List.of(x), List.of(shape),
                Attributes.empty());
        Node rows = new Node(n.name(), n.opType(), n.domain(), List.of(flat), List.of(soft),
                Attributes.empty().with("axis", -1L));
        for (Node added : List.of(flatten, shapeOf, rows)) {
            out.add(added);
            graph.nodes().add(added); // registers its names with freshName
        }
        return new Node(graph.freshName(n.name() + "_unflatten"), "Reshape", "", List.of(soft, shape), n.outputs(),
                Attributes.empty());
    }

    private Node slice(Node n) {
        long[] starts = n.attrInts("starts", null);
        long[] ends = n.attrInts("ends", null);
        if (starts == null && ends == null) {
            return n;
        }
        if (starts == null || ends == null) {
            throw invalid(n, "needs both 'starts' and 'ends' attributes at opset " + opset);
        }
        List<String> in = new ArrayList<>(List.of(n.input(0),
                constant(n, "starts", Tensor.ofLongs(starts, starts.length)),
                constant(n, "ends", Tensor.ofLongs(ends, ends.length))));
        long[] axes = n.attrInts("axes", null);
        if (axes != null) {
            in.add(constant(n, "axes", Tensor.ofLongs(axes, axes.length)));
        }
        return n.withInputs(in).withAttributes(n.attributes().without("starts").without("ends").without("axes"));
    }

    /** Upsample-7 (attribute scales) and Upsample-9/10 (input scales) become Resize. */
    private Node upsample(Node n) {
        String scales;
        if (opset < 9) {
            float[] s = n.attrFloats("scales", null);
            if (s == null) {
                throw invalid(n, "has no 'scales' attribute, which opset " + opset + " requires");
            }
            scales = constant(n, "scales", Tensor.of(s, s.length));
        } else {
            if (!n.hasInput(1)) {
                throw invalid(n, "has no 'scales' input, which opset " + opset + " requires");
            }
            scales = n.input(1);
        }
        return oldResize(n, scales);
    }

    /** Resize-10 takes (X, scales); Resize-11 and later (X, roi, scales, sizes). */
    private Node resize10(Node n) {
        if (!n.hasInput(1)) {
            throw invalid(n, "has no 'scales' input, which opset 10 requires");
        }
        return oldResize(n, n.input(1));
    }

    /**
     * Resize-11 and -12 have no optional roi and scales: files pass empty tensors instead, which
     * mean "absent". They become absent inputs, the form of opset 13.
     */
    private Node emptyResizeInputsAbsent(Node n) {
        List<String> in = new ArrayList<>(n.inputs());
        for (int i = 1; i <= 2 && i < in.size(); i++) {
            Tensor t = graph.initializers().get(in.get(i));
            if (t != null && t.size() == 0) {
                in.set(i, "");
            }
        }
        trimAbsent(in);
        return in.equals(n.inputs()) ? n : n.withInputs(in);
    }

    private Node oldResize(Node n, String scales) {
        String mode = n.attrString("mode", "nearest");
        if (mode.equals("bilinear")) {
            mode = "linear"; // the spelling of Upsample-1
        }
        Attributes a = Attributes.empty()
                .with("mode", mode)
                .with("coordinate_transformation_mode", "asymmetric")
                .with("nearest_mode", "simple");
        return new Node(n.name(), "Resize", n.domain(), List.of(n.input(0), "", scales), n.outputs(), a);
    }

    private Node dropout(Node n) {
        if (n.outputs().size() > 1 && isUsed(n.output(1))) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe() + " has its mask output '"
                    + n.output(1) + "' used; srengine runs inference only, where Dropout has no mask");
        }
        if (n.hasInput(2)) {
            Tensor training = graph.initializers().get(n.input(2));
            if (training == null || training.size() != 1 || training.getDouble(0) != 0) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe()
                        + " may run in training mode (input 'training_mode' is " + (training == null
                        ? "computed at run time" : "true") + "); srengine runs inference only");
            }
        }
        return new Node(n.name(), "Identity", n.domain(), List.of(n.input(0)), List.of(n.output(0)), Attributes.empty());
    }

    private Node batchNorm(Node n) {
        if (n.attrInt("spatial", 1) == 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe()
                    + " has spatial=0 (statistics per activation rather than per channel), which srengine does not support");
        }
        if (n.attrInt("training_mode", 0) != 0) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe()
                    + " has training_mode=1; srengine runs inference only");
        }
        for (int i = 1; i < n.outputs().size(); i++) {
            if (isUsed(n.output(i))) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe() + " has its training output '"
                        + n.output(i) + "' (#" + i + ") used; srengine runs inference only");
            }
        }
        Attributes a = n.attributes().without("spatial").without("is_test").without("consumed_inputs").without("training_mode");
        return n.withAttributes(a).withOutputs(List.of(n.output(0)));
    }

    /**
     * Opset 6 broadcasts B onto A only with {@code broadcast=1}, aligning B's first axis with A's
     * {@code axis} (by default so that B's last axis meets A's). Numpy-style broadcasting aligns the
     * last axes, so B gets trailing ones when {@code axis} leaves room after it.
     */
    private Node legacyBroadcast(Node n, List<Node> out) {
        Attributes a = n.attributes().without("broadcast").without("axis");
        if (n.attrInt("broadcast", 0) == 0 || !n.attributes().has("axis")) {
            return n.withAttributes(a);
        }
        TensorType ta = declared.get(n.input(0));
        TensorType tb = declared.get(n.input(1));
        if (ta == null || tb == null) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe() + " uses opset-6 broadcasting"
                    + " with axis=" + n.attrInt("axis") + " on inputs of unknown rank; srengine cannot convert it");
        }
        int ra = ta.rank();
        int rb = tb.rank();
        long axis = n.attrInt("axis");
        axis = axis < 0 ? axis + ra : axis;
        long trailing = ra - axis - rb;
        if (axis < 0 || trailing < 0) {
            throw invalid(n, "broadcasts an input of rank " + rb + " at axis " + n.attrInt("axis")
                    + " of an input of rank " + ra + ", which does not fit");
        }
        return withTrailingOnes(n.withAttributes(a), 1, rb, (int) trailing, out);
    }

    /**
     * PRelu before opset 7 applies a slope of C elements per channel (axis 1); from opset 7 the slope
     * broadcasts numpy-style, so a 1-D slope gets trailing ones for the spatial axes.
     */
    private Node legacyPrelu(Node n, List<Node> out) {
        TensorType tx = declared.get(n.input(0));
        TensorType ts = declared.get(n.input(1));
        if (tx == null || ts == null) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, source + ": " + n.describe()
                    + " is an opset-6 PRelu on inputs of unknown rank; srengine cannot convert it");
        }
        boolean perChannel = ts.rank() == 1 && !(ts.shape().dim(0).isKnown() && ts.shape().dim(0).value() == 1);
        if (!perChannel || tx.rank() < 3) {
            return n;
        }
        return withTrailingOnes(n, 1, 1, tx.rank() - 2, out);
    }

    /** {@code n} with input {@code i} (of rank {@code rank}) given {@code count} trailing axes of size 1. */
    private Node withTrailingOnes(Node n, int i, int rank, int count, List<Node> out) {
        if (count == 0) {
            return n;
        }
        String b = n.input(i);
        long[] axes = new long[count];
        for (int k = 0; k < count; k++) {
            axes[k] = rank + k;
        }
        Tensor constB = graph.initializers().get(b);
        String aligned;
        if (constB != null) {
            int[] shape = new int[rank + count];
            System.arraycopy(constB.shape(), 0, shape, 0, rank);
            java.util.Arrays.fill(shape, rank, shape.length, 1);
            aligned = constant(n, "aligned", constB.reshape(shape)); // a new value: other nodes may read the original
        } else {
            String axesName = constant(n, "axes", Tensor.ofLongs(axes, axes.length));
            aligned = graph.freshName(n.name() + "_aligned");
            Node unsqueeze = new Node(graph.freshName(n.name() + "_align"), "Unsqueeze", "", List.of(b, axesName),
                    List.of(aligned), Attributes.empty());
            out.add(unsqueeze);
            graph.nodes().add(unsqueeze); // registers its names with freshName
        }
        List<String> in = new ArrayList<>(n.inputs());
        in.set(i, aligned);
        return n.withInputs(in);
    }

    private boolean isUsed(String value) {
        return !value.isEmpty() && used.contains(value);
    }

    /** A new initializer named after the node and its role. */
    private String constant(Node n, String role, Tensor value) {
        String name = graph.freshName(n.name() + "_" + role);
        graph.initializers().put(name, value);
        return name;
    }

    /** The floating-point type of a value when the file declares one, else FLOAT32. */
    private DataType floatTypeOf(String value) {
        TensorType t = declared.get(value);
        return t != null && t.dataType().isFloatingPoint() ? t.dataType() : DataType.FLOAT32;
    }

    private static void trimAbsent(List<String> inputs) {
        while (!inputs.isEmpty() && inputs.getLast().isEmpty()) {
            inputs.removeLast();
        }
    }

    private SrException invalid(Node n, String message) {
        return new SrException(ErrorCode.INVALID_MODEL, source + ": " + n.describe() + " " + message);
    }
}
