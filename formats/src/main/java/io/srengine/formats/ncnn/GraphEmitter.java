package io.srengine.formats.ncnn;

import io.srengine.Tensor;
import io.srengine.graph.Attributes;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds nodes and constants to a graph under fresh names; shared by the layer translation and the
 * program adapters. Keeps its own set of used names ({@link Graph#freshName} rescans the graph on
 * every call, which is quadratic for the thousand-layer networks read here).
 */
final class GraphEmitter {
    final Graph graph;
    private final Set<String> used = new HashSet<>();
    private int counter;

    GraphEmitter(Graph graph) {
        this.graph = graph;
    }

    /** Reserves a name taken from the file (an ncnn blob or layer name). */
    void reserve(String name) {
        used.add(name);
    }

    /** A name not used yet, starting with {@code prefix}. */
    String fresh(String prefix) {
        String c;
        do {
            c = prefix + "_" + counter++;
        } while (!used.add(c));
        return c;
    }

    /** A new constant; returns its value name. */
    String constant(String prefix, Tensor t) {
        String name = fresh(prefix);
        graph.initializers().put(name, t);
        return name;
    }

    String longs(String prefix, long... values) {
        return constant(prefix, Tensor.ofLongs(values, values.length));
    }

    String scalar(String prefix, float v) {
        return constant(prefix, Tensor.of(new float[] {v}));
    }

    /** A node with one output; returns the output's value name. */
    String node(String name, String op, List<String> inputs, Map<String, ?> attrs) {
        String out = fresh(name);
        graph.nodes().add(new Node(fresh(name), op, inputs, List.of(out), Attributes.of(attrs)));
        return out;
    }

    /** A node writing to a value name chosen by the caller. */
    void nodeTo(String name, String op, List<String> inputs, String output, Map<String, ?> attrs) {
        graph.nodes().add(new Node(fresh(name), op, inputs, List.of(output), Attributes.of(attrs)));
    }

    String node(String name, String op, List<String> inputs) {
        return node(name, op, inputs, Map.of());
    }

    /** {@code x[..., starts:ends]} along {@code axes}. */
    String slice(String name, String x, long[] starts, long[] ends, long[] axes) {
        return node(name, "Slice", List.of(x, longs(name + "_starts", starts), longs(name + "_ends", ends),
                longs(name + "_axes", axes)));
    }

    /** {@code x[..., starts:ends]} with the ends given by a value computed in the graph. */
    String slice(String name, String x, long[] starts, String ends, long[] axes) {
        return node(name, "Slice", List.of(x, longs(name + "_starts", starts), ends, longs(name + "_axes", axes)));
    }
}
