// MaxPool and AveragePool on NHWC views, any kernel, strides, pads, dilations and ceil mode (the
// host computes OH and OW).
//
//   pool_{f32,f16,bf16}
//
// Average divisor: the count of taps inside the input when count_include_pad is 0, otherwise the
// count of taps inside the padded input [-pad_begin, size + pad_end) (ONNX semantics, which also
// leave out positions that ceil mode adds past the end padding). A window with no tap inside the
// input yields -inf for max (as ONNX's reference does) and 0 for average.
//
// Launch: block 256, grid ceil(N*OH*OW*C / 256), one output element per thread.
#pragma once
#include "common.cuh"

// Layout (96 bytes): 2 pointers, 20 ints.
struct PoolParams {
    const void* in;
    void* out;
    int N, H, W, C;
    int in_cs;
    int OH, OW;
    int out_cs;
    int kh, kw;
    int sh, sw;
    int ph, pw;        // begin pads
    int peh, pew;      // end pads
    int dh, dw;
    int is_max;
    int count_include_pad;
};
static_assert(sizeof(PoolParams) == 96, "PoolParams layout is shared with the Java side");
