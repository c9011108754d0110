// Fused window attention (srengine's internal Attention op): for each window b < batch and head
// h < heads, softmax(scale * q kᵀ + bias[h] + masks[mask_of[b]]) v over the m keys of the window,
// without writing the n x m score matrix anywhere.
//
//   attention_{f32,f16,bf16}_{32,64,128}   (the suffix is DMAX, the largest head dimension the
//                                            variant holds in registers; max(d, dv) <= DMAX)
//
// Rows are gathered through index tables, so window partition, cyclic shift and head split cost no
// copy: query i of window b is row q_rows[b*n + i] of q, its head-h values the d elements from
// column q_col + h*q_head (keys, values and the output likewise, keys and values indexed by
// b*m + j). A q, k or v row of -1 is a row of zeros (padding tokens); an out row of -1 is a query
// whose result nobody needs, which is skipped. For query i with out row o >= 0:
//
//   s[j] = scale * (q_i . k_j) + bias[(h*n + i)*m + j] + masks[(mask_of[b]*n + i)*m + j]
//   out[o*out_cs + out_col + h*out_head + t] = sum_j softmax(s)[j] * v_j[t]        t < dv
//
// bias is absent when null, masks when mask_of is null or mask_of[b] < 0. Arithmetic in fp32: the
// K and V rows of the window and head are staged in shared memory as floats, and each thread
// keeps its query and dv accumulators in registers, with a streaming (online) softmax over the keys.
// A query whose scores are all -inf comes out NaN, as a softmax over them does.
//
// Launch: grid (batch * heads), block 128 (any multiple of 32 up to 128: threads stride the
// queries), dynamic shared memory m * (d + dv) * 4 bytes (above 48 KiB the host raises the
// function's limit).
#pragma once
#include "common.cuh"

// Layout (168 bytes): 11 pointers, 20 ints, 1 float, 1 unused int.
struct AttentionParams {
    const void* q;
    const void* k;
    const void* v;
    const int* q_rows;    // batch*n entries, -1 = a row of zeros
    const int* k_rows;    // batch*m entries, -1 = a row of zeros
    const int* v_rows;    // batch*m entries, -1 = a row of zeros
    const int* out_rows;  // batch*n entries, -1 = not written
    const float* bias;    // [heads][n][m] or null
    const float* masks;   // [mask count][n][m] or null
    const int* mask_of;   // [batch] mask index per window (-1 = none), or null
    void* out;
    int batch, heads, n, m, d, dv;
    int q_cs, k_cs, v_cs, out_cs;          // row strides, in elements
    int q_col, k_col, v_col, out_col;      // first column of head 0
    int q_head, k_head, v_head, out_head;  // column step per head
    float scale;
    int unused;
};
static_assert(sizeof(AttentionParams) == 168, "AttentionParams layout is shared with the Java side");
