package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/**
 * Add, Sub, Mul and Div with multidirectional broadcasting. Floating-point types compute in double
 * and round once, which for these four operations gives exactly the float32 result. Integer types
 * wrap on overflow and divide truncating toward zero, as C and the ONNX reference (numpy's true
 * division cast back to the integer type) do; an integer division by zero is an error.
 */
final class ReferenceArithmetic implements ReferenceKernel {
    enum Op {
        ADD,
        SUB,
        MUL,
        DIV
    }

    private final Op op;

    ReferenceArithmetic(Op op) {
        this.op = op;
    }

    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        int[] sa = Broadcast.strides(a.shape(), shape);
        int[] sb = Broadcast.strides(b.shape(), shape);
        int[] coord = new int[shape.length];
        boolean fp = out.dataType().isFloatingPoint();
        int n = out.size();
        for (int o = 0; o < n; o++) {
            int ia = Elements.offset(coord, sa);
            int ib = Elements.offset(coord, sb);
            if (fp) {
                Elements.setDouble(out, o, apply(a.getDouble(ia), b.getDouble(ib)));
            } else {
                Elements.setLong(out, o, apply(ctx, a.getLong(ia), b.getLong(ib)));
            }
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }

    private double apply(double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    private long apply(KernelContext ctx, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> {
                if (y == 0) {
                    throw new SrException(ErrorCode.INVALID_INPUT, ctx.node().describe() + ": integer division by zero");
                }
                yield x / y;
            }
        };
    }
}
