package io.srengine.graph;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The shape of a value in a graph: a fixed rank and one {@link Dim} per axis, known or symbolic. Immutable. */
public final class Shape {
    private final List<Dim> dims;

    private Shape(List<Dim> dims) {
        this.dims = List.copyOf(dims);
    }

    /**
     * A shape of the given dimensions.
     *
     * @param dims one dimension per axis, outermost first
     * @return the shape
     */
    public static Shape of(List<Dim> dims) {
        return new Shape(dims);
    }

    /**
     * A shape of the given dimensions.
     *
     * @param dims one dimension per axis, outermost first
     * @return the shape
     */
    public static Shape of(Dim... dims) {
        return new Shape(Arrays.asList(dims));
    }

    /**
     * A fully known shape.
     *
     * @param dims the sizes, outermost first
     * @return the shape
     */
    public static Shape of(int... dims) {
        Dim[] d = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = Dim.of(dims[i]);
        }
        return new Shape(Arrays.asList(d));
    }

    /**
     * A fully known shape.
     *
     * @param dims the sizes, outermost first
     * @return the shape
     */
    public static Shape of(long... dims) {
        Dim[] d = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = Dim.of(dims[i]);
        }
        return new Shape(Arrays.asList(d));
    }

    /**
     * The rank-0 shape of a scalar.
     *
     * @return the empty shape
     */
    public static Shape scalar() {
        return new Shape(List.of());
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return dims.size();
    }

    /**
     * One dimension.
     *
     * @param axis the axis; negative axes count from the end
     * @return its dimension
     * @throws IndexOutOfBoundsException when {@code axis} is not in {@code [-rank, rank)}
     */
    public Dim dim(int axis) {
        return dims.get(axis < 0 ? axis + dims.size() : axis);
    }

    /**
     * All dimensions.
     *
     * @return an unmodifiable list, outermost first
     */
    public List<Dim> dims() {
        return dims;
    }

    /**
     * Whether every dimension is a known integer.
     *
     * @return true when no dimension is symbolic
     */
    public boolean isKnown() {
        for (Dim d : dims) {
            if (!d.isKnown()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The product of all dimensions.
     *
     * @return the element count, symbolic when a dimension is
     */
    public Dim elementCount() {
        Dim n = Dim.of(1);
        for (Dim d : dims) {
            n = n.times(d);
        }
        return n;
    }

    /**
     * The concrete dimensions, checked to be known, non-negative and small enough to index.
     *
     * @return the sizes, outermost first
     * @throws SrException {@link ErrorCode#INVALID_SHAPE} or {@link ErrorCode#TENSOR_TOO_LARGE}
     */
    public int[] toIntArray() {
        long[] v = new long[dims.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = dims.get(i).value();
        }
        Tensor.checkedSize(v);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /**
     * This shape with symbols bound to values where {@code bindings} names them (see {@link
     * Dim#bind}).
     *
     * @param bindings symbol name to value
     * @return the bound shape
     */
    public Shape bind(Map<String, Long> bindings) {
        return new Shape(dims.stream().map(d -> d.bind(bindings)).toList());
    }

    /**
     * A copy with one dimension replaced.
     *
     * @param axis the axis; negative axes count from the end
     * @param d the new dimension
     * @return the new shape
     */
    public Shape with(int axis, Dim d) {
        Dim[] a = dims.toArray(new Dim[0]);
        a[axis < 0 ? axis + a.length : axis] = d;
        return of(a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && dims.equals(s.dims);
    }

    @Override
    public int hashCode() {
        return dims.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dims.get(i));
        }
        return sb.append(']').toString();
    }

    static SrException error(String message) {
        return new SrException(ErrorCode.INVALID_SHAPE, message);
    }
}
