package io.srengine.cuda.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Concat of rank-4 activations. On the channel axis the {@link Layout} usually places every input
 * at its slice of the output already, so nothing runs; inputs that could not be placed (a graph
 * input, a value that is also in another concatenation, the same value twice) are copied into their
 * slice. Other axes copy every input.
 */
public final class ConcatOp extends PlanOp {
    final List<String> inputs;
    final String output;
    /** NCHW axis, 0..3. */
    final int axis;

    ConcatOp(String node, List<String> inputs, String output, int axis) {
        super(node);
        this.inputs = new ArrayList<>(inputs);
        this.output = output;
        this.axis = axis;
    }

    public List<String> inputs() {
        return List.copyOf(inputs);
    }

    public String output() {
        return output;
    }

    public int axis() {
        return axis;
    }

    @Override
    public List<String> reads() {
        return List.copyOf(inputs);
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        inputs.replaceAll(v -> v.equals(from) ? to : v);
    }

    /** How many inputs are copied (not written in place by their producers). */
    public int copies(Emitter e) {
        int n = 0;
        TensorView out = e.view(output);
        int offset = 0;
        for (String in : inputs) {
            TensorView v = e.view(in);
            if (!inPlace(e, out, v, offset)) {
                n++;
            }
            offset += extent(v);
        }
        return n;
    }

    private int extent(TensorView v) {
        return switch (axis) {
            case 0 -> v.n();
            case 1 -> v.c();
            case 2 -> v.h();
            default -> v.w();
        };
    }

    private boolean inPlace(Emitter e, TensorView out, TensorView v, int offset) {
        return axis == 1 && !v.nchwF32() && !out.nchwF32() && v.cs() == out.cs() && v.address() == out.at(offset, e.type());
    }

    @Override
    public void emit(Emitter e) {
        TensorView out = e.view(output);
        long[] so = out.strides();
        int offset = 0;
        for (String in : inputs) {
            TensorView v = e.view(in);
            if (!inPlace(e, out, v, offset)) {
                // Strides are (n, h, w, c); the NCHW axis maps to index 0, 3, 1, 2.
                int k = switch (axis) {
                    case 0 -> 0;
                    case 1 -> 3;
                    case 2 -> 1;
                    default -> 2;
                };
                long dst = out.at(offset * so[k], e.type());
                EltwiseOp.emitCopy(e, this, v.address(), v.strides(), dst, so, v.nchw());
            }
            offset += extent(v);
        }
    }

    @Override
    public String describe() {
        return "Concat " + node + " axis " + axis + " " + inputs + " -> " + output;
    }
}
