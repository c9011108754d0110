package io.srengine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static Node node(String name, String op, List<String> in, List<String> out) {
        return new Node(name, op, in, out, Attributes.empty());
    }

    private static Graph chain() {
        Graph g = new Graph("g", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1, 1, 2, 2)));
        g.outputs().add(new ValueInfo("z", TensorType.of(DataType.FLOAT32, 1, 1, 2, 2)));
        g.initializers().put("k", Tensor.scalar(2f));
        // Deliberately out of order: z depends on y.
        g.nodes().add(node("b", "Mul", List.of("y", "k"), List.of("z")));
        g.nodes().add(node("a", "Relu", List.of("x"), List.of("y")));
        return g;
    }

    @Test
    void topologicalSortOrdersProducersFirst() {
        Graph g = chain();
        g.validateReferences();
        g.sortTopologically();
        assertEquals(List.of("a", "b"), g.nodes().stream().map(Node::name).toList());
    }

    @Test
    void cycleIsReportedWithItsNodes() {
        Graph g = new Graph("cyclic", 13);
        g.inputs().add(new ValueInfo("x", TensorType.of(DataType.FLOAT32, 1)));
        g.outputs().add(new ValueInfo("b_out", TensorType.of(DataType.FLOAT32, 1)));
        g.nodes().add(node("first", "Add", List.of("x", "b_out"), List.of("a_out")));
        g.nodes().add(node("second", "Relu", List.of("a_out"), List.of("b_out")));
        SrException e = assertThrows(SrException.class, g::sortTopologically);
        assertEquals(ErrorCode.INVALID_GRAPH, e.code());
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("first")
                && e.getMessage().contains("second"), e.getMessage());
    }

    @Test
    void missingValueIsNamed() {
        Graph g = chain();
        g.initializers().remove("k");
        SrException e = assertThrows(SrException.class, g::validateReferences);
        assertEquals(ErrorCode.INVALID_GRAPH, e.code());
        assertTrue(e.getMessage().contains("'k'") && e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void doubleProductionIsRejected() {
        Graph g = chain();
        g.nodes().add(node("c", "Relu", List.of("x"), List.of("y")));
        SrException e = assertThrows(SrException.class, g::validateReferences);
        assertTrue(e.getMessage().contains("produced twice"), e.getMessage());
    }

    @Test
    void livenessFreesAfterLastReader() {
        Graph g = chain();
        g.sortTopologically();
        Liveness l = new Liveness(g);
        assertEquals(-1, l.definedAt("x"));
        assertEquals(0, l.lastUsedAt("x"));
        assertEquals(1, l.lastUsedAt("y"));
        assertEquals(Integer.MAX_VALUE, l.lastUsedAt("z"));
        assertEquals(List.of("x"), l.dyingAfter(0));
        assertEquals(List.of("y"), l.dyingAfter(1));
    }

    @Test
    void deadCodeIsRemoved() {
        Graph g = chain();
        g.nodes().add(node("unused", "Relu", List.of("x"), List.of("w")));
        g.initializers().put("unused_k", Tensor.scalar(1f));
        g.removeDeadCode();
        assertEquals(2, g.nodes().size());
        assertTrue(!g.initializers().containsKey("unused_k"));
    }

    @Test
    void freshNamesDoNotCollide() {
        Graph g = chain();
        g.nodes().add(node("x_0", "Relu", List.of("x"), List.of("x_1")));
        String a = g.freshName("x");
        assertTrue(!a.equals("x_0") && !a.equals("x_1") && a.startsWith("x_"), a);
    }
}
