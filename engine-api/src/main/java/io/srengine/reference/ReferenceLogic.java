package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/**
 * Comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual), the boolean ops (And, Or, Xor),
 * Mod and Where, with multidirectional broadcasting. Floating-point values compare as doubles (NaN is
 * unequal to everything), integers as longs (UINT8 as unsigned).
 */
final class ReferenceLogic {
    private ReferenceLogic() {}

    /** A predicate on two elements at flat offsets of two tensors. */
    @FunctionalInterface
    interface Predicate2 {
        boolean test(Tensor a, int ia, Tensor b, int ib);
    }

    static ReferenceKernel compare(String op) {
        return binaryBool(switch (op) {
            case "Equal" -> (a, ia, b, ib) -> a.dataType().isFloatingPoint()
                    ? a.getDouble(ia) == b.getDouble(ib) : a.getLong(ia) == b.getLong(ib);
            case "Less" -> (a, ia, b, ib) -> a.dataType().isFloatingPoint()
                    ? a.getDouble(ia) < b.getDouble(ib) : a.getLong(ia) < b.getLong(ib);
            case "Greater" -> (a, ia, b, ib) -> a.dataType().isFloatingPoint()
                    ? a.getDouble(ia) > b.getDouble(ib) : a.getLong(ia) > b.getLong(ib);
            case "LessOrEqual" -> (a, ia, b, ib) -> a.dataType().isFloatingPoint()
                    ? a.getDouble(ia) <= b.getDouble(ib) : a.getLong(ia) <= b.getLong(ib);
            case "GreaterOrEqual" -> (a, ia, b, ib) -> a.dataType().isFloatingPoint()
                    ? a.getDouble(ia) >= b.getDouble(ib) : a.getLong(ia) >= b.getLong(ib);
            case "And" -> (a, ia, b, ib) -> a.getLong(ia) != 0 && b.getLong(ib) != 0;
            case "Or" -> (a, ia, b, ib) -> a.getLong(ia) != 0 || b.getLong(ib) != 0;
            case "Xor" -> (a, ia, b, ib) -> (a.getLong(ia) != 0) != (b.getLong(ib) != 0);
            default -> throw new IllegalArgumentException(op);
        });
    }

    private static ReferenceKernel binaryBool(Predicate2 p) {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ctx.input(1);
            Tensor out = ctx.allocateOutput(0);
            byte[] o = out.bytes();
            int[] shape = out.shape();
            int[] sa = Broadcast.strides(a.shape(), shape);
            int[] sb = Broadcast.strides(b.shape(), shape);
            int[] coord = new int[shape.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = (byte) (p.test(a, Elements.offset(coord, sa), b, Elements.offset(coord, sb)) ? 1 : 0);
                Elements.next(coord, shape);
            }
            return new Tensor[] {out};
        };
    }

    static ReferenceKernel not() {
        return ctx -> {
            Tensor x = ctx.input(0);
            Tensor out = ctx.allocateOutput(0);
            byte[] in = x.bytes();
            byte[] o = out.bytes();
            for (int i = 0; i < o.length; i++) {
                o[i] = (byte) (in[i] == 0 ? 1 : 0);
            }
            return new Tensor[] {out};
        };
    }

    /** Where: elements keep their bits, whatever the type. */
    static ReferenceKernel where() {
        return ctx -> {
            Tensor c = ctx.input(0);
            Tensor x = ctx.input(1);
            Tensor y = ctx.input(2);
            Tensor out = ctx.allocateOutput(0);
            int[] shape = out.shape();
            int[] sc = Broadcast.strides(c.shape(), shape);
            int[] sx = Broadcast.strides(x.shape(), shape);
            int[] sy = Broadcast.strides(y.shape(), shape);
            int[] coord = new int[shape.length];
            byte[] cond = c.bytes();
            int n = out.size();
            for (int i = 0; i < n; i++) {
                if (cond[Elements.offset(coord, sc)] != 0) {
                    Elements.copy(x, Elements.offset(coord, sx), out, i, 1);
                } else {
                    Elements.copy(y, Elements.offset(coord, sy), out, i, 1);
                }
                Elements.next(coord, shape);
            }
            return new Tensor[] {out};
        };
    }

    /**
     * Mod: {@code fmod=1} is C's fmod (the dividend's sign; exact in double for every srengine type);
     * {@code fmod=0} on integers takes the divisor's sign, as Python's {@code %}. An integer division
     * by zero is an error.
     */
    static ReferenceKernel mod() {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ctx.input(1);
            boolean fmod = ctx.node().attrInt("fmod", 0) == 1;
            Tensor out = ctx.allocateOutput(0);
            int[] shape = out.shape();
            int[] sa = Broadcast.strides(a.shape(), shape);
            int[] sb = Broadcast.strides(b.shape(), shape);
            int[] coord = new int[shape.length];
            boolean fp = out.dataType().isFloatingPoint();
            int n = out.size();
            for (int i = 0; i < n; i++) {
                int ia = Elements.offset(coord, sa);
                int ib = Elements.offset(coord, sb);
                if (fp) {
                    Elements.setDouble(out, i, a.getDouble(ia) % b.getDouble(ib));
                } else {
                    long x = a.getLong(ia);
                    long y = b.getLong(ib);
                    if (y == 0) {
                        throw new SrException(ErrorCode.INVALID_INPUT, ctx.node().describe() + ": integer modulo by zero");
                    }
                    Elements.setLong(out, i, fmod ? x % y : Math.floorMod(x, y));
                }
                Elements.next(coord, shape);
            }
            return new Tensor[] {out};
        };
    }
}
