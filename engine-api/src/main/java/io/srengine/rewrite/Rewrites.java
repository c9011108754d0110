package io.srengine.rewrite;

import io.srengine.graph.Graph;

/** The optimising rewrites, in the order they run (filled in by the rewrites work). */
public final class Rewrites {
    private Rewrites() {}

    /** Applies every rewrite to a typed graph. */
    public static void applyAll(Graph graph) {
    }
}
