package io.srengine.cuda.plan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs a compiled plan's launches on the CPU: device memory is a set of byte buffers at fake
 * addresses, and every kernel is re-implemented here from its header's contract, reading its
 * parameter struct field by field in the header's declared order. This checks the whole host side
 * (lowering, fusion, buffer layout, parameter packing) against the reference backend without a GPU;
 * only the CUDA code itself is left for the GPU tests.
 */
final class KernelEmulator implements PlanBuilder.Device {
    private static final long BASE = 1L << 36;

    private final TreeMap<Long, ByteBuffer> regions = new TreeMap<>();
    private final Map<String, Long> constants = new java.util.HashMap<>();
    private long next = BASE;
    private final int sms;
    private DeviceType type;

    KernelEmulator(int sms) {
        this.sms = sms;
    }

    private long map(long bytes) {
        long addr = next;
        regions.put(addr, ByteBuffer.allocate((int) Math.max(bytes, 1)).order(ByteOrder.LITTLE_ENDIAN));
        next += (bytes + 4095) / 4096 * 4096 + 4096;
        return addr;
    }

    @Override
    public long arena(long bytes) {
        long a = map(bytes);
        // Poison: unwritten values read back as NaN rather than zero, in every element type (0x7fc0
        // is a NaN in both 16-bit formats, 0x7fc07fc0 one in float32), so that a pad channel a
        // convolution reads without its producer having zeroed it turns the result into NaN.
        ByteBuffer b = regions.get(a);
        for (int i = 0; i + 4 <= b.capacity(); i += 4) {
            b.putInt(i, 0x7fc07fc0);
        }
        return a;
    }

    @Override
    public long constant(String key, Supplier<ByteBuffer> bytes) {
        return constants.computeIfAbsent(key, k -> {
            ByteBuffer data = bytes.get();
            long a = map(data.remaining());
            regions.get(a).put(data.duplicate());
            return a;
        });
    }

    @Override
    public int multiprocessors() {
        return sms;
    }

    // ---- memory ------------------------------------------------------------------------------------

    private ByteBuffer region(long addr, long[] offset) {
        Map.Entry<Long, ByteBuffer> e = regions.floorEntry(addr);
        if (e == null || addr - e.getKey() >= e.getValue().capacity()) {
            throw new AssertionError("access to unmapped address 0x" + Long.toHexString(addr));
        }
        offset[0] = addr - e.getKey();
        return e.getValue();
    }

    float f32(long addr) {
        long[] o = new long[1];
        return region(addr, o).getFloat((int) o[0]);
    }

    int i32(long addr) {
        long[] o = new long[1];
        return region(addr, o).getInt((int) o[0]);
    }

    void putF32(long addr, float v) {
        long[] o = new long[1];
        region(addr, o).putFloat((int) o[0], v);
    }

    /** Element i of type t at addr. */
    float load(DeviceType t, long addr, long i) {
        long a = addr + i * t.bytes();
        if (t == DeviceType.F32) {
            return f32(a);
        }
        long[] o = new long[1];
        short s = region(a, o).getShort((int) o[0]);
        return t == DeviceType.F16 ? Float.float16ToFloat(s) : io.srengine.Tensor.bfloat16ToFloat(s);
    }

    void store(DeviceType t, long addr, long i, float v) {
        long a = addr + i * t.bytes();
        if (t == DeviceType.F32) {
            putF32(a, v);
            return;
        }
        long[] o = new long[1];
        region(a, o).putShort((int) o[0], t.bits(v));
    }

    /** Writes a float array to device memory (host-to-device copy). */
    void write(long addr, float[] data) {
        for (int i = 0; i < data.length; i++) {
            putF32(addr + 4L * i, data[i]);
        }
    }

    float[] read(long addr, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = f32(addr + 4L * i);
        }
        return out;
    }

    // ---- kernels ------------------------------------------------------------------------------------

    /** Reads a parameter struct with C's alignment rules. */
    static final class Fields {
        private final ByteBuffer b;
        private int pos;

        Fields(ByteBuffer params) {
            b = params.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        long ptr() {
            pos = (pos + 7) & ~7;
            long v = b.getLong(pos);
            pos += 8;
            return v;
        }

        int i() {
            pos = (pos + 3) & ~3;
            int v = b.getInt(pos);
            pos += 4;
            return v;
        }

        float f() {
            pos = (pos + 3) & ~3;
            float v = b.getFloat(pos);
            pos += 4;
            return v;
        }
    }

    void run(PlanBuilder.Plan plan, DeviceType t) {
        this.type = t;
        for (PlanBuilder.LaunchSpec l : plan.launches()) {
            String fn = l.function();
            Fields p = new Fields(l.params());
            if (fn.startsWith("conv2d_")) {
                conv(p, false);
            } else if (fn.startsWith("conv_transpose_")) {
                conv(p, true);
            } else if (fn.startsWith("eltwise_")) {
                new EmulatedEltwise(this, t).run(p);
            } else if (fn.startsWith("nchw_f32_to_nhwc_")) {
                layout(p, true);
            } else if (fn.startsWith("nhwc_")) {
                layout(p, false);
            } else if (EmulatedTransformer.handles(fn)) {
                new EmulatedTransformer(this, t).run(fn, l.geometry(), p);
            } else {
                new EmulatedSpatial(this, t).run(fn, p);
            }
        }
    }

    private void layout(Fields p, boolean toNhwc) {
        long in = p.ptr(), out = p.ptr();
        int n = p.i(), c = p.i(), h = p.i(), w = p.i(), cs = p.i(), cPad = p.i();
        for (int b = 0; b < n; b++) {
            for (int px = 0; px < h * w; px++) {
                for (int ch = 0; ch < (toNhwc ? cPad : c); ch++) {
                    long nchw = ((long) b * c + ch) * h * w + px;
                    long nhwc = ((long) b * h * w + px) * cs + ch;
                    if (toNhwc) {
                        store(type, out, nhwc, ch < c ? f32(in + 4 * nchw) : 0f);
                    } else {
                        putF32(out + 4 * nchw, load(type, in, nhwc));
                    }
                }
            }
        }
    }

    /** Conv2dParams / ConvTransposeParams: Epilogue, in, weight, 16 ints. */
    private void conv(Fields p, boolean transposed) {
        EmulatedEpilogue ep = new EmulatedEpilogue(this, type, p);
        long in = p.ptr(), wt = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), oh = p.i(), ow = p.i(), r = p.i(), s = p.i();
        int sh = p.i(), sw = p.i(), ph = p.i(), pw = p.i(), dh = p.i(), dw = p.i(), groups = p.i();
        int k = ep.k;
        int cg = c / groups, kg = k / groups;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int o = 0; o < k; o++) {
                        int g = o / kg, og = o % kg;
                        double acc = 0;
                        for (int i = 0; i < r; i++) {
                            for (int j = 0; j < s; j++) {
                                int iy, ix;
                                if (transposed) {
                                    int ty = y + ph - i * dh, tx = x + pw - j * dw;
                                    if (ty < 0 || tx < 0 || ty % sh != 0 || tx % sw != 0) {
                                        continue;
                                    }
                                    iy = ty / sh;
                                    ix = tx / sw;
                                } else {
                                    iy = y * sh - ph + i * dh;
                                    ix = x * sw - pw + j * dw;
                                }
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                long base = ((long) (b * h + iy) * w + ix) * inCs + g * cg;
                                for (int ch = 0; ch < cg; ch++) {
                                    long widx = transposed ? (((long) (g * r + i) * s + j) * cg + ch) * kg + og
                                            : ((long) (o * r + i) * s + j) * cg + ch;
                                    acc += (double) load(type, in, base + ch) * load(type, wt, widx);
                                }
                            }
                        }
                        ep.store(b, y, x, o, (float) acc);
                    }
                    for (int o = k; o < ep.kStore && !transposed && groups == 1; o++) {
                        ep.zero(b, y, x, o);
                    }
                }
            }
        }
    }
}
