// Layout and precision conversion between the host's NCHW float32 tensors and the device's NHWC
// activations (float32, fp16 or bf16).
//
//   nchw_f32_to_nhwc_{f32,f16,bf16}   out[n][p][c] = in[n][c][p] for c < C; channels C..c_pad-1 of
//                                     the output are written as zeros (so that an RGB input can be
//                                     read as 8 channels by the tensor-core convolution).
//   nhwc_{f32,f16,bf16}_to_nchw_f32   out[n][c][p] = in[n][p][c] for c < C.
//
// Launch: block (32, 8), grid (ceil(H*W/32), ceil(channels/32), N) where channels is c_pad for the
// first kind and C for the second; no dynamic shared memory.
#pragma once
#include "common.cuh"

// Layout (40 bytes): 2 pointers, 6 ints.
struct LayoutParams {
    const void* in;
    void* out;
    int N, C, H, W;
    int cs;     // NHWC channel stride (elements per pixel), >= c_pad
    int c_pad;  // NHWC channels written (>= C); ignored by the NHWC-to-NCHW direction
};
static_assert(sizeof(LayoutParams) == 40, "LayoutParams layout is shared with the Java side");
