package io.srengine.graph;

import java.util.Objects;

/**
 * A named graph input or output with its declared type. Immutable.
 *
 * @param name the value's name, unique in its graph
 * @param type its element type and (possibly symbolic) shape
 */
public record ValueInfo(String name, TensorType type) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if either is null
     */
    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }
}
