package io.srengine.graph;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One operator application: an op type, named inputs and outputs, and attributes. An absent
 * optional input is the empty string, as in ONNX. Immutable; the {@code with...} methods return
 * modified copies.
 */
public final class Node {
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Attributes attributes;

    /**
     * A node.
     *
     * @param name the node's name, unique in its graph
     * @param opType the operator, e.g. {@code "Conv"}
     * @param domain the operator domain; null or "" for the default ONNX domain
     * @param inputs input value names; "" for an absent optional input (copied)
     * @param outputs output value names (copied)
     * @param attributes the attributes; null for none
     * @throws NullPointerException if {@code name}, {@code opType}, the lists or an element of them is
     *     null
     */
    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Attributes attributes) {
        this.name = Objects.requireNonNull(name, "name");
        this.opType = Objects.requireNonNull(opType, "opType");
        this.domain = domain == null ? "" : domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.attributes = attributes == null ? Attributes.empty() : attributes;
    }

    /**
     * A node in the default ONNX domain.
     *
     * @param name the node's name, unique in its graph
     * @param opType the operator, e.g. {@code "Conv"}
     * @param inputs input value names; "" for an absent optional input (copied)
     * @param outputs output value names (copied)
     * @param attributes the attributes; null for none
     * @throws NullPointerException if {@code name}, {@code opType}, the lists or an element of them is
     *     null
     */
    public Node(String name, String opType, List<String> inputs, List<String> outputs, Attributes attributes) {
        this(name, opType, "", inputs, outputs, attributes);
    }

    /**
     * The node's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The operator type.
     *
     * @return e.g. {@code "Conv"}
     */
    public String opType() {
        return opType;
    }

    /**
     * The operator domain.
     *
     * @return the domain; "" is the default ONNX domain
     */
    public String domain() {
        return domain;
    }

    /**
     * The input value names, "" for an absent optional input.
     *
     * @return an unmodifiable list
     */
    public List<String> inputs() {
        return inputs;
    }

    /**
     * The output value names.
     *
     * @return an unmodifiable list
     */
    public List<String> outputs() {
        return outputs;
    }

    /**
     * The attributes.
     *
     * @return the attributes, empty when there are none
     */
    public Attributes attributes() {
        return attributes;
    }

    /**
     * One input.
     *
     * @param i the input index, from 0
     * @return the value name, or "" when absent (past the end or empty)
     */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /**
     * Whether an input is given.
     *
     * @param i the input index, from 0
     * @return true when input {@code i} names a value
     */
    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    /**
     * One output.
     *
     * @param i the output index, from 0
     * @return its value name
     * @throws IndexOutOfBoundsException when the node has no output {@code i}
     */
    public String output(int i) {
        return outputs.get(i);
    }

    /**
     * A copy with other inputs.
     *
     * @param newInputs the input value names
     * @return the new node
     */
    public Node withInputs(List<String> newInputs) {
        return new Node(name, opType, domain, newInputs, outputs, attributes);
    }

    /**
     * A copy with other outputs.
     *
     * @param newOutputs the output value names
     * @return the new node
     */
    public Node withOutputs(List<String> newOutputs) {
        return new Node(name, opType, domain, inputs, newOutputs, attributes);
    }

    /**
     * A copy with other attributes.
     *
     * @param newAttributes the attributes; null for none
     * @return the new node
     */
    public Node withAttributes(Attributes newAttributes) {
        return new Node(name, opType, domain, inputs, outputs, newAttributes);
    }

    /**
     * A copy with another operator type (same domain, inputs, outputs and attributes).
     *
     * @param newOpType the operator type
     * @return the new node
     */
    public Node withOpType(String newOpType) {
        return new Node(name, newOpType, domain, inputs, outputs, attributes);
    }

    /**
     * A copy with input {@code i} set, padding with absent inputs as needed; trailing absent inputs
     * are dropped.
     *
     * @param i the input index, from 0
     * @param value the value name, or "" to make the input absent
     * @return the new node
     */
    public Node withInput(int i, String value) {
        List<String> in = new ArrayList<>(inputs);
        while (in.size() <= i) {
            in.add("");
        }
        in.set(i, value);
        while (!in.isEmpty() && in.getLast().isEmpty()) {
            in.removeLast();
        }
        return withInputs(in);
    }

    // ---- typed attribute access --------------------------------------------------------------------

    /**
     * An INT attribute.
     *
     * @param attr the attribute name
     * @param defaultValue returned when the attribute is absent
     * @return its value
     * @throws SrException {@code INVALID_MODEL} when the attribute is not an int
     */
    public long attrInt(String attr, long defaultValue) {
        Object v = attributes.get(attr);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw attrError(attr, "an int");
    }

    /**
     * A required INT attribute.
     *
     * @param attr the attribute name
     * @return its value
     * @throws SrException {@code INVALID_MODEL} when the attribute is missing or not an int
     */
    public long attrInt(String attr) {
        if (!attributes.has(attr)) {
            throw missing(attr);
        }
        return attrInt(attr, 0);
    }

    /**
     * A FLOAT attribute (an INT one is converted).
     *
     * @param attr the attribute name
     * @param defaultValue returned when the attribute is absent
     * @return its value
     * @throws SrException {@code INVALID_MODEL} when the attribute is not a number
     */
    public float attrFloat(String attr, float defaultValue) {
        Object v = attributes.get(attr);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw attrError(attr, "a float");
    }

    /**
     * A STRING attribute.
     *
     * @param attr the attribute name
     * @param defaultValue returned when the attribute is absent
     * @return its value
     * @throws SrException {@code INVALID_MODEL} when the attribute is not a string
     */
    public String attrString(String attr, String defaultValue) {
        Object v = attributes.get(attr);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String s) {
            return s;
        }
        throw attrError(attr, "a string");
    }

    /**
     * An INTS attribute (a single INT becomes a one-element array).
     *
     * @param attr the attribute name
     * @param defaultValue returned when the attribute is absent; may be null
     * @return a copy of its values, or {@code defaultValue}
     * @throws SrException {@code INVALID_MODEL} when the attribute is not a list of ints
     */
    public long[] attrInts(String attr, long[] defaultValue) {
        Object v = attributes.get(attr);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof long[] a) {
            return a.clone();
        }
        if (v instanceof Long l) {
            return new long[] {l};
        }
        throw attrError(attr, "a list of ints");
    }

    /**
     * A FLOATS attribute (a single FLOAT becomes a one-element array).
     *
     * @param attr the attribute name
     * @param defaultValue returned when the attribute is absent; may be null
     * @return a copy of its values, or {@code defaultValue}
     * @throws SrException {@code INVALID_MODEL} when the attribute is not a list of floats
     */
    public float[] attrFloats(String attr, float[] defaultValue) {
        Object v = attributes.get(attr);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof float[] a) {
            return a.clone();
        }
        if (v instanceof Float f) {
            return new float[] {f};
        }
        throw attrError(attr, "a list of floats");
    }

    /**
     * A required TENSOR attribute.
     *
     * @param attr the attribute name
     * @return the tensor itself (not a copy; treat it as immutable)
     * @throws SrException {@code INVALID_MODEL} when the attribute is missing or not a tensor
     */
    public Tensor attrTensor(String attr) {
        Object v = attributes.get(attr);
        if (v instanceof Tensor t) {
            return t;
        }
        throw v == null ? missing(attr) : attrError(attr, "a tensor");
    }

    private SrException attrError(String attr, String kind) {
        return new SrException(ErrorCode.INVALID_MODEL, describe() + ": attribute '" + attr + "' should be " + kind);
    }

    private SrException missing(String attr) {
        return new SrException(ErrorCode.INVALID_MODEL, describe() + ": required attribute '" + attr + "' is missing");
    }

    /**
     * The node as messages refer to it.
     *
     * @return {@code "<opType> node '<name>'"}, e.g. {@code Conv node 'conv1'}
     */
    public String describe() {
        return opType + " node '" + name + "'";
    }

    @Override
    public String toString() {
        return name + " = " + opType + inputs + " -> " + outputs + (attributes.isEmpty() ? "" : " " + attributes);
    }
}
