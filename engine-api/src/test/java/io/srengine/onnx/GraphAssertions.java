package io.srengine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import io.srengine.graph.ValueInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Structural comparison of graphs, for round-trip tests. */
public final class GraphAssertions {
    private GraphAssertions() {}

    /** Same name, opset, inputs, outputs, metadata, initializers (by name and value) and nodes. */
    public static void assertSameGraph(Graph expected, Graph actual) {
        compare(expected, actual, false);
        assertEquals(expected.initializers().keySet(), actual.initializers().keySet(), "initializer names");
        expected.initializers().forEach((k, v) -> assertSameTensor(v, actual.initializers().get(k), "initializer " + k));
    }

    /**
     * Like {@link #assertSameGraph}, but a node input that is an initializer in both graphs is compared
     * by value, not by name: the importer recreates the constants of old-opset attributes under fresh names.
     */
    public static void assertSameGraphUpToConstantNames(Graph expected, Graph actual) {
        compare(expected, actual, true);
    }

    private static void compare(Graph expected, Graph actual, boolean constantsByValue) {
        assertEquals(expected.name(), actual.name(), "graph name");
        assertEquals(expected.opsetVersion(), actual.opsetVersion(), "opset");
        assertValues(expected.inputs(), actual.inputs(), "inputs");
        assertValues(expected.outputs(), actual.outputs(), "outputs");
        assertEquals(expected.metadata(), actual.metadata(), "metadata");
        assertEquals(expected.nodes().size(), actual.nodes().size(), "node count\n" + expected + "\n" + actual);
        for (int i = 0; i < expected.nodes().size(); i++) {
            Node e = expected.nodes().get(i);
            Node a = actual.nodes().get(i);
            String where = "node " + i + " (" + e + " vs " + a + ")";
            assertEquals(e.name(), a.name(), where);
            assertEquals(e.opType(), a.opType(), where);
            assertEquals(e.domain(), a.domain(), where);
            assertEquals(e.outputs(), a.outputs(), where);
            assertEquals(e.inputs().size(), a.inputs().size(), where);
            for (int j = 0; j < e.inputs().size(); j++) {
                Tensor te = expected.initializers().get(e.input(j));
                Tensor ta = actual.initializers().get(a.input(j));
                if (constantsByValue && te != null && ta != null) {
                    assertSameTensor(te, ta, where + " input " + j);
                } else {
                    assertEquals(e.input(j), a.input(j), where + " input " + j);
                }
            }
            assertAttributes(e.attributes().asMap(), a.attributes().asMap(), where);
        }
    }

    private static void assertValues(List<ValueInfo> expected, List<ValueInfo> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            ValueInfo e = expected.get(i);
            ValueInfo a = actual.get(i);
            assertEquals(e.name(), a.name(), what);
            assertEquals(e.type().dataType(), a.type().dataType(), what + " " + e.name());
            List<Dim> de = e.type().shape().dims();
            List<Dim> da = a.type().shape().dims();
            assertEquals(de.size(), da.size(), what + " " + e.name() + " rank");
            for (int d = 0; d < de.size(); d++) {
                // Each unknown dimension is distinct by construction; two unknowns are the same fact.
                boolean bothUnknown = de.get(d).toString().startsWith("?") && da.get(d).toString().startsWith("?");
                if (!bothUnknown) {
                    assertEquals(de.get(d), da.get(d), what + " " + e.name() + " dim " + d);
                }
            }
        }
    }

    private static void assertAttributes(Map<String, Object> expected, Map<String, Object> actual, String where) {
        assertEquals(expected.keySet(), actual.keySet(), where + " attribute names");
        for (Map.Entry<String, Object> en : expected.entrySet()) {
            Object e = en.getValue();
            Object a = actual.get(en.getKey());
            String w = where + " attribute " + en.getKey();
            switch (e) {
                case long[] x -> assertTrue(Arrays.equals(x, (long[]) a), w);
                case float[] x -> assertTrue(Arrays.equals(x, (float[]) a), w);
                case String[] x -> assertTrue(Arrays.equals(x, (String[]) a), w);
                case Tensor x -> assertSameTensor(x, (Tensor) a, w);
                default -> assertEquals(e, a, w);
            }
        }
    }

    /** Same element type, shape and bit-identical elements. */
    public static void assertSameTensor(Tensor expected, Tensor actual, String what) {
        if (actual == null) {
            fail(what + ": missing");
        }
        assertEquals(expected.dataType(), actual.dataType(), what);
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Double.doubleToLongBits(expected.getDouble(i)), Double.doubleToLongBits(actual.getDouble(i)),
                    what + " element " + i);
        }
    }
}
