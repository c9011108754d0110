package io.srengine.cuda.plan;

/** resize, depth_to_space, pool, pad, reduce_mean and global_avg_pool kernels for {@link KernelEmulator}. */
final class EmulatedSpatial {
    private final KernelEmulator mem;
    private final DeviceType t;

    EmulatedSpatial(KernelEmulator mem, DeviceType type) {
        this.mem = mem;
        this.t = type;
    }

    void run(String fn, KernelEmulator.Fields p) {
        if (fn.startsWith("resize_")) {
            resize(p);
        } else if (fn.startsWith("depth_to_space_")) {
            depthToSpace(p);
        } else if (fn.startsWith("pool_")) {
            pool(p);
        } else if (fn.startsWith("pad_")) {
            pad(p);
        } else if (fn.startsWith("reduce_mean_")) {
            reduceMean(p);
        } else if (fn.startsWith("gap_partial_")) {
            gap(p, true);
        } else if (fn.startsWith("gap_finish_")) {
            gap(p, false);
        } else {
            throw new AssertionError("no emulation of kernel " + fn);
        }
    }

    private void resize(KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr(), iy = p.ptr(), wy = p.ptr(), ix = p.ptr(), wx = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), oh = p.i(), ow = p.i(), outCs = p.i();
        int ty = p.i(), tx = p.i();
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        float acc = 0;
                        for (int i = 0; i < ty; i++) {
                            int row = mem.i32(iy + 4L * (y * ty + i));
                            float racc = 0;
                            for (int j = 0; j < tx; j++) {
                                int col = mem.i32(ix + 4L * (x * tx + j));
                                racc += mem.f32(wx + 4L * (x * tx + j)) * mem.load(t, in, ((long) (b * h + row) * w + col) * inCs + ch);
                            }
                            acc += mem.f32(wy + 4L * (y * ty + i)) * racc;
                        }
                        mem.store(t, out, ((long) (b * oh + y) * ow + x) * outCs + ch, acc);
                    }
                }
            }
        }
    }

    private void depthToSpace(KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), outCs = p.i(), r = p.i(), dcr = p.i();
        int co = c / (r * r);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h * r; y++) {
                for (int x = 0; x < w * r; x++) {
                    for (int ch = 0; ch < co; ch++) {
                        int i = y % r, j = x % r;
                        int k = dcr != 0 ? (i * r + j) * co + ch : (ch * r + i) * r + j;
                        float v = mem.load(t, in, ((long) (b * h + y / r) * w + x / r) * inCs + k);
                        mem.store(t, out, ((long) (b * h * r + y) * w * r + x) * outCs + ch, v);
                    }
                }
            }
        }
    }

    private void pool(KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), oh = p.i(), ow = p.i(), outCs = p.i();
        int kh = p.i(), kw = p.i(), sh = p.i(), sw = p.i(), ph = p.i(), pw = p.i(), peh = p.i(), pew = p.i();
        int dh = p.i(), dw = p.i(), isMax = p.i(), countPad = p.i();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        float best = Float.NEGATIVE_INFINITY;
                        float sum = 0;
                        int inside = 0, padded = 0;
                        for (int i = 0; i < kh; i++) {
                            int y = oy * sh - ph + i * dh;
                            for (int j = 0; j < kw; j++) {
                                int x = ox * sw - pw + j * dw;
                                if (y >= -ph && y < h + peh && x >= -pw && x < w + pew) {
                                    padded++;
                                }
                                if (y >= 0 && y < h && x >= 0 && x < w) {
                                    float v = mem.load(t, in, ((long) (b * h + y) * w + x) * inCs + ch);
                                    best = Math.max(best, v);
                                    sum += v;
                                    inside++;
                                }
                            }
                        }
                        int count = countPad != 0 ? padded : inside;
                        float r = isMax != 0 ? best : count > 0 ? sum / count : 0f;
                        mem.store(t, out, ((long) (b * oh + oy) * ow + ox) * outCs + ch, r);
                    }
                }
            }
        }
    }

    private void pad(KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr(), iy = p.ptr(), ix = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), oh = p.i(), ow = p.i(), outCs = p.i();
        float value = p.f();
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int sy = mem.i32(iy + 4L * y), sx = mem.i32(ix + 4L * x);
                    for (int ch = 0; ch < c; ch++) {
                        float v = sy < 0 || sx < 0 ? value : mem.load(t, in, ((long) (b * h + sy) * w + sx) * inCs + ch);
                        mem.store(t, out, ((long) (b * oh + y) * ow + x) * outCs + ch, v);
                    }
                }
            }
        }
    }

    private void reduceMean(KernelEmulator.Fields p) {
        long in = p.ptr(), out = p.ptr();
        int n = p.i(), h = p.i(), w = p.i(), c = p.i(), inCs = p.i(), outCs = p.i();
        int rn = p.i(), rh = p.i(), rw = p.i(), rc = p.i();
        int on = rn != 0 ? 1 : n, oh = rh != 0 ? 1 : h, ow = rw != 0 ? 1 : w, oc = rc != 0 ? 1 : c;
        for (int b = 0; b < on; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int ch = 0; ch < oc; ch++) {
                        double sum = 0;
                        int count = 0;
                        for (int b2 = rn != 0 ? 0 : b; b2 < (rn != 0 ? n : b + 1); b2++) {
                            for (int y2 = rh != 0 ? 0 : y; y2 < (rh != 0 ? h : y + 1); y2++) {
                                for (int x2 = rw != 0 ? 0 : x; x2 < (rw != 0 ? w : x + 1); x2++) {
                                    for (int c2 = rc != 0 ? 0 : ch; c2 < (rc != 0 ? c : ch + 1); c2++) {
                                        sum += mem.load(t, in, ((long) (b2 * h + y2) * w + x2) * inCs + c2);
                                        count++;
                                    }
                                }
                            }
                        }
                        mem.store(t, out, ((long) (b * oh + y) * ow + x) * outCs + ch, (float) (sum / count));
                    }
                }
            }
        }
    }

    private void gap(KernelEmulator.Fields p, boolean partial) {
        long in = p.ptr(), out = p.ptr(), scratch = p.ptr();
        int n = p.i(), hw = p.i(), c = p.i(), inCs = p.i(), outCs = p.i(), splits = p.i();
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                if (partial) {
                    for (int s = 0; s < splits; s++) {
                        float sum = 0;
                        for (int px = s * 8; px < hw; px += splits * 8) {
                            for (int row = 0; row < 8 && px + row < hw; row++) {
                                sum += mem.load(t, in, (long) (b * hw + px + row) * inCs + ch);
                            }
                        }
                        mem.putF32(scratch + 4 * (((long) b * splits + s) * c + ch), sum);
                    }
                } else {
                    float sum = 0;
                    for (int s = 0; s < splits; s++) {
                        sum += mem.f32(scratch + 4 * (((long) b * splits + s) * c + ch));
                    }
                    mem.store(t, out, (long) b * outCs + ch, sum / hw);
                }
            }
        }
    }
}
