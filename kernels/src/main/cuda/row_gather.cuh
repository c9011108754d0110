// Row gather (srengine's internal RowGather op): output row r is input row rows[r], or zeros
// where rows[r] is -1. The window partitions, window reverses and cyclic shifts of Swin-style
// transformers are chains of Reshape/Transpose/Slice/Concat/Pad that only move whole rows; the
// engine folds each chain into one index table and one launch of this kernel.
//
//   row_gather_{f32,f16,bf16}   for r < count, j < c_store:
//                                 out[r*out_cs + j] = j < C && rows[r] >= 0 ? in[rows[r]*in_cs + j] : 0
//
// Columns [C, c_store) are the pad columns that round a buffer's row stride up for the consumer;
// they are written as zeros. Values are copied bit for bit. The output must not overlap the input.
//
// Launch: block 256, grid ceil(count * c_store / 256), one output element per thread.
#pragma once
#include "common.cuh"

// Layout (48 bytes): 3 pointers, 6 ints.
struct RowGatherParams {
    const void* in;
    void* out;
    const int* rows;   // count entries; -1 = a row of zeros
    int count;         // output rows
    int C;             // elements per row copied
    int c_store;       // columns [C, c_store) of each output row are written as zeros (c_store >= C)
    int in_cs, out_cs; // row strides in elements
    int unused;
};
static_assert(sizeof(RowGatherParams) == 48, "RowGatherParams layout is shared with the Java side");
