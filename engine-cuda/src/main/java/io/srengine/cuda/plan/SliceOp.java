package io.srengine.cuda.plan;


/** Slice of a rank-4 activation: a strided copy (any steps, negative included). */
public final class SliceOp extends UnaryOp {
    /** First input index and step per NCHW axis. */
    final long[] start;
    final long[] step;

    SliceOp(String node, String input, String output, long[] start, long[] step) {
        super(node, input, output);
        this.start = start.clone();
        this.step = step.clone();
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        long[] s = in.strides();
        // NCHW axis i has stride index {0, 3, 1, 2}[i].
        int[] map = {0, 3, 1, 2};
        long first = 0;
        long[] strides = new long[4];
        for (int i = 0; i < 4; i++) {
            first += start[i] * s[map[i]];
            strides[map[i]] = step[i] * s[map[i]];
        }
        EltwiseOp.emitCopy(e, this, in.at(first, e.type()), strides, out.address(), out.strides(), out.nchw());
    }

    @Override
    public String describe() {
        return "Slice " + node + " " + input + " -> " + output;
    }
}
