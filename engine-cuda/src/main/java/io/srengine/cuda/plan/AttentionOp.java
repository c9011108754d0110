package io.srengine.cuda.plan;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.LaunchGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal Attention (attention.cuh): per window and head, softmax(scale·q·kᵀ + bias + mask)·v
 * with the queries, keys and values read from the packed projections through row tables, and the
 * scores kept on chip. One block per window and head stages that window's keys and values in shared
 * memory.
 */
public final class AttentionOp extends PlanOp {
    /** Size of AttentionParams in attention.cuh. */
    public static final int PARAMS_BYTES = 168;
    /** Head dimensions the kernels are instantiated for. */
    static final int[] HEAD_DIMS = {32, 64, 128};

    /** The node's integer attributes, in AttentionParams' order from batch to out_head. */
    record Geometry(int batch, int heads, int n, int m, int d, int dv, int qCol, int kCol, int vCol, int outCol,
            int qHead, int kHead, int vHead, int outHead, float scale) {}

    /** A constant table: its graph name and contents (ints or floats). */
    record Table(String name, int[] ints, float[] floats) {}

    String q;
    String k;
    String v;
    final String output;
    final Geometry g;
    final Table qRows;
    final Table kRows;
    final Table vRows;
    final Table outRows;
    final Table bias;
    final Table masks;
    final Table maskOf;

    AttentionOp(String node, String q, String k, String v, String output, Geometry g, Table qRows, Table kRows,
            Table vRows, Table outRows, Table bias, Table masks, Table maskOf) {
        super(node);
        this.q = q;
        this.k = k;
        this.v = v;
        this.output = output;
        this.g = g;
        this.qRows = qRows;
        this.kRows = kRows;
        this.vRows = vRows;
        this.outRows = outRows;
        this.bias = bias;
        this.masks = masks;
        this.maskOf = maskOf;
    }

    /** The kernel's head-dimension bound for head sizes d and dv, or -1 when none fits. */
    static int headBound(int d, int dv) {
        for (int h : HEAD_DIMS) {
            if (Math.max(d, dv) <= h) {
                return h;
            }
        }
        return -1;
    }

    /** Threads per block: one per query up to 128 (a SwinIR window of 64 queries leaves none idle). */
    static int threads(int queries) {
        return Math.min(128, (queries + 31) / 32 * 32);
    }

    /** Shared memory a block needs: the window's keys and values as float. */
    static long sharedBytes(int m, int d, int dv) {
        return (long) m * (d + dv) * 4;
    }

    @Override
    public List<String> reads() {
        List<String> r = new ArrayList<>(List.of(q));
        if (!r.contains(k)) {
            r.add(k);
        }
        if (!r.contains(v)) {
            r.add(v);
        }
        return r;
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        q = q.equals(from) ? to : q;
        k = k.equals(from) ? to : k;
        v = v.equals(from) ? to : v;
    }

    @Override
    public boolean writesSlices() {
        return false;
    }

    private static long table(Emitter e, Table t) {
        if (t == null) {
            return 0;
        }
        return t.ints() != null ? e.constant(Tokens.key(t.name() + "|ints", t.ints()), () -> DeviceType.ints(t.ints()))
                : e.constant(Tokens.key(t.name() + "|f32", t.floats()), () -> DeviceType.floats(t.floats()));
    }

    @Override
    public void emit(Emitter e) {
        TensorView vq = e.view(q);
        TensorView vk = e.view(k);
        TensorView vv = e.view(v);
        TensorView vo = e.view(output);
        KernelArgs a = new KernelArgs().ptr(vq.address()).ptr(vk.address()).ptr(vv.address());
        a.ptr(table(e, qRows)).ptr(table(e, kRows)).ptr(table(e, vRows)).ptr(table(e, outRows));
        a.ptr(table(e, bias)).ptr(table(e, masks)).ptr(table(e, maskOf)).ptr(vo.address());
        a.i32(g.batch()).i32(g.heads()).i32(g.n()).i32(g.m()).i32(g.d()).i32(g.dv());
        a.i32(vq.cs()).i32(vk.cs()).i32(vv.cs()).i32(vo.cs());
        a.i32(g.qCol()).i32(g.kCol()).i32(g.vCol()).i32(g.outCol());
        a.i32(g.qHead()).i32(g.kHead()).i32(g.vHead()).i32(g.outHead());
        a.f32(g.scale()).i32(0);
        int bound = headBound(g.d(), g.dv());
        e.launch(this, "attention", "attention_" + e.type().suffix() + "_" + bound,
                LaunchGeometry.of(g.batch() * g.heads(), 1, 1, threads(g.n()), 1, 1, (int) sharedBytes(g.m(), g.d(), g.dv())),
                a.finish(PARAMS_BYTES));
    }

    @Override
    public String describe() {
        return "Attention " + node + " " + reads() + " -> " + output + " " + g.batch() + "x" + g.heads() + " n" + g.n()
                + " m" + g.m() + " d" + g.d();
    }
}
