package io.srengine.cuda.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Folds the steps that follow a convolution into its epilogue, where each saves a full pass over an
 * activation in device memory:
 *
 * <ul>
 *   <li>DepthToSpace (pixel shuffle) written straight from the epilogue;
 *   <li>multiplication or division by a scalar constant (residual scaling, e.g. ESRGAN's 0.2);
 *   <li>the residual Add, also when the other addend is a nearest upsampling by an integer factor
 *       (read at the low resolution instead of materialised);
 *   <li>the conversion of a graph output to float32 NCHW;
 * </ul>
 *
 * and, outside convolutions, {@code Mul(x, scalar)} feeding an {@code Add} into one scaled add.
 * Every fusion requires the intermediate value to have no other reader, and a residual to be
 * computed before the convolution runs. Steps left without readers are removed.
 */
final class Fusion {
    private final List<PlanOp> ops;
    private final Function<String, int[]> shapes;

    private Fusion(List<PlanOp> ops, Function<String, int[]> shapes) {
        this.ops = ops;
        this.shapes = shapes;
    }

    /** Applies every fusion to {@code ops} in place. */
    static void apply(List<PlanOp> ops, Function<String, int[]> shapes) {
        Fusion f = new Fusion(ops, shapes);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < ops.size() && !changed; i++) {
                PlanOp op = ops.get(i);
                if (op instanceof ConvOp || op instanceof ConvTransposeOp) {
                    changed = f.shuffle(op) || f.scale(op) || f.residual(op, i) || f.nchwOutput(op);
                } else if (op instanceof EltwiseOp e) {
                    changed = f.scaleAdd(e);
                }
            }
            changed |= f.removeDead();
        }
    }

    private static EpilogueSpec epilogue(PlanOp op) {
        return op instanceof ConvOp c ? c.epilogue : ((ConvTransposeOp) op).epilogue;
    }

    private static String output(PlanOp op) {
        return op instanceof ConvOp c ? c.output : ((ConvTransposeOp) op).output;
    }

    private static void setOutput(PlanOp op, String v) {
        if (op instanceof ConvOp c) {
            c.output = v;
        } else {
            ((ConvTransposeOp) op).output = v;
        }
    }

    /** The only step reading {@code v}, or null when there are none or several. */
    private PlanOp soleReader(String v) {
        PlanOp found = null;
        for (PlanOp op : ops) {
            if (op.reads().contains(v)) {
                if (found != null || op.reads().stream().filter(v::equals).count() > 1) {
                    return null;
                }
                found = op;
            }
        }
        return found;
    }

    /** Index of the step writing {@code v}, or -1 when no step writes it (a staged graph input has one). */
    private int producer(String v) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).writes().contains(v)) {
                return i;
            }
        }
        return -1;
    }

    private boolean shuffle(PlanOp conv) {
        EpilogueSpec ep = epilogue(conv);
        if (ep.residual != null || ep.scale != 1f || ep.pixelShuffle != 1 || ep.nchwOutput
                || conv instanceof ConvOp c && c.tokens) {
            return false;
        }
        if (soleReader(output(conv)) instanceof DepthToSpaceOp d && d.input.equals(output(conv))) {
            ep.pixelShuffle = d.blockSize;
            ep.dcr = d.dcr;
            setOutput(conv, d.output);
            ops.remove(d);
            return true;
        }
        return false;
    }

    private boolean scale(PlanOp conv) {
        EpilogueSpec ep = epilogue(conv);
        if (ep.residual != null || ep.nchwOutput) {
            return false;
        }
        String o = output(conv);
        if (!(soleReader(o) instanceof EltwiseOp e) || e.a == null || e.b == null) {
            return false;
        }
        float s;
        if (e.code == EltwiseOp.Code.MUL && o.equals(e.a.value()) && !Float.isNaN(e.b.scalar())) {
            s = e.b.scalar();
        } else if (e.code == EltwiseOp.Code.MUL && o.equals(e.b.value()) && !Float.isNaN(e.a.scalar())) {
            s = e.a.scalar();
        } else if (e.code == EltwiseOp.Code.DIV && o.equals(e.a.value()) && !Float.isNaN(e.b.scalar())) {
            s = 1f / e.b.scalar();
        } else {
            return false;
        }
        ep.scale *= s;
        setOutput(conv, e.output);
        ops.remove(e);
        return true;
    }

    private boolean residual(PlanOp conv, int convIndex) {
        EpilogueSpec ep = epilogue(conv);
        if (ep.residual != null || ep.nchwOutput) {
            return false;
        }
        String o = output(conv);
        if (!(soleReader(o) instanceof EltwiseOp e) || e.code != EltwiseOp.Code.ADD || e.a == null || e.b == null) {
            return false;
        }
        EltwiseOp.Operand other = o.equals(e.a.value()) ? e.b : o.equals(e.b.value()) ? e.a : null;
        if (other == null || other.isConstant() || other.value().equals(o)
                || !java.util.Arrays.equals(shapes.apply(other.value()), shapes.apply(e.output))
                || !java.util.Arrays.equals(shapes.apply(o), shapes.apply(e.output))) {
            return false;
        }
        String res = other.value();
        int div = 1;
        int p = producer(res);
        if (p >= 0 && ops.get(p) instanceof ResizeOp r) {
            int f = r.integerNearestFactor();
            if (f > 1 && producer(r.input) < convIndex) {
                res = r.input;
                div = f;
            }
        }
        if (div == 1 && p >= convIndex) {
            return false;
        }
        ep.residual = res;
        ep.residualDiv = div;
        setOutput(conv, e.output);
        ops.remove(e);
        return true;
    }

    private boolean nchwOutput(PlanOp conv) {
        EpilogueSpec ep = epilogue(conv);
        if (ep.nchwOutput || conv instanceof ConvOp c && c.tokens) {
            return false;
        }
        if (soleReader(output(conv)) instanceof LayoutOp l && !l.toNhwc) {
            ep.nchwOutput = true;
            setOutput(conv, l.to);
            ops.remove(l);
            return true;
        }
        return false;
    }

    private boolean scaleAdd(EltwiseOp m) {
        if (m.code != EltwiseOp.Code.MUL || m.a == null || m.b == null) {
            return false;
        }
        EltwiseOp.Operand x;
        float s;
        if (!m.a.isConstant() && !Float.isNaN(m.b.scalar())) {
            x = m.a;
            s = m.b.scalar();
        } else if (!m.b.isConstant() && !Float.isNaN(m.a.scalar())) {
            x = m.b;
            s = m.a.scalar();
        } else {
            return false;
        }
        if (!(soleReader(m.output) instanceof EltwiseOp add) || add.code != EltwiseOp.Code.ADD || add.a == null
                || add.b == null) {
            return false;
        }
        EltwiseOp.Operand other = m.output.equals(add.a.value()) ? add.b : add.a;
        if (other.isConstant() || !java.util.Arrays.equals(shapes.apply(other.value()), shapes.apply(add.output))
                || !java.util.Arrays.equals(shapes.apply(m.output), shapes.apply(add.output))) {
            return false;
        }
        add.code = EltwiseOp.Code.SCALE_ADD;
        add.a = x;
        add.b = other;
        add.alpha = s;
        ops.remove(m);
        return true;
    }

    /** Removes steps whose outputs nobody reads (a resize folded into a residual, say). */
    private boolean removeDead() {
        boolean any = false;
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<String> read = new HashSet<>();
            for (PlanOp op : ops) {
                read.addAll(op.reads());
            }
            for (PlanOp op : new ArrayList<>(ops)) {
                boolean staging = op instanceof LayoutOp l && !l.toNhwc || op.writes().stream().anyMatch(w -> w.startsWith(PlanBuilder.OUT_PREFIX));
                if (!staging && op.writes().stream().noneMatch(read::contains)) {
                    ops.remove(op);
                    changed = true;
                    any = true;
                }
            }
        }
        return any;
    }

    /** Index of every value's producing step (for tests). */
    static Map<String, Integer> producers(List<PlanOp> ops) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String w : ops.get(i).writes()) {
                m.put(w, i);
            }
        }
        return m;
    }
}
