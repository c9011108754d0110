// Shared by every srengine kernel: element types, conversions, activations and the fused
// convolution epilogue.
//
// The kernels include no system or toolkit header (not even cuda_fp16.h), so that NVRTC can compile
// the shipped sources on a machine that has only the driver and libnvrtc. 16-bit values travel as
// raw bits; conversions use PTX cvt instructions.
//
// ABI: every kernel takes exactly one parameter, a struct passed by value. Its layout is part of the
// contract with the Java side (io.srengine.cuda.KernelArgs): pointers first (8 bytes each), then
// 4-byte ints and floats, with sizes that are multiples of 8. static_asserts below pin each size.
#pragma once

typedef unsigned short u16;
typedef unsigned int u32;
typedef long long i64;

// Element types. Activations on the device are NHWC in one of these; kernel names carry the
// type's name (conv2d_simt_f32, conv2d_tc_f16_128x64, ...).
typedef float f32;
struct f16 { u16 bits; };
struct bf16 { u16 bits; };

__device__ __forceinline__ float to_float(float v) { return v; }
__device__ __forceinline__ float to_float(f16 v) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(v.bits));
    return f;
}
__device__ __forceinline__ float to_float(bf16 v) {
    return __uint_as_float(((u32)v.bits) << 16);
}

template <typename T> __device__ __forceinline__ T from_float(float f);
template <> __device__ __forceinline__ float from_float<float>(float f) { return f; }
template <> __device__ __forceinline__ f16 from_float<f16>(float f) {
    f16 r;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(r.bits) : "f"(f));
    return r;
}
template <> __device__ __forceinline__ bf16 from_float<bf16>(float f) {
    bf16 r;
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(r.bits) : "f"(f));
    return r;
}

// Two floats packed into one 32-bit register of two 16-bit values, lo in the low half.
template <typename T> __device__ __forceinline__ u32 pack2(float lo, float hi);
template <> __device__ __forceinline__ u32 pack2<f16>(float lo, float hi) {
    u32 r;
    asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
}
template <> __device__ __forceinline__ u32 pack2<bf16>(float lo, float hi) {
    u32 r;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
}
__device__ __forceinline__ float lo_half(u32 v, f16) { return to_float(f16{(u16)(v & 0xffff)}); }
__device__ __forceinline__ float hi_half(u32 v, f16) { return to_float(f16{(u16)(v >> 16)}); }
__device__ __forceinline__ float lo_half(u32 v, bf16) { return __uint_as_float(v << 16); }
__device__ __forceinline__ float hi_half(u32 v, bf16) { return __uint_as_float(v & 0xffff0000u); }

template <typename T> __device__ __forceinline__ float load_f(const T* p, i64 i) { return to_float(p[i]); }
template <typename T> __device__ __forceinline__ void store_f(T* p, i64 i, float v) { p[i] = from_float<T>(v); }

// Activation kinds; the numbering is shared with io.srengine.cuda.plan.EpilogueSpec.actCode.
enum Act {
    ACT_NONE = 0,
    ACT_RELU = 1,
    ACT_LEAKY_RELU = 2,
    ACT_PRELU = 3,
    ACT_SIGMOID = 4,
    ACT_TANH = 5,
    ACT_CLIP = 6,
    ACT_GELU = 7,       // x/2 * (1 + erf(x/sqrt(2))), the exact GELU (PyTorch's default, ONNX Gelu)
    ACT_GELU_TANH = 8   // x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), GELU's tanh approximation
};

__device__ __forceinline__ float sigmoid_f(float x) {
    // Both branches stay finite: exp of a non-positive argument cannot overflow.
    if (x >= 0.f) {
        return 1.f / (1.f + __expf(-x));
    }
    float e = __expf(x);
    return e / (1.f + e);
}

// The accurate erff/tanhf (not the __ intrinsics): GELU sits inside every transformer MLP, and
// the approximate forms would cost more accuracy than fp16 storage does.
__device__ __forceinline__ float gelu_f(float x) {
    return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
}

__device__ __forceinline__ float gelu_tanh_f(float x) {
    return 0.5f * x * (1.f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
}

__device__ __forceinline__ float activate(int act, float x, float alpha, float lo, float hi, float slope) {
    switch (act) {
        case ACT_RELU: return x > 0.f ? x : 0.f;
        case ACT_LEAKY_RELU: return x >= 0.f ? x : x * alpha;
        case ACT_PRELU: return x >= 0.f ? x : x * slope;
        case ACT_SIGMOID: return sigmoid_f(x);
        case ACT_TANH: return tanhf(x);
        case ACT_CLIP: return fminf(fmaxf(x, lo), hi);
        case ACT_GELU: return gelu_f(x);
        case ACT_GELU_TANH: return gelu_tanh_f(x);
        default: return x;
    }
}

// The epilogue every convolution shares:
//   y = act(acc + bias[k]) * scale (+ residual)
// written either as NHWC (element type T, channel stride out_cs, pointer already at the channel
// offset, so that a dense block writes into a slice of a wider buffer) or as NCHW float32 (the
// model's output). With ps_r > 1 the K conv channels are rearranged by DepthToSpace on the way
// out: channel k of pixel (y, x) lands at (y*r + i, x*r + j, c) with CRD (PyTorch PixelShuffle,
// k = (c*r + i)*r + j) or DCR (k = (i*r + j)*C + c) ordering.
// The residual is an NHWC view (type T, stride res_cs) in output coordinates; res_div > 1 reads it
// nearest-upsampled by that integer factor (a low-resolution skip connection).
// With k_store > K (conv2d only, NHWC output without DepthToSpace) channels K..k_store-1 of every
// output pixel are written as zeros: the pad channels that round a buffer's channel stride up to a
// multiple of 8, which a tensor-core convolution reading this buffer multiplies by zero weights.
//
// Layout (112 bytes): 4 pointers, then 20 ints/floats.
struct Epilogue {
    const float* bias;   // K floats or null
    const float* slope;  // PReLU slopes, slope_n floats (1 or K), or null
    const void* res;     // residual view or null
    void* out;           // output view
    int K;               // conv output channels (before DepthToSpace)
    int act;             // enum Act
    int slope_n;         // 1 or K
    int ps_r;            // DepthToSpace block size, 1 for none
    int ps_dcr;          // 1: DCR order, 0: CRD order
    int out_nchw;        // 1: float32 NCHW output, 0: NHWC of T
    int out_cs;          // NHWC output channel stride (elements per pixel)
    int out_h, out_w;    // output spatial size (after DepthToSpace)
    int res_cs;          // residual channel stride
    int res_div;         // residual nearest-upsampling factor, 1 for none
    int res_h, res_w;    // residual spatial size
    int vec8;            // 1: NHWC stores and residual loads may use 16-byte vectors
    float alpha;         // LeakyRelu slope
    float clip_lo, clip_hi;
    float scale;         // multiplies the activated value before the residual is added
    int k_store;         // channels [K, k_store) are stored as zeros; K for none
    int unused;
};
static_assert(sizeof(Epilogue) == 112, "Epilogue layout is shared with the Java side");

// Applies bias and activation to v for conv channel k.
__device__ __forceinline__ float ep_activate(const Epilogue& e, int k, float v) {
    if (e.bias) v += e.bias[k];
    float s = (e.act == ACT_PRELU) ? e.slope[e.slope_n == 1 ? 0 : k] : 0.f;
    return activate(e.act, v, e.alpha, e.clip_lo, e.clip_hi, s) * e.scale;
}

// Adds the residual to an activated value of conv output (n, oy, ox, k) and stores it.
template <typename T>
__device__ __forceinline__ void ep_place1(const Epilogue& e, int n, int oy, int ox, int k, float v) {
    int c = k, y = oy, x = ox, C = e.K;
    if (e.ps_r > 1) {
        int r = e.ps_r;
        C = e.K / (r * r);
        int i, j;
        if (e.ps_dcr) {
            c = k % C;
            i = k / (C * r);
            j = (k / C) % r;
        } else {
            c = k / (r * r);
            i = (k / r) % r;
            j = k % r;
        }
        y = oy * r + i;
        x = ox * r + j;
    }
    if (e.res) {
        int ry = y / e.res_div, rx = x / e.res_div;
        v += load_f((const T*)e.res, ((i64)(n * e.res_h + ry) * e.res_w + rx) * e.res_cs + c);
    }
    if (e.out_nchw) {
        ((float*)e.out)[((i64)(n * C + c) * e.out_h + y) * e.out_w + x] = v;
    } else {
        store_f((T*)e.out, ((i64)(n * e.out_h + y) * e.out_w + x) * e.out_cs + c, v);
    }
}

// Stores a zero into pad channel k (K <= k < k_store) of NHWC output pixel (n, oy, ox).
template <typename T>
__device__ __forceinline__ void ep_zero1(const Epilogue& e, int n, int oy, int ox, int k) {
    store_f((T*)e.out, ((i64)(n * e.out_h + oy) * e.out_w + ox) * e.out_cs + k, 0.f);
}

// Stores one value of conv output (n, oy, ox, k), oy/ox in conv-output coordinates.
template <typename T>
__device__ __forceinline__ void ep_store1(const Epilogue& e, int n, int oy, int ox, int k, float v) {
    ep_place1<T>(e, n, oy, ox, k, ep_activate(e, k, v));
}

// The per-channel constants of 8 consecutive conv channels k0..k0+7, loaded once by a thread that
// finishes many pixels of the same channels (the loads cannot be hoisted by the compiler past the
// output stores, which might alias them).
struct EpChannels8 {
    float bias[8];
    float slope[8];
};

__device__ __forceinline__ EpChannels8 ep_channels8(const Epilogue& e, int k0) {
    EpChannels8 c;
#pragma unroll
    for (int t = 0; t < 8; t++) {
        const int k = min(k0 + t, e.K - 1);
        c.bias[t] = e.bias ? e.bias[k] : 0.f;
        c.slope[t] = e.act == ACT_PRELU ? e.slope[e.slope_n == 1 ? 0 : k] : 0.f;
    }
    return c;
}

// Bias, activation and scale of 8 accumulators with preloaded channel constants.
__device__ __forceinline__ void ep_activate8(const Epilogue& e, const EpChannels8& c, float* v) {
#pragma unroll
    for (int t = 0; t < 8; t++) {
        v[t] = activate(e.act, v[t] + c.bias[t], e.alpha, e.clip_lo, e.clip_hi, c.slope[t]) * e.scale;
    }
}

// Adds the residual to 8 activated channels k0..k0+7 of one pixel and stores them with 16-byte
// accesses; only when e.vec8 is set (NHWC output, no DepthToSpace, aligned strides) and
// k0 + 8 <= k_store. Channels from K on are pad channels and stored as zeros (the residual's pad
// channels read alongside lie inside its pixel, as its stride is a multiple of 8).
template <typename T>
__device__ __forceinline__ void ep_place8_vec(const Epilogue& e, int n, int oy, int ox, int k0, float* o) {
    if (e.res) {
        int ry = oy / e.res_div, rx = ox / e.res_div;
        const uint4 rv = *(const uint4*)((const T*)e.res + ((i64)(n * e.res_h + ry) * e.res_w + rx) * e.res_cs + k0);
        o[0] += lo_half(rv.x, T{}); o[1] += hi_half(rv.x, T{});
        o[2] += lo_half(rv.y, T{}); o[3] += hi_half(rv.y, T{});
        o[4] += lo_half(rv.z, T{}); o[5] += hi_half(rv.z, T{});
        o[6] += lo_half(rv.w, T{}); o[7] += hi_half(rv.w, T{});
    }
    if (k0 + 8 > e.K) {
#pragma unroll
        for (int t = 0; t < 8; t++) {
            if (k0 + t >= e.K) o[t] = 0.f;
        }
    }
    uint4 w;
    w.x = pack2<T>(o[0], o[1]);
    w.y = pack2<T>(o[2], o[3]);
    w.z = pack2<T>(o[4], o[5]);
    w.w = pack2<T>(o[6], o[7]);
    *(uint4*)((T*)e.out + ((i64)(n * e.out_h + oy) * e.out_w + ox) * e.out_cs + k0) = w;
}

__device__ __forceinline__ i64 global_index() {
    return (i64)blockIdx.x * blockDim.x + threadIdx.x;
}
