package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Liveness;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.spi.Backend;
import io.srengine.spi.CompiledModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference backend: plain scalar Java, one {@link ReferenceKernel} per op, single-threaded.
 * It is slow by design and exists to be obviously correct; every fast backend is tested against it.
 */
public final class ReferenceBackend implements Backend {
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompiledModel compile(Graph graph) {
        return new Compiled(graph.copy());
    }

    @Override
    public void close() {}

    /** Runs a prepared graph, specialising it per distinct input shape (cached). */
    private static final class Compiled implements CompiledModel {
        private final Graph graph;
        private final Map<String, Plan> plans = new HashMap<>();
        private boolean closed;

        Compiled(Graph graph) {
            this.graph = graph;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs) {
            if (closed) {
                throw new SrException(ErrorCode.CLOSED, "the compiled model is closed");
            }
            Plan plan = plans.computeIfAbsent(ShapeSpecializer.planKey(graph, inputs),
                    k -> new Plan(ShapeSpecializer.forInputs(graph, inputs)));
            return plan.execute(inputs);
        }

        @Override
        public void close() {
            closed = true;
            plans.clear();
        }
    }

    /** A graph specialised to one set of input shapes, with its liveness for early freeing. */
    private static final class Plan {
        private final Graph graph;
        private final Liveness liveness;
        private final List<ReferenceKernel> kernels = new ArrayList<>();

        Plan(Graph graph) {
            this.graph = graph;
            this.liveness = new Liveness(graph);
            for (Node n : graph.nodes()) {
                ReferenceKernel k = ReferenceKernels.get(n.opType());
                if (k == null) {
                    throw new SrException(ErrorCode.UNSUPPORTED_OP, "no reference kernel for " + n.describe());
                }
                kernels.add(k);
            }
        }

        Map<String, Tensor> execute(Map<String, Tensor> inputs) {
            Map<String, Tensor> values = new HashMap<>(inputs);
            List<Node> nodes = graph.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                Tensor[] in = new Tensor[n.inputs().size()];
                for (int j = 0; j < in.length; j++) {
                    String name = n.input(j);
                    if (!name.isEmpty()) {
                        Tensor t = values.get(name);
                        in[j] = t != null ? t : graph.initializers().get(name);
                    }
                }
                List<TensorType> outTypes = new ArrayList<>();
                for (String o : n.outputs()) {
                    outTypes.add(o.isEmpty() ? null : graph.valueTypes().get(o));
                }
                Tensor[] out = kernels.get(i).run(new KernelContext(n, in, outTypes, graph.opsetVersion()));
                for (int j = 0; j < n.outputs().size(); j++) {
                    if (!n.output(j).isEmpty()) {
                        values.put(n.output(j), out[j]);
                    }
                }
                for (String dead : liveness.dyingAfter(i)) {
                    values.remove(dead);
                }
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (ValueInfo o : graph.outputs()) {
                Tensor t = values.get(o.name());
                if (t == null) {
                    t = graph.initializers().get(o.name());
                }
                if (t == null) {
                    throw new SrException(ErrorCode.INTERNAL, "output '" + o.name() + "' was not computed");
                }
                result.put(o.name(), t);
            }
            return result;
        }
    }
}
