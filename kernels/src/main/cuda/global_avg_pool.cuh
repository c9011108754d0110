// GlobalAveragePool of an NHWC view: out[n][c] = mean over pixels of in[n][p][c], computed in two
// deterministic passes so that a large image keeps every SM busy:
//
//   gap_partial_{f32,f16,bf16}  partial[n][s][c] = sum of in[n][p][c] over the pixels p of split s
//                               (pixels s, s + splits, ... in steps of 8 rows of the block).
//                               block (32, 8), grid (ceil(C/32), N, splits).
//   gap_finish_{f32,f16,bf16}   out[n*out_cs + c] = sum_s partial[n][s][c] / HW.
//                               block 256, grid ceil(N*C / 256).
//
// partial is float32 scratch of N*splits*C elements.
#pragma once
#include "common.cuh"

// Layout (48 bytes): 3 pointers, 6 ints.
struct GapParams {
    const void* in;
    void* out;
    float* partial;
    int N, HW, C;
    int in_cs, out_cs;
    int splits;
};
static_assert(sizeof(GapParams) == 48, "GapParams layout is shared with the Java side");
