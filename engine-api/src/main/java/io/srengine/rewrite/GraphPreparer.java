package io.srengine.rewrite;

import io.srengine.graph.Graph;
import io.srengine.ops.OpRegistry;
import io.srengine.ops.ShapeInference;
import io.srengine.reference.ReferenceFolder;

/**
 * Turns an imported graph into the form backends compile: checked, sorted, typed and rewritten.
 *
 * <ol>
 *   <li>every value read is produced somewhere, nothing is produced twice, the graph has no cycle;
 *   <li>every op is supported (one message lists all that are not);
 *   <li>shape inference with constant folding (symbolic dims stay symbolic);
 *   <li>when {@code optimize}: BatchNormalization folded into the preceding convolution, PyTorch's
 *       Reshape-Transpose-Reshape pixel shuffle replaced by DepthToSpace, activations fused into
 *       convolutions; then inference again and dead code removed.
 * </ol>
 */
public final class GraphPreparer {
    private GraphPreparer() {}

    /** Prepares {@code graph} in place. */
    public static Graph prepare(Graph graph, boolean optimize) {
        graph.validateReferences();
        graph.sortTopologically();
        OpRegistry.checkSupported(graph);
        ShapeInference.infer(graph, ReferenceFolder.INSTANCE);
        graph.removeDeadCode();
        if (optimize) {
            Rewrites.applyAll(graph);
            graph.sortTopologically();
            ShapeInference.infer(graph, ReferenceFolder.INSTANCE);
            graph.removeDeadCode();
        }
        return graph;
    }
}
