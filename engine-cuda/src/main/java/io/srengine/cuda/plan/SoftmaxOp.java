package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * Softmax or LogSoftmax along one axis (softmax.cuh), for values of any layout: the other axes
 * enumerate rows through strides (up to three after merging adjacent ones), the axis itself is
 * read with its own stride.
 */
public final class SoftmaxOp extends UnaryOp {
    /** Size of SoftmaxParams in softmax.cuh. */
    public static final int PARAMS_BYTES = 144;

    final int[] shape;
    final int axis;
    final boolean log;

    SoftmaxOp(String node, String input, String output, int[] shape, int axis, boolean log) {
        super(node, input, output);
        this.shape = shape.clone();
        this.axis = axis;
        this.log = log;
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    /** Whether the rows of a value of this shape fit the kernel's three row axes. */
    static boolean fits(int[] shape, int axis) {
        return outer(shape, axis, Tokens.natural(shape), Tokens.natural(shape)).size() <= 3;
    }

    /** Outer axes as {dim, in stride, out stride} with adjacent mergeable ones merged (symbolic strides). */
    private static List<Object[]> outer(int[] shape, int axis, Tokens.Stride[] si, Tokens.Stride[] so) {
        List<Object[]> r = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (i == axis || shape[i] == 1) {
                continue;
            }
            if (!r.isEmpty()) {
                Object[] last = r.get(r.size() - 1);
                if (last[1].equals(si[i].times(shape[i])) && last[2].equals(so[i].times(shape[i]))) {
                    last[0] = (Long) last[0] * shape[i];
                    last[1] = si[i];
                    last[2] = so[i];
                    continue;
                }
            }
            r.add(new Object[] {(long) shape[i], si[i], so[i]});
        }
        return r;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        Tokens.Stride[] nat = Tokens.natural(shape);
        List<Object[]> axes = outer(shape, axis, nat, nat);
        if (axes.size() > 3) {
            throw new IllegalStateException(node + ": more than three row axes reached emission");
        }
        while (axes.size() < 3) {
            axes.add(0, new Object[] {1L, Tokens.Stride.ZERO, Tokens.Stride.ZERO});
        }
        long rows = 1;
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address());
        for (int side = 1; side <= 2; side++) {
            int cs = side == 1 ? in.cs() : out.cs();
            for (Object[] ax : axes) {
                a.i64((Long) ax[0]);
            }
            for (Object[] ax : axes) {
                a.i64(((Tokens.Stride) ax[side]).at(cs));
            }
            a.i64(nat[axis].at(cs));
        }
        for (Object[] ax : axes) {
            rows *= (Long) ax[0];
        }
        a.i32(Math.toIntExact(rows)).i32(shape[axis]).flag(log).i32(0);
        e.launch(this, "softmax", "softmax_" + e.type().suffix(),
                LaunchGeometry.of((int) LaunchGeometry.ceilDiv(rows, 8), 1, 1, 256, 1, 1, 0), a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return (log ? "LogSoftmax " : "Softmax ") + node + " " + input + " -> " + output + " axis " + axis;
    }
}
