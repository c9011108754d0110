package io.srengine.reference;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.util.Arrays;

/** Shared plumbing of the spatial reference kernels: float32 views of inputs, typed outputs, index arithmetic. */
final class SpatialSupport {
    private SpatialSupport() {}

    /** The elements of {@code t} as float32 (a copy when {@code t} has another floating-point type). */
    static float[] floats(Tensor t) {
        return t.dataType() == DataType.FLOAT32 ? t.floats() : t.to(DataType.FLOAT32).floats();
    }

    /**
     * Output {@code i} holding {@code data}, converted to the inferred output type. The shape the kernel
     * computed must be the inferred one: a difference is a bug in srengine, not in the model.
     */
    static Tensor output(KernelContext ctx, int i, float[] data, int[] shape) {
        int[] inferred = ctx.outputShape(i);
        if (!Arrays.equals(inferred, shape)) {
            throw new SrException(ErrorCode.INTERNAL, ctx.node().describe() + ": kernel computed output shape "
                    + Arrays.toString(shape) + " but inference gave " + Arrays.toString(inferred));
        }
        Tensor t = Tensor.of(data, shape);
        DataType type = ctx.outputType(i).dataType();
        return type == DataType.FLOAT32 ? t : t.to(type);
    }

    static int product(int[] a) {
        return Tensor.checkedSize(a);
    }

    /** Row-major strides of {@code size}. */
    static int[] strides(int[] size) {
        int[] s = new int[size.length];
        int acc = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= size[i];
        }
        return s;
    }

    /** The coordinates of row-major flat index {@code p} in {@code size}, written into {@code coord}. */
    static void unravel(int p, int[] size, int[] coord) {
        for (int i = size.length - 1; i >= 0; i--) {
            coord[i] = p % size[i];
            p /= size[i];
        }
    }

    /** The coordinates of every position of {@code size}, row-major: {@code [position][axis]}. */
    static int[][] allCoordinates(int[] size) {
        int n = product(size);
        int[][] c = new int[n][size.length];
        for (int p = 0; p < n; p++) {
            unravel(p, size, c[p]);
        }
        return c;
    }
}
