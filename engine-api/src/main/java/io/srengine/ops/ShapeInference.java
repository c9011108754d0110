package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Computes the type of every value of a graph from its inputs' types, in topological order, and
 * optionally folds nodes whose inputs are all constant into initializers.
 */
public final class ShapeInference {
    /** Evaluates a node whose inputs are all known, for constant folding. */
    @FunctionalInterface
    public interface Folder {
        /** The node's outputs, or null to leave the node in place. */
        Tensor[] fold(Node node, List<Tensor> inputs, List<TensorType> outputTypes, int opset);
    }

    private ShapeInference() {}

    /** Infers types without folding. */
    public static void infer(Graph graph) {
        infer(graph, null);
    }

    /**
     * Infers the type of every value into {@link Graph#valueTypes()}. With a {@code folder}, a node
     * whose inputs are all initializers (or whose output follows from input shapes, like Shape) is
     * evaluated, its outputs become initializers and the node is removed. The graph must be
     * topologically sorted and use only supported ops.
     */
    public static void infer(Graph graph, Folder folder) {
        graph.valueTypes().clear();
        for (ValueInfo in : graph.inputs()) {
            graph.valueTypes().put(in.name(), in.type());
        }
        graph.initializers().forEach((k, v) -> graph.valueTypes().put(k, TensorType.of(v.dataType(), v.shape())));
        int opset = graph.opsetVersion();
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node node = it.next();
            OpDef def = OpRegistry.get(node.opType());
            if (def == null) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "unsupported op " + node.describe());
            }
            List<TensorType> inTypes = new ArrayList<>();
            boolean allConstant = true;
            for (String in : node.inputs()) {
                if (in.isEmpty()) {
                    inTypes.add(null);
                    continue;
                }
                TensorType t = graph.valueTypes().get(in);
                if (t == null) {
                    throw new SrException(ErrorCode.INVALID_GRAPH, node.describe() + " reads '" + in
                            + "' before it is computed");
                }
                inTypes.add(t);
                allConstant &= graph.isInitializer(in);
            }
            InferenceContext ctx = new InferenceContext(node, inTypes, graph.initializers()::get, opset,
                    graph::isGraphInput);
            List<TensorType> outTypes = def.infer(ctx);
            if (outTypes.size() < countOutputs(node)) {
                throw new SrException(ErrorCode.INTERNAL, node.describe() + ": inferred " + outTypes.size()
                        + " output types for " + node.outputs().size() + " outputs");
            }
            for (int i = 0; i < node.outputs().size(); i++) {
                String out = node.output(i);
                if (!out.isEmpty()) {
                    graph.valueTypes().put(out, outTypes.get(i));
                }
            }
            if (folder == null) {
                continue;
            }
            Tensor[] folded = null;
            Tensor fromTypes = def.foldFromTypes(ctx);
            if (fromTypes != null) {
                folded = new Tensor[] {fromTypes};
            } else if (allConstant) {
                List<Tensor> ins = new ArrayList<>();
                for (String in : node.inputs()) {
                    ins.add(in.isEmpty() ? null : graph.initializers().get(in));
                }
                folded = folder.fold(node, ins, outTypes, opset);
            }
            if (folded != null) {
                for (int i = 0; i < node.outputs().size(); i++) {
                    if (!node.output(i).isEmpty()) {
                        graph.initializers().put(node.output(i), folded[i]);
                    }
                }
                it.remove();
            }
        }
    }

    private static int countOutputs(Node node) {
        int n = 0;
        for (int i = 0; i < node.outputs().size(); i++) {
            if (!node.output(i).isEmpty()) {
                n = i + 1;
            }
        }
        return n;
    }
}
