// Transposed 2-D convolution (ONNX ConvTranspose) on NHWC views, as a gather: each output pixel
// sums the input pixels whose scattered kernel footprint covers it,
//   y[n][oy][ox][g*Kg + k] = sum over r, s, c with oy = iy*stride_h - pad_h + r*dil_h (same for x)
//                            of x[n][iy][ix][g*Cg + c] * w[g][r][s][c][k]
// followed by the shared convolution epilogue (common.cuh).
//
//   conv_transpose_{f32,f16,bf16}   weights packed [groups][R][S][C/groups][K/groups] in the element
//                                   type (output channel fastest: neighbouring threads read
//                                   neighbouring weights). Accumulates in fp32.
//
// Launch: block 256, grid ceil(N*OH*OW*K / 256); one output element per thread, channel fastest.
#pragma once
#include "common.cuh"

// Layout (192 bytes): same fields as Conv2dParams; OH and OW are the transposed conv's output
// size (including output_padding). The epilogue's k_store is ignored (no pad channels written).
struct ConvTransposeParams {
    Epilogue ep;
    const void* in;
    const void* weight;
    int N, H, W, C;
    int in_cs;
    int OH, OW;
    int R, S;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int dil_h, dil_w;
    int groups;
};
static_assert(sizeof(ConvTransposeParams) == 192, "ConvTransposeParams layout is shared with the Java side");
