package io.srengine.reference;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;

/**
 * ScatterND: a copy of data in which each index tuple (the last axis of indices, negative values
 * counting from the end) addresses a slice that the matching slice of updates replaces or, with a
 * {@code reduction}, is combined with. Tuples apply in order, so with repeated indices the last
 * update wins (ONNX leaves that case undefined).
 */
final class ReferenceScatterND implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor data = ctx.input(0);
        Tensor indices = ctx.input(1);
        Tensor updates = ctx.input(2);
        String reduction = ctx.node().attrString("reduction", "none");
        Tensor out = data.copy();
        int[] shape = data.shape();
        int[] is = indices.shape();
        int k = is[is.length - 1];
        int tuples = k == 0 ? indices.size() : indices.size() / k;
        if (k == 0) {
            tuples = Tensor.checkedSize(java.util.Arrays.copyOf(is, is.length - 1));
        }
        int slice = 1;
        for (int d = k; d < shape.length; d++) {
            slice *= shape[d];
        }
        int[] strides = Elements.strides(shape);
        boolean fp = out.dataType().isFloatingPoint();
        for (int t = 0; t < tuples; t++) {
            int offset = 0;
            for (int d = 0; d < k; d++) {
                long v = indices.getLong(t * k + d);
                long idx = v < 0 ? v + shape[d] : v;
                if (idx < 0 || idx >= shape[d]) {
                    throw new SrException(ErrorCode.INVALID_INPUT, ctx.node().describe() + ": index " + v
                            + " is out of range for axis " + d + " of size " + shape[d]);
                }
                offset += (int) idx * strides[d];
            }
            for (int j = 0; j < slice; j++) {
                int o = offset + j;
                int u = t * slice + j;
                if (reduction.equals("none")) {
                    Elements.copy(updates, u, out, o, 1);
                } else if (fp) {
                    double a = out.getDouble(o);
                    double b = updates.getDouble(u);
                    Elements.setDouble(out, o, switch (reduction) {
                        case "add" -> a + b;
                        case "mul" -> a * b;
                        case "max" -> Math.max(a, b);
                        default -> Math.min(a, b);
                    });
                } else {
                    long a = out.getLong(o);
                    long b = updates.getLong(u);
                    Elements.setLong(out, o, switch (reduction) {
                        case "add" -> a + b;
                        case "mul" -> a * b;
                        case "max" -> Math.max(a, b);
                        default -> Math.min(a, b);
                    });
                }
            }
        }
        return new Tensor[] {out};
    }
}
