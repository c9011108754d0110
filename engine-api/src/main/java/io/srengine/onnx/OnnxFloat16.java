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
import io.srengine.ops.ShapeInference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a graph (already in export form, see {@link OnnxExportForms}) so that it computes in
 * float16 and is <em>strongly typed</em>, as TensorRT 10+'s strongly typed networks require: every
 * float32 weight becomes float16, every activation is float16, and the file's inputs and outputs
 * stay float32 through a Cast node after each input and before each output (so callers feed and
 * read float32 whatever the precision inside).
 *
 * <p>The exceptions are values that ONNX requires in float32: Resize's {@code scales} (and its
 * {@code roi}, kept with them) and whatever computes them. Those nodes stay float32; where a float32
 * value is also read by a float16 node a Cast is inserted, so no node ever mixes the two types.
 * Casts to float32 inside the float16 part become casts to float16, and ConstantOfShape's float32
 * fill value becomes float16. The result is checked by srengine's own type inference, which
 * rejects any node whose floating-point inputs disagree.
 */
final class OnnxFloat16 {
    /** The opset written for float16 exports when the graph's is older (Cast's current form). */
    static final int MIN_OPSET = 13;

    private final Graph g;
    private final Map<String, Tensor> converted = new HashMap<>();
    private final Map<String, String> casts = new HashMap<>();
    private final List<Node> out = new ArrayList<>();

    private OnnxFloat16(Graph g) {
        this.g = g;
    }

    /** A float16 copy of {@code exportForm}, which must be sorted and typed-inferable. */
    static Graph apply(Graph exportForm) {
        Graph g = exportForm.copy();
        if (g.opsetVersion() < MIN_OPSET) {
            g.setOpsetVersion(MIN_OPSET);
        }
        ShapeInference.infer(g);
        new OnnxFloat16(g).run();
        ShapeInference.infer(g);
        return g;
    }

    private boolean isFloat32(String value) {
        TensorType t = g.typeOf(value);
        return t != null && t.dataType() == DataType.FLOAT32;
    }

    private void run() {
        Set<Node> keep32 = float32Nodes();
        // Graph inputs: the file keeps float32 inputs; float16 nodes read a cast copy.
        for (ValueInfo in : g.inputs()) {
            if (in.type().dataType() == DataType.FLOAT32) {
                castTo16(in.name());
            }
        }
        // Graph outputs: the producing node writes a float16 value that a final Cast turns into the output.
        Map<String, String> renamedOutputs = new HashMap<>();
        Map<String, Node> producers = g.producers();
        for (ValueInfo o : g.outputs()) {
            Node p = producers.get(o.name());
            if (o.type().dataType() == DataType.FLOAT32 && p != null && !keep32.contains(p)) {
                renamedOutputs.put(o.name(), g.freshName(o.name() + "_fp16"));
            }
        }
        for (Node n : g.nodes()) {
            if (keep32.contains(n)) {
                out.add(n);
                continue;
            }
            List<String> ins = new ArrayList<>(n.inputs());
            for (int i = 0; i < ins.size(); i++) {
                String v = ins.get(i);
                if (requiresFloat32(n, i)) {
                    continue;
                }
                if (renamedOutputs.containsKey(v)) {
                    ins.set(i, renamedOutputs.get(v));
                } else if (!v.isEmpty() && isFloat32(v)) {
                    ins.set(i, g.isInitializer(v) ? weight16(v, keep32) : castTo16(v));
                }
            }
            List<String> outs = new ArrayList<>(n.outputs());
            outs.replaceAll(o -> renamedOutputs.getOrDefault(o, o));
            Node m = n.withInputs(ins).withOutputs(outs);
            if (n.opType().equals("Cast") && n.attrInt("to", 0) == DataType.FLOAT32.onnxCode()) {
                m = m.withAttributes(n.attributes().with("to", (long) DataType.FLOAT16.onnxCode()));
            } else if (n.opType().equals("ConstantOfShape") && n.attributes().has("value")) {
                Tensor v = n.attrTensor("value");
                if (v.dataType() == DataType.FLOAT32) {
                    m = m.withAttributes(n.attributes().with("value", v.to(DataType.FLOAT16)));
                }
            }
            out.add(m);
        }
        renamedOutputs.forEach((name, half) -> out.add(cast(half, name, DataType.FLOAT32)));
        converted.forEach(g.initializers()::put);
        g.nodes().clear();
        g.nodes().addAll(out);
        g.sortTopologically();
        g.removeDeadCode();
    }

    /**
     * The nodes that must compute in float32: producers, transitively, of Resize's roi and scales
     * (ONNX types scales as float32 whatever the data's type).
     */
    private Set<Node> float32Nodes() {
        Map<String, Node> producers = g.producers();
        Set<Node> keep = new HashSet<>();
        ArrayDeque<String> work = new ArrayDeque<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("Resize") || n.opType().equals("Upsample")) {
                for (int i = 1; i < n.inputs().size(); i++) {
                    if (n.hasInput(i) && isFloat32(n.input(i)) && requiresFloat32(n, i)) {
                        work.add(n.input(i));
                    }
                }
            }
        }
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            String v = work.pop();
            Node p = producers.get(v);
            if (!seen.add(v) || p == null || !keep.add(p)) {
                continue;
            }
            for (String in : p.inputs()) {
                if (!in.isEmpty() && isFloat32(in)) {
                    work.add(in);
                }
            }
        }
        return keep;
    }

    /** Whether ONNX types input {@code i} of {@code n} as float32 (or independently of the data) whatever X's type. */
    private static boolean requiresFloat32(Node n, int i) {
        return switch (n.opType()) {
            case "Resize" -> i == 1 || i == 2;
            case "Upsample" -> i == 1;
            default -> false;
        };
    }

    /** The float16 copy of float32 initializer {@code name}: renamed only when a float32 node also reads it. */
    private String weight16(String name, Set<Node> keep32) {
        boolean sharedWith32 = false;
        for (Node n : keep32) {
            sharedWith32 |= n.inputs().contains(name);
        }
        sharedWith32 |= g.isGraphOutput(name);
        String target = sharedWith32 ? casts.computeIfAbsent(name, k -> g.freshName(k + "_fp16")) : name;
        converted.computeIfAbsent(target, k -> {
            Tensor t = g.initializers().get(name);
            checkRange(name, t);
            return t.to(DataType.FLOAT16);
        });
        return target;
    }

    /** A float16 copy of a float32 value computed at run time, made once by a Cast node. */
    private String castTo16(String value) {
        return casts.computeIfAbsent(value, v -> {
            String half = g.freshName(v + "_fp16");
            out.add(cast(v, half, DataType.FLOAT16));
            return half;
        });
    }

    private Node cast(String from, String to, DataType type) {
        return new Node(g.freshName("cast_" + to), "Cast", List.of(from), List.of(to),
                Attributes.empty().with("to", (long) type.onnxCode()));
    }

    /** Weights beyond float16's range would become infinities: refuse rather than write a broken model. */
    private static void checkRange(String name, Tensor t) {
        float[] f = t.toFloatArray();
        for (float v : f) {
            if (Math.abs(v) > 65504f) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "initializer '" + name + "' holds " + v
                        + ", beyond float16's largest value 65504; the model cannot be exported in fp16");
            }
        }
    }
}
