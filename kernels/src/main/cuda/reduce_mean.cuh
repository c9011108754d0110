// ReduceMean of an NHWC view over any subset of the axes N, H, W, C with kept dimensions. (The
// engine sends the spatial-only case, the common one, to global_avg_pool instead.)
//
//   reduce_mean_{f32,f16,bf16}   out has shape (rn ? 1 : N, rh ? 1 : H, rw ? 1 : W, rc ? 1 : C),
//                                NHWC with channel stride out_cs.
//
// Launch: block 256, grid ceil(outputs / 256); one output element per thread.
#pragma once
#include "common.cuh"

// Layout (56 bytes): 2 pointers, 10 ints.
struct ReduceMeanParams {
    const void* in;
    void* out;
    int N, H, W, C;
    int in_cs, out_cs;
    int rn, rh, rw, rc;  // 1 where the axis is reduced
};
static_assert(sizeof(ReduceMeanParams) == 56, "ReduceMeanParams layout is shared with the Java side");
