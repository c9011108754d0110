package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.ValueInfo;
import io.srengine.rewrite.ShapeSpecializer;
import io.srengine.rewrite.TransformerFusion;
import io.srengine.spi.CompiledModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model on the CPU backend: packed weights, shared by one {@link CpuPlan} per distinct input shape.
 * Weights of every Conv are packed here, when the model is compiled; a plan is built on the first run
 * with a new input size and reused afterwards. Runs with the shapes of the previous run find their
 * plan without allocating.
 */
final class CpuCompiledModel implements CompiledModel {
    private final Graph graph;
    private final WorkerPool pool;
    private final Map<String, Object> packs = new HashMap<>();
    private final Map<String, CpuPlan> plans = new HashMap<>();
    private final List<ValueInfo> inputs;
    private final java.util.Set<String> shapeInputs;
    private CpuPlan lastPlan;
    private int[][] lastShapes;
    private boolean closed;

    CpuCompiledModel(Graph graph, WorkerPool pool) {
        this.graph = graph;
        this.pool = pool;
        this.inputs = List.copyOf(graph.inputs());
        this.shapeInputs = ShapeSpecializer.shapeInputs(graph);
        WeightPacker.packAll(graph, packs);
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> in) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the compiled model is closed");
        }
        CpuPlan plan = sameShapesAsLast(in) ? lastPlan : null;
        if (plan == null) {
            String key = ShapeSpecializer.planKey(graph, in);
            plan = plans.get(key);
            if (plan == null) {
                plan = new PlanBuilder(specialise(graph, in), packs, pool).build();
                plans.put(key, plan);
            }
            lastPlan = plan;
            lastShapes = new int[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                Tensor t = in.get(inputs.get(i).name());
                lastShapes[i] = shapeInputs.contains(inputs.get(i).name()) ? null : t.shape();
            }
        }
        return plan.execute(in);
    }

    /**
     * The graph for these inputs' shapes, with transformer blocks fused into the internal ops the
     * plain-layout kernels run ({@link TransformerFusion}); graphs without attention or matrix products
     * are left as they are.
     */
    static Graph specialise(Graph graph, Map<String, Tensor> in) {
        Graph g = ShapeSpecializer.forInputs(graph, in);
        boolean transformer = false;
        for (io.srengine.graph.Node n : g.nodes()) {
            transformer |= switch (n.opType()) {
                case "MatMul", "Gemm", "Softmax", "LayerNormalization" -> true;
                default -> false;
            };
        }
        if (transformer) {
            TransformerFusion.apply(g);
        }
        return g;
    }

    /** Compares dims without copying shapes; shape-tensor inputs always go through the key. */
    private boolean sameShapesAsLast(Map<String, Tensor> in) {
        if (lastPlan == null) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = in.get(inputs.get(i).name());
            int[] s = lastShapes[i];
            if (t == null || s == null || t.rank() != s.length) {
                return false;
            }
            for (int d = 0; d < s.length; d++) {
                if (t.dim(d) != s[d]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The steps of the plan the last run used, one per line (tests and diagnostics). */
    String lastPlanSummary() {
        return lastPlan == null ? "" : lastPlan.summary();
    }

    @Override
    public void close() {
        closed = true;
        plans.clear();
        packs.clear();
        lastPlan = null;
    }
}
