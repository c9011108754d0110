package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.Arrays;

/**
 * A tensor as a checkpoint describes it: a view (offset, shape, strides in elements) into a storage
 * of {@code numel} elements of one type. Constructed only through {@link #of}, which checks that the
 * view lies inside the storage, so reading it later cannot go out of bounds.
 */
record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {
    /** A storage: its key in the file, its element type and its length in elements. */
    record Storage(String key, ScalarType type, long numel) {}

    /**
     * @throws SrException {@code INVALID_MODEL} when the view does not fit in the storage or its size
     *     overflows
     */
    static TensorRef of(Storage storage, long offset, long[] shape, long[] stride, String where) {
        if (shape.length != stride.length || shape.length > 16) {
            throw bad(where, "a tensor of shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(stride));
        }
        long numel = 1;
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw bad(where, "a tensor of shape " + Arrays.toString(shape) + " with strides "
                        + Arrays.toString(stride));
            }
            try {
                numel = Math.multiplyExact(numel, shape[i]);
                if (shape[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            } catch (ArithmeticException e) {
                throw bad(where, "a tensor of shape " + Arrays.toString(shape) + " whose size overflows");
            }
        }
        if (numel > Tensor.MAX_ELEMENTS) {
            throw bad(where, "a tensor of shape " + Arrays.toString(shape) + " has " + numel
                    + " elements, more than srengine holds in one tensor");
        }
        if (offset < 0 || (numel > 0 && last >= storage.numel())) {
            throw bad(where, "a tensor of shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(stride)
                    + " and offset " + offset + " reaches element " + last + " of storage '" + storage.key()
                    + "', which holds only " + storage.numel());
        }
        return new TensorRef(storage, offset, shape.clone(), stride.clone());
    }

    long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        return s;
    }

    /** Whether the elements lie one after another in storage order. */
    boolean contiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static SrException bad(String where, String detail) {
        return new SrException(ErrorCode.INVALID_MODEL, where + ": " + detail);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "tensor " + storage.type().torchName() + Arrays.toString(shape);
    }
}
