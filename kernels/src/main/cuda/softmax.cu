// Warp-per-row softmax; see softmax.cuh.
#include "softmax.cuh"

namespace {

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ i64 row_base(const RowSpec& s, i64 r) {
    const i64 c2 = r % s.dims[2];
    r /= s.dims[2];
    const i64 c1 = r % s.dims[1];
    return (r / s.dims[1]) * s.strides[0] + c1 * s.strides[1] + c2 * s.strides[2];
}

template <typename T>
__device__ __forceinline__ void softmax(const SoftmaxParams& p) {
    const int r = blockIdx.x * 8 + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (r >= p.rows) return;  // whole warps leave together
    const T* in = (const T*)p.in;
    const i64 ib = row_base(p.in_rows, r), is = p.in_rows.step;
    const i64 ob = row_base(p.out_rows, r), os = p.out_rows.step;
    // -inf is max's identity; a row whose values are all -inf comes out NaN, as in PyTorch.
    float mx = -__int_as_float(0x7f800000);
    for (int j = lane; j < p.C; j += 32) mx = fmaxf(mx, load_f(in, ib + j * is));
    mx = warp_max(mx);
    float sum = 0.f;
    for (int j = lane; j < p.C; j += 32) sum += expf(load_f(in, ib + j * is) - mx);
    sum = warp_sum(sum);
    const float log_sum = logf(sum);
    for (int j = lane; j < p.C; j += 32) {
        const float d = load_f(in, ib + j * is) - mx;
        store_f((T*)p.out, ob + j * os, p.log ? d - log_sum : expf(d) / sum);
    }
}

}  // namespace

#define SRENGINE_SOFTMAX(T)                                                                          \
    extern "C" __global__ void __launch_bounds__(256) softmax_##T(const SoftmaxParams p) {        \
        softmax<T>(p);                                                                               \
    }

SRENGINE_SOFTMAX(f32)
SRENGINE_SOFTMAX(f16)
SRENGINE_SOFTMAX(bf16)
