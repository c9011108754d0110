// Layer normalisation over the last axis, optionally of a residual sum (srengine's internal
// AddLayerNormalization; ONNX LayerNormalization with axis -1):
//
//   layer_norm_{f32,f16,bf16}   for each row r < rows:
//       s[j]   = b ? T(a[r][j] + b[r][j]) : a[r][j]          (the sum rounded to T, as stored)
//       mean   = sum_j s[j] / C
//       var    = sum_j (s[j] - mean)^2 / C                   (biased; two passes, fp32)
//       out[r][j]     = (s[j] - mean) / sqrt(var + eps) * scale[j] + (bias ? bias[j] : 0)
//       sum_out[r][j] = s[j]                                 (when sum_out is set)
//   for j < C; columns [C, c_store) of out (and sum_out) are written as zeros.
//
// Rows are addressed by row strides (a_cs, b_cs, sum_cs, out_cs, in elements), so the operands
// may be views into wider buffers. sum_out and out may each be the same buffer as a or b (with the
// same stride): every element is read before it is overwritten, by the thread that overwrites it,
// and the later passes read the sum back from sum_out.
//
// Launch: block 256 (8 warps), grid ceil(rows / 8); one warp per row, lanes stride the columns,
// reductions by warp shuffles.
#pragma once
#include "common.cuh"

// Layout (80 bytes): 6 pointers, 7 ints, 1 float.
struct LayerNormParams {
    const void* a;
    const void* b;       // null: normalise a itself; else normalise s = a + b
    const float* scale;  // C floats
    const float* bias;   // C floats or null
    void* sum_out;       // null, or where s is stored (type T)
    void* out;
    int rows, C;
    int c_store;         // out (and sum_out) columns [C, c_store) are written as zeros
    int a_cs, b_cs, sum_cs, out_cs;
    float eps;
};
static_assert(sizeof(LayerNormParams) == 80, "LayerNormParams layout is shared with the Java side");
