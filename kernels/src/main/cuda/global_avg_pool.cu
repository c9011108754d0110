// Two-pass global average pool; see global_avg_pool.cuh.
#include "global_avg_pool.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void gap_partial(const GapParams& p) {
    __shared__ float red[8][33];
    const int c = blockIdx.x * 32 + threadIdx.x;
    const int n = blockIdx.y;
    const int s = blockIdx.z;
    const T* in = (const T*)p.in + (i64)n * p.HW * p.in_cs;
    float acc = 0.f;
    if (c < p.C) {
        // 32 threads along the channels read contiguous memory; the 8 rows stride over pixels.
        for (int px = s * 8 + threadIdx.y; px < p.HW; px += p.splits * 8) {
            acc += load_f(in, (i64)px * p.in_cs + c);
        }
    }
    red[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && c < p.C) {
        float sum = 0.f;
#pragma unroll
        for (int i = 0; i < 8; i++) sum += red[i][threadIdx.x];
        p.partial[((i64)n * p.splits + s) * p.C + c] = sum;
    }
}

template <typename T>
__device__ __forceinline__ void gap_finish(const GapParams& p) {
    const i64 idx = global_index();
    if (idx >= (i64)p.N * p.C) return;
    const int c = (int)(idx % p.C);
    const int n = (int)(idx / p.C);
    float sum = 0.f;
    for (int s = 0; s < p.splits; s++) sum += p.partial[((i64)n * p.splits + s) * p.C + c];
    store_f((T*)p.out, (i64)n * p.out_cs + c, sum / (float)p.HW);
}

}  // namespace

#define SRENGINE_GAP(T)                                                                                     \
    extern "C" __global__ void __launch_bounds__(256) gap_partial_##T(const GapParams p) { gap_partial<T>(p); } \
    extern "C" __global__ void __launch_bounds__(256) gap_finish_##T(const GapParams p) { gap_finish<T>(p); }

SRENGINE_GAP(f32)
SRENGINE_GAP(f16)
SRENGINE_GAP(bf16)
