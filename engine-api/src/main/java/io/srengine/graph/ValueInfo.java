package io.srengine.graph;

import java.util.Objects;

/** A named graph input or output with its declared type. */
public record ValueInfo(String name, TensorType type) {
    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }
}
