// 2-D convolution on NHWC activations as an implicit GEMM: M = N*OH*OW output pixels, N = K output
// channels, reduction over R*S*C (the im2col matrix is never stored; tiles of it are gathered into
// shared memory as the reduction proceeds). The fused epilogue (common.cuh) applies bias,
// activation, scale, residual, DepthToSpace and slice / NCHW output.
//
// Entry points (each takes one Conv2dParams by value); every one writes the epilogue's pad channels
// [K, k_store) as zeros:
//
//   conv2d_tc_{f16,bf16}_{bm}x{bn}   tensor cores (mma.sync m16n8k16, ldmatrix, cp.async
//                                    pipeline), fp32 accumulation; a block computes bm output
//                                    pixels in row-major order x bn channels. Requirements, checked
//                                    on the host: groups == 1; C % 8 == 0; in_cs % 8 == 0; the
//                                    input pointer 16-byte aligned; weights packed [K][R][S][C] in
//                                    the element type. Channels C may include zero padding of the
//                                    input (a buffer whose channel stride is rounded up to a multiple
//                                    of 8, e.g. an RGB input stored with 8 channels, with the
//                                    weights of the pad channels zero); with C == 8 the reduction
//                                    packs four taps into each 32-wide step. bn is 16, 32 or 64.
//   conv2d_tch_{f16,bf16}_{bm}x{bn}  the same for stride-1 convolutions with R*S >= 4, on a 2-D
//                                    output tile of th x (bm/th) pixels of one image: the input
//                                    tile with its halo is loaded into shared memory once per 32
//                                    channels and every tap reads it there (ldmatrix gathers the
//                                    shifted pixel rows), instead of re-reading the input per tap.
//   conv2d_simt_{f32,f16,bf16}       CUDA cores, any groups / channel counts / alignment; weights
//                                    packed [K][R][S][C/groups] in the element type; fp32
//                                    accumulation. The fp32 path of the engine.
//
// Launch: conv2d_tc: grid (ceil(M/bm), ceil(K/bn)), block = 32 * (bm/wm) * (bn/wn) threads (see
// conv2d.cu for the warp tiles), dynamic shared memory = stages * (bm + bn) * 64 bytes (at least
// bm * (bn + 8) * 4 for the epilogue staging).
// conv2d_tch: grid (N * ceil(OH/th) * ceil(OW/(bm/th)), ceil(K/bn)), same block, dynamic shared
// memory = stages * bn * 64 + 2 * (th + (R-1)*dil_h) * (bm/th + (S-1)*dil_w) * 64 bytes (at least
// the epilogue's).
// conv2d_simt: grid (ceil(M/64), ceil(K/groups/64), groups), block 256, no dynamic shared memory.
#pragma once
#include "common.cuh"

// Layout (192 bytes): Epilogue, 2 pointers, 16 ints.
struct Conv2dParams {
    Epilogue ep;
    const void* in;      // NHWC input view (pointer at its channel offset)
    const void* weight;  // packed weights, see above
    int N, H, W, C;      // input batch, height, width, channels read
    int in_cs;           // input channel stride (elements per pixel)
    int OH, OW;          // conv output size (before any DepthToSpace)
    int R, S;            // kernel height and width
    int stride_h, stride_w;
    int pad_h, pad_w;    // top and left padding (bottom/right follow from OH, OW)
    int dil_h, dil_w;
    int groups;
};
static_assert(sizeof(Conv2dParams) == 192, "Conv2dParams layout is shared with the Java side");
