// Resize of the spatial axes of NHWC views by separable interpolation tables. The host computes,
// for every output row and column, the source indices and weights of its taps under the node's
// ONNX attributes (coordinate transformation, nearest rounding, cubic coefficient,
// exclude_outside), so this one kernel serves nearest (1 tap), linear (2) and cubic (4):
//   out[n][oy][ox][c] = sum_i wy[oy][i] * sum_j wx[ox][j] * in[n][iy[oy][i]][ix[ox][j]][c]
//
//   resize_{f32,f16,bf16}
//
// Launch: block 256, grid ceil(N*OH*OW*C / 256), one output element per thread.
#pragma once
#include "common.cuh"

// Layout (88 bytes): 6 pointers, 10 ints.
struct ResizeParams {
    const void* in;
    void* out;
    const int* iy;     // [OH][taps_y] source rows, all within [0, H)
    const float* wy;   // [OH][taps_y] weights
    const int* ix;     // [OW][taps_x] source columns, within [0, W)
    const float* wx;   // [OW][taps_x]
    int N, H, W, C;
    int in_cs;
    int OH, OW;
    int out_cs;
    int taps_y, taps_x;
};
static_assert(sizeof(ResizeParams) == 88, "ResizeParams layout is shared with the Java side");
