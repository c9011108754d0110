// Softmax or log-softmax along strided rows: any axis of a tensor of rank up to 4, and the
// standalone Softmax of attention that was not fused.
//
//   softmax_{f32,f16,bf16}   for each row r < rows and j < C, with x[j] = in[in_base(r) + j*in.step]:
//       out[out_base(r) + j*out.step] = exp(x[j] - max) / sum_k exp(x[k] - max)        (log = 0)
//                                     = (x[j] - max) - log(sum_k exp(x[k] - max))     (log = 1)
//
// where base(r) decodes r row-major over dims[0..3) and sums coordinate * stride (so one launch
// covers the outer and inner axes around the softmax axis). Arithmetic in fp32, max-subtracted.
// out may be the same view as in (in place).
//
// Launch: block 256 (8 warps), grid ceil(rows / 8); one warp per row, lanes stride the row.
#pragma once
#include "common.cuh"

// A set of rows: row r sits at sum_d coord_d(r) * strides[d], coord being r decoded row-major over
// dims; its element j at that base + j * step. Layout (56 bytes): 7 int64s.
struct RowSpec {
    i64 dims[3];
    i64 strides[3];
    i64 step;
};
static_assert(sizeof(RowSpec) == 56, "RowSpec layout is shared with the Java side");

// Layout (144 bytes): 2 pointers, 2 RowSpecs, 4 ints.
struct SoftmaxParams {
    const void* in;
    void* out;
    RowSpec in_rows;
    RowSpec out_rows;
    int rows, C;   // rows = dims[0]*dims[1]*dims[2] (the same for in_rows and out_rows); C = elements per row
    int log;       // 1: log-softmax
    int unused;
};
static_assert(sizeof(SoftmaxParams) == 144, "SoftmaxParams layout is shared with the Java side");
