// Tiled batched matrix product; see matmul.cuh.
#include "matmul.cuh"

namespace {

constexpr int TILE = 16;

template <typename T>
__device__ __forceinline__ void matmul(const MatMulParams& p) {
    // A warp reads two broadcast values of sa and 16 consecutive ones of sb per step: no conflicts.
    __shared__ float sa[TILE][TILE];
    __shared__ float sb[TILE][TILE];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int i = blockIdx.y * TILE + ty;  // row of c this thread computes
    const int j = blockIdx.x * TILE + tx;  // column of c
    const int b0 = blockIdx.z / p.B1, b1 = blockIdx.z % p.B1;
    const T* a = (const T*)p.a + b0 * p.a_strides[0] + b1 * p.a_strides[1];
    const T* b = (const T*)p.b + b0 * p.b_strides[0] + b1 * p.b_strides[1];
    float acc = 0.f;
    for (int k0 = 0; k0 < p.K; k0 += TILE) {
        // Tiles past the edges read as zeros, which add nothing to the sums.
        const int ak = k0 + tx, bk = k0 + ty;
        sa[ty][tx] = (i < p.M && ak < p.K) ? load_f(a, i * p.a_strides[2] + ak * p.a_strides[3]) : 0.f;
        sb[ty][tx] = (bk < p.K && j < p.N) ? load_f(b, bk * p.b_strides[2] + j * p.b_strides[3]) : 0.f;
        __syncthreads();
        // Past K both tiles hold zeros: fmaf(0, 0, acc) == acc, so the full tile is summed.
#pragma unroll
        for (int kk = 0; kk < TILE; kk++) acc = fmaf(sa[ty][kk], sb[kk][tx], acc);
        __syncthreads();
    }
    if (i < p.M && j < p.N) {
        store_f((T*)p.c, b0 * p.c_strides[0] + b1 * p.c_strides[1] + i * p.c_strides[2] + j * p.c_strides[3], acc);
    }
}

}  // namespace

#define SRENGINE_MATMUL(T)                                                                         \
    extern "C" __global__ void __launch_bounds__(256) matmul_##T(const MatMulParams p) {        \
        matmul<T>(p);                                                                              \
    }

SRENGINE_MATMUL(f32)
SRENGINE_MATMUL(f16)
SRENGINE_MATMUL(bf16)
