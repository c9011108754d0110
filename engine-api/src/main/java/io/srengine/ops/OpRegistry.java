package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The operators srengine understands, by ONNX op type. Immutable after class initialisation. */
public final class OpRegistry {
    private static final Map<String, OpDef> DEFS;

    static {
        Map<String, OpDef> m = new TreeMap<>();
        List<OpDef> all = new ArrayList<>();
        all.addAll(ConvOps.defs());
        all.addAll(PoolOps.defs());
        all.addAll(ResizeOps.defs());
        all.addAll(ElementwiseOps.defs());
        all.addAll(TensorOps.defs());
        all.addAll(LogicOps.defs());
        all.addAll(LinearAlgebraOps.defs());
        all.addAll(NormalizationOps.defs());
        all.addAll(ReduceOps.defs());
        for (OpDef d : all) {
            if (m.put(d.opType(), d) != null) {
                throw new IllegalStateException("op " + d.opType() + " registered twice");
            }
        }
        DEFS = Collections.unmodifiableMap(m);
    }

    private OpRegistry() {}

    /** The definition of {@code opType}, or null when srengine does not support it. */
    public static OpDef get(String opType) {
        return DEFS.get(opType);
    }

    /** Every supported op type, sorted. */
    public static List<String> supportedOps() {
        return List.copyOf(DEFS.keySet());
    }

    /**
     * Checks that every node uses a supported op of the default ONNX domain.
     *
     * @throws SrException {@code UNSUPPORTED_OP} listing every unsupported op type with the names of the
     *     nodes using it
     */
    public static void checkSupported(Graph graph) {
        Map<String, List<String>> bad = new TreeMap<>();
        for (Node n : graph.nodes()) {
            boolean defaultDomain = n.domain().isEmpty() || n.domain().equals("ai.onnx");
            if (!defaultDomain || !DEFS.containsKey(n.opType())) {
                String key = defaultDomain ? n.opType() : n.domain() + "." + n.opType();
                bad.computeIfAbsent(key, k -> new ArrayList<>()).add(n.name());
            }
        }
        if (!bad.isEmpty()) {
            StringBuilder sb = new StringBuilder("the model uses ").append(bad.size())
                    .append(bad.size() == 1 ? " unsupported op: " : " unsupported ops: ");
            boolean first = true;
            for (Map.Entry<String, List<String>> e : bad.entrySet()) {
                sb.append(first ? "" : "; ").append(e.getKey()).append(" (node");
                sb.append(e.getValue().size() == 1 ? " " : "s ").append(String.join(", ", quote(e.getValue()))).append(')');
                first = false;
            }
            throw new SrException(ErrorCode.UNSUPPORTED_OP, sb.toString());
        }
    }

    private static List<String> quote(List<String> names) {
        return names.stream().map(s -> "'" + s + "'").toList();
    }
}
