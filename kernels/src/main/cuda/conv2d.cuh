// 2-D convolution on NHWC activations as an implicit GEMM: M = N*OH*OW output pixels, N = K output
// channels, reduction over R*S*C (the im2col matrix is never stored; tiles of it are gathered into
// shared memory as the reduction proceeds). The fused epilogue (common.cuh) applies bias,
// activation, scale, residual, DepthToSpace and slice / NCHW output.
//
// Entry points (each takes one Conv2dParams by value):
//
//   conv2d_tc_{f16,bf16}_{bm}x{bn}   tensor cores (mma.sync m16n8k16, ldmatrix, cp.async
//                                    pipeline), fp32 accumulation. Requirements, checked on the
//                                    host: groups == 1; C % 8 == 0; in_cs % 8 == 0; the input
//                                    pointer 16-byte aligned; weights packed [K][R][S][C] in the
//                                    element type. Channels C may include zero padding of the
//                                    input (e.g. an RGB input stored with 8 channels).
//   conv2d_simt_{f32,f16,bf16}       CUDA cores, any groups / channel counts / alignment; weights
//                                    packed [K][R][S][C/groups] in the element type; fp32
//                                    accumulation. The fp32 path of the engine.
//
// Launch: conv2d_tc: grid (ceil(M/bm), ceil(K/bn)), block = 32 * (bm/wm) * (bn/wn) threads (see
// conv2d.cu for the warp tiles), dynamic shared memory = stages * (bm + bn) * 64 bytes (at least
// bm * (bn + 8) * 4 for the epilogue staging).
// conv2d_simt: grid (ceil(M/64), ceil(K/groups/64), groups), block 256, no dynamic shared memory.
#pragma once
#include "common.cuh"

// Layout (184 bytes): Epilogue, 2 pointers, 16 ints.
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
static_assert(sizeof(Conv2dParams) == 184, "Conv2dParams layout is shared with the Java side");
