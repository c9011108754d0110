// Table-driven spatial padding; see pad.cuh.
#include "pad.cuh"

namespace {

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
    const int y = p.iy[oy];
    const int x = p.ix[ox];
    const float v = (y < 0 || x < 0) ? p.value : load_f((const T*)p.in, ((i64)(n * p.H + y) * p.W + x) * p.in_cs + c);
    store_f((T*)p.out, ((i64)(n * p.OH + oy) * p.OW + ox) * p.out_cs + c, v);
}

}  // namespace

#define SRENGINE_PAD(T) \
    extern "C" __global__ void __launch_bounds__(256) pad_##T(const PadParams p) { pad<T>(p); }

SRENGINE_PAD(f32)
SRENGINE_PAD(f16)
SRENGINE_PAD(bf16)
