// Table-driven separable resize; see resize.cuh.
#include "resize.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void resize(const ResizeParams& p) {
    const i64 idx = global_index();
    if (idx >= (i64)p.N * p.OH * p.OW * p.C) return;
    const int c = (int)(idx % p.C);
    int pix = (int)(idx / p.C);
    const int ox = pix % p.OW;
    pix /= p.OW;
    const int oy = pix % p.OH;
    const int n = pix / p.OH;
    const T* in = (const T*)p.in;
    float acc = 0.f;
    for (int i = 0; i < p.taps_y; i++) {
        const float wy = p.wy[oy * p.taps_y + i];
        const i64 row = (i64)(n * p.H + p.iy[oy * p.taps_y + i]) * p.W;
        float racc = 0.f;
        for (int j = 0; j < p.taps_x; j++) {
            racc += p.wx[ox * p.taps_x + j] * load_f(in, (row + p.ix[ox * p.taps_x + j]) * p.in_cs + c);
        }
        acc += wy * racc;
    }
    store_f((T*)p.out, ((i64)(n * p.OH + oy) * p.OW + ox) * p.out_cs + c, acc);
}

}  // namespace

#define SRENGINE_RESIZE(T) \
    extern "C" __global__ void __launch_bounds__(256) resize_##T(const ResizeParams p) { resize<T>(p); }

SRENGINE_RESIZE(f32)
SRENGINE_RESIZE(f16)
SRENGINE_RESIZE(bf16)
