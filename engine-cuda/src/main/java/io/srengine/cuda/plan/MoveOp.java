package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.Arrays;
import java.util.List;

/**
 * A Reshape / Transpose chain that could not stay a view (move.cuh): element {@code i} of the
 * output, counted row-major over its logical shape, is element {@code i} of the input counted
 * row-major over {@code inDims}, where the input is a strided view of its source's buffer (a
 * transposed view has {@code inDims} equal to the output's shape and permuted strides).
 */
public final class MoveOp extends PlanOp {
    /** Size of MoveParams in move.cuh. */
    public static final int PARAMS_BYTES = 224;
    static final int MAX_RANK = 6;

    String source;
    final int[] inDims;
    final Tokens.Stride[] inStrides;
    final Tokens.Stride inOffset;
    final String output;
    final int[] outDims;
    final Tokens.Stride[] outStrides;
    final Tokens.Stride outOffset;

    /** Moves {@code in} into the whole of {@code output}, laid out naturally with shape {@code outDims}. */
    MoveOp(String node, Tokens.View in, String output, int[] outDims) {
        this(node, in, new Tokens.View(output, outDims, Tokens.natural(outDims)));
    }

    /** Moves {@code in} into the part of {@code out.source()} that {@code out} views (a Concat input's place). */
    MoveOp(String node, Tokens.View in, Tokens.View out) {
        super(node);
        Object[] i = merged(compact(in.dims()), compact(in.dims(), in.strides()));
        Object[] o = merged(compact(out.dims()), compact(out.dims(), out.strides()));
        this.source = in.source();
        this.inDims = (int[]) i[0];
        this.inStrides = (Tokens.Stride[]) i[1];
        this.inOffset = in.offset();
        this.output = out.source();
        this.outDims = (int[]) o[0];
        this.outStrides = (Tokens.Stride[]) o[1];
        this.outOffset = out.offset();
        if (inDims.length > MAX_RANK || outDims.length > MAX_RANK) {
            throw new io.srengine.SrException(io.srengine.ErrorCode.UNSUPPORTED_OP, "the CUDA backend cannot run "
                    + node + ": it moves " + Math.max(inDims.length, outDims.length) + " strided axes (at most "
                    + MAX_RANK + ")");
        }
    }

    /**
     * Dims and strides with adjacent axes merged where the outer one steps over the inner one exactly
     * (each side of a move is decoded on its own, so each side merges on its own).
     */
    static Object[] merged(int[] dims, Tokens.Stride[] strides) {
        java.util.List<Integer> d = new java.util.ArrayList<>();
        java.util.List<Tokens.Stride> s = new java.util.ArrayList<>();
        for (int a = 0; a < dims.length; a++) {
            int last = d.size() - 1;
            if (last >= 0 && s.get(last).equals(strides[a].times(dims[a]))) {
                d.set(last, d.get(last) * dims[a]);
                s.set(last, strides[a]);
            } else {
                d.add(dims[a]);
                s.add(strides[a]);
            }
        }
        return new Object[] {d.stream().mapToInt(Integer::intValue).toArray(), s.toArray(new Tokens.Stride[0])};
    }

    @Override
    public List<String> reads() {
        return List.of(source);
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        if (source.equals(from)) {
            source = to;
        }
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    @Override
    public void emit(Emitter e) {
        TensorView in = e.view(source);
        TensorView out = e.view(output);
        int[] od = outDims;
        long[] os = Tokens.at(outStrides, out.cs());
        long[] is = Tokens.at(inStrides, in.cs());
        if (od.length > MAX_RANK || inDims.length > MAX_RANK) {
            throw new IllegalStateException(node + ": a move of rank above " + MAX_RANK + " reached emission");
        }
        long count = 1;
        for (int d : outDims) {
            count *= d;
        }
        KernelArgs a = new KernelArgs().ptr(in.at(inOffset.at(in.cs()), e.type()))
                .ptr(out.at(outOffset.at(out.cs()), e.type())).i64(count);
        pad(a, od);
        pad(a, os);
        pad(a, inDims);
        pad(a, is);
        a.i32(Math.max(od.length, 1)).i32(Math.max(inDims.length, 1));
        e.launch(this, "move", "move_" + e.type().suffix(), LaunchGeometry.linear(count, 256), a.finish(PARAMS_BYTES));
    }

    private static void pad(KernelArgs a, int[] v) {
        for (int i = 0; i < MAX_RANK; i++) {
            a.i64(i < v.length ? v[i] : (v.length == 0 && i == 0 ? 1 : 1));
        }
    }

    private static void pad(KernelArgs a, long[] v) {
        for (int i = 0; i < MAX_RANK; i++) {
            a.i64(i < v.length ? v[i] : 0);
        }
    }

    /** Dims without the size-1 axes (which move nothing), so that ranks up to 6 suffice more often. */
    static int[] compact(int[] d) {
        return Arrays.stream(d).filter(x -> x != 1).toArray();
    }

    static Tokens.Stride[] compact(int[] d, Tokens.Stride[] s) {
        Tokens.Stride[] r = new Tokens.Stride[compact(d).length];
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 1) {
                r[k++] = s[i];
            }
        }
        return r;
    }

    @Override
    public String describe() {
        return "Move " + node + " " + source + Arrays.toString(inDims) + " -> " + output + Arrays.toString(outDims);
    }
}
