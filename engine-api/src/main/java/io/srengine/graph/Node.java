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

    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Attributes attributes) {
        this.name = Objects.requireNonNull(name, "name");
        this.opType = Objects.requireNonNull(opType, "opType");
        this.domain = domain == null ? "" : domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.attributes = attributes == null ? Attributes.empty() : attributes;
    }

    public Node(String name, String opType, List<String> inputs, List<String> outputs, Attributes attributes) {
        this(name, opType, "", inputs, outputs, attributes);
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    /** The operator domain; "" is the default ONNX domain. */
    public String domain() {
        return domain;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    public Attributes attributes() {
        return attributes;
    }

    /** Input {@code i}, or "" when absent (past the end or empty). */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /** True when input {@code i} is given. */
    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public String output(int i) {
        return outputs.get(i);
    }

    public Node withInputs(List<String> newInputs) {
        return new Node(name, opType, domain, newInputs, outputs, attributes);
    }

    public Node withOutputs(List<String> newOutputs) {
        return new Node(name, opType, domain, inputs, newOutputs, attributes);
    }

    public Node withAttributes(Attributes newAttributes) {
        return new Node(name, opType, domain, inputs, outputs, newAttributes);
    }

    public Node withOpType(String newOpType) {
        return new Node(name, newOpType, domain, inputs, outputs, attributes);
    }

    /** A copy with input {@code i} set, padding with absent inputs as needed. */
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

    public long attrInt(String attr) {
        if (!attributes.has(attr)) {
            throw missing(attr);
        }
        return attrInt(attr, 0);
    }

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

    /** INTS attribute, or {@code defaultValue} (may be null) when absent. */
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

    /** FLOATS attribute, or {@code defaultValue} (may be null) when absent. */
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

    /** "op type 'name'", the way messages refer to a node. */
    public String describe() {
        return opType + " node '" + name + "'";
    }

    @Override
    public String toString() {
        return name + " = " + opType + inputs + " -> " + outputs + (attributes.isEmpty() ? "" : " " + attributes);
    }
}
