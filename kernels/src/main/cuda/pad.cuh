// Pad of the spatial axes of NHWC views (ONNX Pad with pads on H and W only). The host computes,
// per output row and column, the input row/column it reads or -1 for the constant (PadOp's rules:
// negative pads crop first, then constant / reflect / edge / wrap apply to what is left), so this
// kernel is a gather:
//   out[n][oy][ox][c] = (iy[oy] < 0 || ix[ox] < 0) ? value : in[n][iy[oy]][ix[ox]][c]
//
//   pad_{f32,f16,bf16}
//
// Launch: block 256, grid ceil(N*OH*OW*C / 256).
#pragma once
#include "common.cuh"

// Layout (72 bytes): 4 pointers, 8 ints, 1 float, 4 bytes of padding.
struct PadParams {
    const void* in;
    void* out;
    const int* iy;  // [OH]
    const int* ix;  // [OW]
    int N, H, W, C;
    int in_cs;
    int OH, OW;
    int out_cs;
    float value;
};
static_assert(sizeof(PadParams) == 72, "PadParams layout is shared with the Java side");
