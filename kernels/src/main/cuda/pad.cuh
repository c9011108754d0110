// Pad of the spatial axes of NHWC views (ONNX Pad with pads on H and W only; negative pads crop).
//
//   pad_{f32,f16,bf16}
//
// Modes: 0 constant (value), 1 reflect (mirror without repeating the edge), 2 edge (repeat the
// edge), 3 wrap (periodic). Launch: block 256, grid ceil(N*OH*OW*C / 256).
#pragma once
#include "common.cuh"

// Layout (64 bytes): 2 pointers, 11 ints, 1 float.
struct PadParams {
    const void* in;
    void* out;
    int N, H, W, C;
    int in_cs;
    int OH, OW;
    int out_cs;
    int top, left;  // begin pads (the end pads follow from OH, OW)
    int mode;
    float value;
};
static_assert(sizeof(PadParams) == 64, "PadParams layout is shared with the Java side");
