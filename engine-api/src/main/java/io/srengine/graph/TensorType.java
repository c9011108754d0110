package io.srengine.graph;

import io.srengine.DataType;
import java.util.Objects;

/** The element type and shape of a value in a graph. */
public record TensorType(DataType dataType, Shape shape) {
    public TensorType {
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(shape, "shape");
    }

    public static TensorType of(DataType dataType, int... dims) {
        return new TensorType(dataType, Shape.of(dims));
    }

    public int rank() {
        return shape.rank();
    }

    @Override
    public String toString() {
        return dataType + shape.toString();
    }
}
