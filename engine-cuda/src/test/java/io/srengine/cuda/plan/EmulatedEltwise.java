package io.srengine.cuda.plan;

/** elementwise.cuh for {@link KernelEmulator}. */
final class EmulatedEltwise {
    private final KernelEmulator mem;
    private final DeviceType type;

    EmulatedEltwise(KernelEmulator mem, DeviceType type) {
        this.mem = mem;
        this.type = type;
    }

    void run(KernelEmulator.Fields p) {
        long a = p.ptr(), b = p.ptr(), out = p.ptr();
        long[] sa = new long[4], sb = new long[4], so = new long[4];
        for (long[] s : new long[][] {sa, sb, so}) {
            for (int i = 0; i < 4; i++) {
                s[i] = p.ptr();
            }
        }
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), op = p.i();
        float alpha = p.f(), beta = p.f();
        for (int bn = 0; bn < n; bn++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        float va = mem.load(type, a, bn * sa[0] + y * sa[1] + x * sa[2] + ch * sa[3]);
                        float vb = b == 0 ? 0f : mem.load(type, b, bn * sb[0] + y * sb[1] + x * sb[2] + ch * sb[3]);
                        mem.store(type, out, bn * so[0] + y * so[1] + x * so[2] + ch * so[3], apply(op, va, vb, alpha, beta));
                    }
                }
            }
        }
    }

    static float apply(int op, float a, float b, float alpha, float beta) {
        return switch (op) {
            case 0 -> a;
            case 1 -> a + b;
            case 2 -> a - b;
            case 3 -> a * b;
            case 4 -> a / b;
            case 5 -> Math.max(a, b);
            case 6 -> Math.min(a, b);
            case 7 -> (float) Math.pow(a, b);
            case 8 -> a >= 0 ? a : a * b;
            case 9 -> Math.max(a, 0f);
            case 10 -> a >= 0 ? a : a * alpha;
            case 11 -> io.srengine.ops.FusedActivation.sigmoid(a);
            case 12 -> (float) Math.tanh(a);
            case 13 -> Math.min(Math.max(a, alpha), beta);
            case 14 -> -a;
            case 15 -> Math.abs(a);
            case 16 -> (float) Math.sqrt(a);
            case 17 -> (float) Math.exp(a);
            case 18 -> a * alpha + beta;
            case 19 -> (float) Math.floor(a);
            case 20 -> (float) Math.ceil(a);
            case 21 -> 1f / a;
            case 22 -> Math.fma(a, alpha, b);
            case 23 -> (float) io.srengine.reference.ReferenceMath.erf(a);
            case 24 -> (float) io.srengine.reference.ReferenceMath.gelu(a);
            case 25 -> (float) io.srengine.reference.ReferenceMath.geluTanh(a);
            default -> throw new AssertionError("elementwise op " + op);
        };
    }
}
