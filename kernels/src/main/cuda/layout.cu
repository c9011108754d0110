// NCHW <-> NHWC transposes through a 32x32 shared-memory tile, so that both the read and the write
// side are coalesced.
#include "layout.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void to_nhwc(const LayoutParams& p) {
    __shared__ float tile[32][33];  // +1 column: the transposed read hits 32 distinct banks
    const int HW = p.H * p.W;
    const int p0 = blockIdx.x * 32;
    const int c0 = blockIdx.y * 32;
    const int n = blockIdx.z;
    const float* in = (const float*)p.in + (i64)n * p.C * HW;
    for (int i = threadIdx.y; i < 32; i += 8) {
        const int c = c0 + i;
        const int px = p0 + threadIdx.x;
        tile[i][threadIdx.x] = (c < p.C && px < HW) ? in[(i64)c * HW + px] : 0.f;
    }
    __syncthreads();
    T* out = (T*)p.out + (i64)n * HW * p.cs;
    for (int i = threadIdx.y; i < 32; i += 8) {
        const int px = p0 + i;
        const int c = c0 + threadIdx.x;
        if (px < HW && c < p.c_pad) store_f(out, (i64)px * p.cs + c, tile[threadIdx.x][i]);
    }
}

template <typename T>
__device__ __forceinline__ void to_nchw(const LayoutParams& p) {
    __shared__ float tile[32][33];
    const int HW = p.H * p.W;
    const int p0 = blockIdx.x * 32;
    const int c0 = blockIdx.y * 32;
    const int n = blockIdx.z;
    const T* in = (const T*)p.in + (i64)n * HW * p.cs;
    for (int i = threadIdx.y; i < 32; i += 8) {
        const int px = p0 + i;
        const int c = c0 + threadIdx.x;
        tile[i][threadIdx.x] = (px < HW && c < p.C) ? load_f(in, (i64)px * p.cs + c) : 0.f;
    }
    __syncthreads();
    float* out = (float*)p.out + (i64)n * p.C * HW;
    for (int i = threadIdx.y; i < 32; i += 8) {
        const int c = c0 + i;
        const int px = p0 + threadIdx.x;
        if (c < p.C && px < HW) out[(i64)c * HW + px] = tile[threadIdx.x][i];
    }
}

}  // namespace

#define SRENGINE_LAYOUT(T)                                                                            \
    extern "C" __global__ void __launch_bounds__(256) nchw_f32_to_nhwc_##T(const LayoutParams p) { \
        to_nhwc<T>(p);                                                                                \
    }                                                                                                 \
    extern "C" __global__ void __launch_bounds__(256) nhwc_##T##_to_nchw_f32(const LayoutParams p) { \
        to_nchw<T>(p);                                                                                \
    }

SRENGINE_LAYOUT(f32)
SRENGINE_LAYOUT(f16)
SRENGINE_LAYOUT(bf16)
