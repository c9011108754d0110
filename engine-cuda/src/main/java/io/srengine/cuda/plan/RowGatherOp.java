package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;

/**
 * The internal RowGather (row_gather.cuh): whole rows of the input copied to the output in a
 * constant order, -1 giving a row of zeros. A transformer's window partition, cyclic shift and
 * their reversal are each one of these.
 */
public final class RowGatherOp extends UnaryOp {
    /** Size of RowGatherParams in row_gather.cuh. */
    public static final int PARAMS_BYTES = 48;

    final String rowsName;
    final int[] rows;
    final int width;

    RowGatherOp(String node, String input, String output, String rowsName, int[] rows, int width) {
        super(node, input, output);
        this.rowsName = rowsName;
        this.rows = rows;
        this.width = width;
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    @Override
    public boolean fillsPadding(String out, int pad, Padding p) {
        return true;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(input);
        TensorView out = e.view(output);
        long table = e.constant(Tokens.key(rowsName + "|rows", rows), () -> DeviceType.ints(rows));
        int store = width + e.zeroTail(output);
        KernelArgs a = new KernelArgs().ptr(in.address()).ptr(out.address()).ptr(table);
        a.i32(rows.length).i32(width).i32(store).i32(in.cs()).i32(out.cs()).i32(0);
        e.launch(this, "row_gather", "row_gather_" + e.type().suffix(),
                LaunchGeometry.linear((long) rows.length * store, 256), a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "RowGather " + node + " " + input + " -> " + output + " " + rows.length + "x" + width;
    }
}
