// Gather-form transposed convolution; see conv_transpose.cuh.
#include "conv_transpose.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void conv_transpose(const ConvTransposeParams& p) {
    const int K = p.ep.K;
    const i64 idx = global_index();
    if (idx >= (i64)p.N * p.OH * p.OW * K) return;
    const int k = (int)(idx % K);
    int pix = (int)(idx / K);
    const int ox = pix % p.OW;
    pix /= p.OW;
    const int oy = pix % p.OH;
    const int n = pix / p.OH;
    const int Cg = p.C / p.groups;
    const int Kg = K / p.groups;
    const int g = k / Kg;
    const int kg = k - g * Kg;
    const T* in = (const T*)p.in;
    const T* wt = (const T*)p.weight;
    float acc = 0.f;
    for (int r = 0; r < p.R; r++) {
        const int ty = oy + p.pad_h - r * p.dil_h;
        if (ty < 0 || ty % p.stride_h != 0) continue;
        const int iy = ty / p.stride_h;
        if (iy >= p.H) continue;
        for (int s = 0; s < p.S; s++) {
            const int tx = ox + p.pad_w - s * p.dil_w;
            if (tx < 0 || tx % p.stride_w != 0) continue;
            const int ix = tx / p.stride_w;
            if (ix >= p.W) continue;
            const i64 ib = ((i64)(n * p.H + iy) * p.W + ix) * p.in_cs + g * Cg;
            const i64 wb = (((i64)(g * p.R + r) * p.S + s) * Cg) * Kg + kg;
            for (int c = 0; c < Cg; c++) {
                acc = fmaf(load_f(in, ib + c), load_f(wt, wb + (i64)c * Kg), acc);
            }
        }
    }
    ep_store1<T>(p.ep, n, oy, ox, k, acc);
}

}  // namespace

#define SRENGINE_CONV_TRANSPOSE(T)                                                                            \
    extern "C" __global__ void __launch_bounds__(256) conv_transpose_##T(const ConvTransposeParams p) { \
        conv_transpose<T>(p);                                                                             \
    }

SRENGINE_CONV_TRANSPOSE(f32)
SRENGINE_CONV_TRANSPOSE(f16)
SRENGINE_CONV_TRANSPOSE(bf16)
