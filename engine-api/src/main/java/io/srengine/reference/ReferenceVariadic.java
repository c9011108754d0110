package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.Broadcast;

/**
 * Max, Min, Sum and Mean over any number of inputs with multidirectional broadcasting. Max and Min
 * propagate NaN, like numpy's maximum and minimum; integers compare as their (unsigned for UINT8)
 * values. Sum and Mean accumulate in double.
 */
final class ReferenceVariadic implements ReferenceKernel {
    enum Op {
        MAX,
        MIN,
        SUM,
        MEAN
    }

    private final Op op;

    ReferenceVariadic(Op op) {
        this.op = op;
    }

    @Override
    public Tensor[] run(KernelContext ctx) {
        int count = ctx.inputCount();
        Tensor out = ctx.allocateOutput(0);
        int[] shape = out.shape();
        int[][] strides = new int[count][];
        for (int i = 0; i < count; i++) {
            strides[i] = Broadcast.strides(ctx.input(i).shape(), shape);
        }
        int[] coord = new int[shape.length];
        boolean fp = out.dataType().isFloatingPoint();
        int n = out.size();
        for (int o = 0; o < n; o++) {
            if (fp) {
                double acc = ctx.input(0).getDouble(Elements.offset(coord, strides[0]));
                for (int i = 1; i < count; i++) {
                    double v = ctx.input(i).getDouble(Elements.offset(coord, strides[i]));
                    acc = switch (op) {
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                        case SUM, MEAN -> acc + v;
                    };
                }
                Elements.setDouble(out, o, op == Op.MEAN ? acc / count : acc);
            } else {
                long acc = ctx.input(0).getLong(Elements.offset(coord, strides[0]));
                for (int i = 1; i < count; i++) {
                    long v = ctx.input(i).getLong(Elements.offset(coord, strides[i]));
                    acc = op == Op.MAX ? Math.max(acc, v) : Math.min(acc, v);
                }
                Elements.setLong(out, o, acc);
            }
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
