package io.srengine.reference;

import io.srengine.DataType;
import io.srengine.Tensor;

/**
 * Cast between any two srengine types. To a floating-point type values round to nearest even, in a
 * single rounding even from double to float16 or bfloat16; floating-point to integer truncates
 * toward zero (out-of-range values are undefined in ONNX; here they saturate to the long range and
 * then wrap to the target width); anything to BOOL is {@code value != 0}.
 */
final class ReferenceCast implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor y = ctx.allocateOutput(0);
        DataType from = x.dataType();
        DataType to = y.dataType();
        int n = x.size();
        if (from == to) {
            Elements.copy(x, 0, y, 0, n);
        } else if (to == DataType.BOOL) {
            byte[] o = y.bytes();
            for (int i = 0; i < n; i++) {
                o[i] = (byte) (x.getDouble(i) != 0 ? 1 : 0);
            }
        } else if (from.isFloatingPoint() && to.isFloatingPoint()) {
            for (int i = 0; i < n; i++) {
                Elements.setDouble(y, i, x.getDouble(i));
            }
        } else {
            // Integer sources go through long, which Java converts to float with a single rounding.
            for (int i = 0; i < n; i++) {
                Elements.setLong(y, i, x.getLong(i));
            }
        }
        return new Tensor[] {y};
    }
}
