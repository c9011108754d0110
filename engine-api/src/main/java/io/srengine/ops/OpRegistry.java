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
    /** The domain of srengine's own fused ops (see {@link InternalOps}); never accepted in a model file. */
    public static final String INTERNAL_DOMAIN = "io.srengine";
    private static final Map<String, OpDef> DEFS;
    private static final Map<String, OpDef> INTERNAL;

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
        Map<String, OpDef> internal = new TreeMap<>();
        for (OpDef d : InternalOps.defs()) {
            if (m.containsKey(d.opType()) || internal.put(d.opType(), d) != null) {
                throw new IllegalStateException("internal op " + d.opType() + " registered twice");
            }
        }
        INTERNAL = Collections.unmodifiableMap(internal);
    }

    private OpRegistry() {}

    /** The definition of {@code opType} (an ONNX op, or one of srengine's internal ops), or null. */
    public static OpDef get(String opType) {
        OpDef d = DEFS.get(opType);
        return d != null ? d : INTERNAL.get(opType);
    }

    /** Whether {@code opType} is one of srengine's internal fused ops. */
    public static boolean isInternal(String opType) {
        return INTERNAL.containsKey(opType);
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
