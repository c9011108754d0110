// Spatial padding; see pad.cuh.
#include "pad.cuh"

namespace {

// Maps a coordinate outside [0, n) back inside, or returns -1 for constant mode.
__device__ __forceinline__ int source(int i, int n, int mode) {
    if (i >= 0 && i < n) return i;
    switch (mode) {
        case 1: {  // reflect: period 2n-2 (n == 1 degenerates to the edge)
            if (n == 1) return 0;
            const int period = 2 * n - 2;
            int m = i % period;
            if (m < 0) m += period;
            return m < n ? m : period - m;
        }
        case 2:
            return i < 0 ? 0 : n - 1;
        case 3: {
            int m = i % n;
            return m < 0 ? m + n : m;
        }
        default:
            return -1;
    }
}

template <typename T>
__device__ __forceinline__ void pad(const PadParams& p) {
    const i64 idx = global_index();
    if (idx >= (i64)p.N * p.OH * p.OW * p.C) return;
    const int c = (int)(idx % p.C);
    int pix = (int)(idx / p.C);
    const int ox = pix % p.OW;
    pix /= p.OW;
    const int oy = pix % p.OH;
    const int n = pix / p.OH;
    const int y = source(oy - p.top, p.H, p.mode);
    const int x = source(ox - p.left, p.W, p.mode);
    const float v = (y < 0 || x < 0) ? p.value : load_f((const T*)p.in, ((i64)(n * p.H + y) * p.W + x) * p.in_cs + c);
    store_f((T*)p.out, ((i64)(n * p.OH + oy) * p.OW + ox) * p.out_cs + c, v);
}

}  // namespace

#define SRENGINE_PAD(T) \
    extern "C" __global__ void __launch_bounds__(256) pad_##T(const PadParams p) { pad<T>(p); }

SRENGINE_PAD(f32)
SRENGINE_PAD(f16)
SRENGINE_PAD(bf16)
