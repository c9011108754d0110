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
 * <p>The exception is what ONNX types as float32 whatever the data's type: Resize's {@code scales}
 * (and {@code roi}, kept with them), which srengine's graphs hold as constants or graph inputs (shape
 * inference requires one or the other). They stay float32; a constant also read by a float16 node is
 * stored twice, so no node ever mixes the two types. Casts to float32 become casts to float16, and
 * ConstantOfShape's float32 fill value becomes float16. The result is checked by srengine's own type inference, which
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
        // The file's float32 inputs stay float32; float16 nodes read a cast copy of each, made once.
        Set<String> inputs32 = new HashSet<>();
        for (ValueInfo in : g.inputs()) {
            if (in.type().dataType() == DataType.FLOAT32) {
                inputs32.add(in.name());
            }
        }
        // Graph outputs: the producing node writes a float16 value that a final Cast turns into the output.
        Map<String, String> renamedOutputs = new HashMap<>();
        Map<String, Node> producers = g.producers();
        for (ValueInfo o : g.outputs()) {
            if (o.type().dataType() == DataType.FLOAT32 && producers.containsKey(o.name())) {
                renamedOutputs.put(o.name(), g.freshName(o.name() + "_fp16"));
            }
        }
        Set<String> readAs32 = new HashSet<>();
        for (Node n : g.nodes()) {
            for (int i = 0; i < n.inputs().size(); i++) {
                if (n.hasInput(i) && requiresFloat32(n, i)) {
                    readAs32.add(n.input(i));
                }
            }
        }
        for (Node n : g.nodes()) {
            List<String> ins = new ArrayList<>(n.inputs());
            for (int i = 0; i < ins.size(); i++) {
                String v = ins.get(i);
                if (v.isEmpty() || requiresFloat32(n, i)) {
                    continue;
                }
                if (renamedOutputs.containsKey(v)) {
                    ins.set(i, renamedOutputs.get(v));
                } else if (isFloat32(v)) {
                    if (g.isInitializer(v)) {
                        ins.set(i, weight16(v, readAs32.contains(v) || g.isGraphOutput(v)));
                    } else if (inputs32.contains(v)) {
                        ins.set(i, castTo16(v));
                    }
                    // Otherwise a converted node computes it, in float16 now.
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

    /** Whether ONNX types input {@code i} of {@code n} as float32 (or independently of the data) whatever X's type. */
    private static boolean requiresFloat32(Node n, int i) {
        return switch (n.opType()) {
            case "Resize" -> i == 1 || i == 2;
            case "Upsample" -> i == 1;
            default -> false;
        };
    }

    /**
     * The float16 copy of float32 initializer {@code name}: the initializer itself, or a renamed copy
     * when it must also stay float32 ({@code sharedWith32}: Resize scales, a graph output).
     */
    private String weight16(String name, boolean sharedWith32) {
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
