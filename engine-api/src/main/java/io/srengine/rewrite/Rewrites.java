package io.srengine.rewrite;

import io.srengine.graph.Graph;

/** The optimising rewrites, in the order they run. Each works on a typed, topologically sorted graph. */
public final class Rewrites {
    private Rewrites() {}

    /** Applies every rewrite to a typed graph. */
    public static void applyAll(Graph graph) {
        CommonSubexpressions.apply(graph);
        EinsumToMatMul.apply(graph);
        LayerNormRecognition.apply(graph);
        GeluRecognition.apply(graph);
        BatchNormFolding.apply(graph);
        PixelShuffleRecognition.apply(graph);
        ActivationFusion.apply(graph);
    }
}
