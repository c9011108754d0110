// DepthToSpace on NHWC views: out[n][h*r + i][w*r + j][c] = in[n][h][w][k] with
// k = (c*r + i)*r + j in CRD order (PyTorch's PixelShuffle) or k = (i*r + j)*C' + c in DCR order
// (ONNX's default), C' = C / (r*r).
//
//   depth_to_space_{f32,f16,bf16}
//
// Launch: block 256, grid ceil(N*H*r*W*r*C' / 256), one output element per thread. (Most of the
// time the engine fuses this into the producing convolution's epilogue instead.)
#pragma once
#include "common.cuh"

// Layout (48 bytes): 2 pointers, 8 ints.
struct DepthToSpaceParams {
    const void* in;
    void* out;
    int N, H, W, C;  // input shape (C = C' * r * r)
    int in_cs, out_cs;
    int r;
    int dcr;         // 1: DCR, 0: CRD
};
static_assert(sizeof(DepthToSpaceParams) == 48, "DepthToSpaceParams layout is shared with the Java side");
