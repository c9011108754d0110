// Batched matrix product on CUDA cores, for the MatMuls of transformer graphs that are not folded
// into a Linear layer or the fused attention (e.g. the channel attention of DAT and OmniSR, whose
// operands are both activations):
//
//   matmul_{f32,f16,bf16}   c[b0][b1][i][j] = sum_k a[b0][b1][i][k] * b[b0][b1][k][j]
//
// for b0 < B0, b1 < B1, i < M, j < N, k < K. All three operands have element type T and arbitrary
// element strides in (batch0, batch1, row, column) order, so transposed operands (kᵀ) and
// broadcast batches (stride 0) need no copy. Products are accumulated in fp32 in increasing k,
// with fused multiply-adds. c must not overlap a or b.
//
// Launch: block (16, 16, 1), grid (ceil(N / 16), ceil(M / 16), B0 * B1) (B0 * B1 <= 65535); each
// thread computes one element of c from 16x16 tiles of a and b staged in static shared memory.
#pragma once
#include "common.cuh"

// Layout (144 bytes): 3 pointers, 12 int64 strides, 6 ints.
struct MatMulParams {
    const void* a;
    const void* b;
    void* c;
    i64 a_strides[4];  // (batch0, batch1, row, column), in elements
    i64 b_strides[4];
    i64 c_strides[4];
    int B0, B1, M, N, K;
    int unused;
};
static_assert(sizeof(MatMulParams) == 144, "MatMulParams layout is shared with the Java side");
