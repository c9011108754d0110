// Elementwise operations with NumPy broadcasting on rank-4 tensors. Every operand is described by
// four element strides in (n, h, w, c) order over the output's iteration space; a broadcast axis
// has stride 0. The same kernel therefore reads and writes NHWC views with any channel stride and
// offset, which also makes it the copy kernel for Concat inputs that cannot be written in place.
//
//   eltwise_{f32,f16,bf16}   out = op(a, b) computed in float32.
//
// Launch: block 256, grid ceil(N*H*W*ceil(C/8) / 256); each thread handles up to 8 consecutive
// channels of one pixel.
#pragma once
#include "common.cuh"

// Operation codes, shared with io.srengine.cuda.plan.EltwiseOp.Code (same order).
enum EltOp {
    ELT_COPY = 0,     // a
    ELT_ADD = 1,      // a + b
    ELT_SUB = 2,      // a - b
    ELT_MUL = 3,      // a * b
    ELT_DIV = 4,      // a / b
    ELT_MAX = 5,      // max(a, b)
    ELT_MIN = 6,      // min(a, b)
    ELT_POW = 7,      // a ^ b
    ELT_PRELU = 8,    // a >= 0 ? a : a * b
    ELT_RELU = 9,     // max(a, 0)
    ELT_LEAKY = 10,   // a >= 0 ? a : a * alpha
    ELT_SIGMOID = 11, // 1 / (1 + exp(-a))
    ELT_TANH = 12,    // tanh(a)
    ELT_CLIP = 13,    // min(max(a, alpha), beta)
    ELT_NEG = 14,     // -a
    ELT_ABS = 15,     // |a|
    ELT_SQRT = 16,    // sqrt(a)
    ELT_EXP = 17,     // exp(a)
    ELT_AFFINE = 18,  // a * alpha + beta
    ELT_FLOOR = 19,   // floor(a)
    ELT_CEIL = 20,    // ceil(a)
    ELT_RECIP = 21,   // 1 / a
    ELT_SCALE_ADD = 22, // a * alpha + b (a scaled residual branch joining its skip connection)
    ELT_ERF = 23,       // erf(a)
    ELT_GELU = 24,      // a/2 * (1 + erf(a/sqrt(2)))
    ELT_GELU_TANH = 25  // a/2 * (1 + tanh(sqrt(2/pi) * (a + 0.044715 a^3)))
};

// Layout (152 bytes): 3 pointers, 12 int64 strides, 4 ints, op, 2 floats, 1 unused int.
struct EltwiseParams {
    const void* a;
    const void* b;   // null for unary ops
    void* out;
    i64 sa[4];       // strides of a in (n, h, w, c) order, in elements
    i64 sb[4];
    i64 so[4];
    int N, H, W, C;  // iteration space: the output's shape
    int op;          // enum EltOp
    float alpha, beta;
    int unused;
};
static_assert(sizeof(EltwiseParams) == 152, "EltwiseParams layout is shared with the Java side");
