package io.srengine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.srengine.Tensor;

/** Comparisons of tensors in tests: type and shape exactly, values within a tolerance. */
public final class TensorAssert {
    private TensorAssert() {}

    /** Exact equality of type, shape and values (NaN equals NaN). */
    public static void assertTensorEquals(Tensor expected, Tensor actual) {
        assertClose(expected, actual, 0, 0, "");
    }

    /**
     * Same type and shape, and every value within {@code atol + rtol*|expected|}; NaN matches only
     * NaN, infinities only themselves.
     */
    public static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + " type");
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        boolean fp = expected.dataType().isFloatingPoint();
        for (int i = 0; i < expected.size(); i++) {
            if (!fp) {
                if (expected.getLong(i) != actual.getLong(i)) {
                    fail(what + " element " + i + ": expected " + expected.getLong(i) + " but got " + actual.getLong(i));
                }
                continue;
            }
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + " element " + i + ": expected " + e + " but got " + a);
            }
        }
    }
}
