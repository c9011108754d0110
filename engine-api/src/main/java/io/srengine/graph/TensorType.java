package io.srengine.graph;

import io.srengine.DataType;
import java.util.Objects;

/**
 * The element type and shape of a value in a graph. Immutable.
 *
 * @param dataType the element type
 * @param shape the shape, whose dimensions may be symbolic
 */
public record TensorType(DataType dataType, Shape shape) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if either is null
     */
    public TensorType {
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(shape, "shape");
    }

    /**
     * A type with a fully known shape.
     *
     * @param dataType the element type
     * @param dims the dimensions
     * @return the type
     */
    public static TensorType of(DataType dataType, int... dims) {
        return new TensorType(dataType, Shape.of(dims));
    }

    /**
     * The number of dimensions.
     *
     * @return the shape's rank
     */
    public int rank() {
        return shape.rank();
    }

    @Override
    public String toString() {
        return dataType + shape.toString();
    }
}
