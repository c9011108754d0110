// General strided copy: the Reshape and Transpose moves between layouts that no other kernel
// absorbs (token-major (B, HW, C) rows to NHWC views and back, head splits, window partitions
// that are not whole-row gathers).
//
//   move_{f32,f16,bf16}   for i in [0, count):
//                           out[sum_d co[d] * out_strides[d]] = in[sum_d ci[d] * in_strides[d]]
//                         where co is i decoded row-major over out_dims[0..rank_out) and ci is the
//                         same i decoded row-major over in_dims[0..rank_in); both dims multiply
//                         to count.
//
// Both sides have element type T; values are copied bit for bit. Strides are in elements and may
// be zero or in any order, so one launch is a reshape, a transpose or both. The output must not
// overlap the input.
//
// Launch: block 256, grid ceil(count / 256) (1-D; the host keeps it below 2^31), one element per
// thread.
#pragma once
#include "common.cuh"

#define SRENGINE_MOVE_MAX_RANK 6

// Layout (224 bytes): 2 pointers, 1 + 4*6 int64s, 2 ints.
struct MoveParams {
    const void* in;
    void* out;
    i64 count;                                // elements to move
    i64 out_dims[SRENGINE_MOVE_MAX_RANK];
    i64 out_strides[SRENGINE_MOVE_MAX_RANK];
    i64 in_dims[SRENGINE_MOVE_MAX_RANK];
    i64 in_strides[SRENGINE_MOVE_MAX_RANK];
    int rank_out, rank_in;                    // 1..6
};
static_assert(sizeof(MoveParams) == 224, "MoveParams layout is shared with the Java side");
