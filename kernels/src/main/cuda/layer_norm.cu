// Warp-per-row layer normalisation; see layer_norm.cuh.
#include "layer_norm.cuh"

namespace {

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// Element j of row r of the (rounded) sum, after pass one stored it.
template <typename T>
__device__ __forceinline__ float ln_value(const LayerNormParams& p, int r, int j) {
    if (p.sum_out) return load_f((const T*)p.sum_out, (i64)r * p.sum_cs + j);
    const float a = load_f((const T*)p.a, (i64)r * p.a_cs + j);
    if (!p.b) return a;
    return to_float(from_float<T>(a + load_f((const T*)p.b, (i64)r * p.b_cs + j)));
}

template <typename T>
__device__ __forceinline__ void layer_norm(const LayerNormParams& p) {
    const int r = blockIdx.x * 8 + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (r >= p.rows) return;  // whole warps leave together, so the shuffles below see all 32 lanes
    float sum = 0.f;
    for (int j = lane; j < p.C; j += 32) {
        float s = load_f((const T*)p.a, (i64)r * p.a_cs + j);
        if (p.b) s = to_float(from_float<T>(s + load_f((const T*)p.b, (i64)r * p.b_cs + j)));
        if (p.sum_out) store_f((T*)p.sum_out, (i64)r * p.sum_cs + j, s);
        sum += s;
    }
    const float mean = warp_sum(sum) / (float)p.C;
    float sq = 0.f;
    for (int j = lane; j < p.C; j += 32) {
        const float d = ln_value<T>(p, r, j) - mean;
        sq += d * d;
    }
    const float inv = 1.f / sqrtf(warp_sum(sq) / (float)p.C + p.eps);
    for (int j = lane; j < p.C; j += 32) {
        const float y = (ln_value<T>(p, r, j) - mean) * inv * p.scale[j] + (p.bias ? p.bias[j] : 0.f);
        store_f((T*)p.out, (i64)r * p.out_cs + j, y);
    }
    for (int j = p.C + lane; j < p.c_store; j += 32) {
        store_f((T*)p.out, (i64)r * p.out_cs + j, 0.f);
        if (p.sum_out) store_f((T*)p.sum_out, (i64)r * p.sum_cs + j, 0.f);
    }
}

}  // namespace

#define SRENGINE_LAYER_NORM(T)                                                                          \
    extern "C" __global__ void __launch_bounds__(256) layer_norm_##T(const LayerNormParams p) {      \
        layer_norm<T>(p);                                                                               \
    }

SRENGINE_LAYER_NORM(f32)
SRENGINE_LAYER_NORM(f16)
SRENGINE_LAYER_NORM(bf16)
