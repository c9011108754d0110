// Window pooling; see pool.cuh.
#include "pool.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void pool(const PoolParams& p) {
    const i64 idx = global_index();
    if (idx >= (i64)p.N * p.OH * p.OW * p.C) return;
    const int c = (int)(idx % p.C);
    int pix = (int)(idx / p.C);
    const int ox = pix % p.OW;
    pix /= p.OW;
    const int oy = pix % p.OH;
    const int n = pix / p.OH;
    const T* in = (const T*)p.in;
    float best = -__int_as_float(0x7f800000);
    float sum = 0.f;
    int inside = 0, padded = 0;
    for (int i = 0; i < p.kh; i++) {
        const int y = oy * p.sh - p.ph + i * p.dh;
        const bool yin = y >= 0 && y < p.H;
        const bool ypad = y >= -p.ph && y < p.H + p.peh;
        for (int j = 0; j < p.kw; j++) {
            const int x = ox * p.sw - p.pw + j * p.dw;
            if (ypad && x >= -p.pw && x < p.W + p.pew) padded++;
            if (yin && x >= 0 && x < p.W) {
                const float v = load_f(in, ((i64)(n * p.H + y) * p.W + x) * p.in_cs + c);
                best = fmaxf(best, v);
                sum += v;
                inside++;
            }
        }
    }
    float r;
    if (p.is_max) {
        r = best;
    } else {
        const int count = p.count_include_pad ? padded : inside;
        r = count > 0 ? sum / (float)count : 0.f;
    }
    store_f((T*)p.out, ((i64)(n * p.OH + oy) * p.OW + ox) * p.out_cs + c, r);
}

}  // namespace

#define SRENGINE_POOL(T) \
    extern "C" __global__ void __launch_bounds__(256) pool_##T(const PoolParams p) { pool<T>(p); }

SRENGINE_POOL(f32)
SRENGINE_POOL(f16)
SRENGINE_POOL(bf16)
