// Fused window attention with an online softmax; see attention.cuh.
#include "attention.cuh"

namespace {

// Stages rows [0, m) x columns [col, col + w) of src (rows through idx, -1 = zeros) as floats.
template <typename T>
__device__ __forceinline__ void stage(float* dst, const T* src, const int* idx, int m, int w, int cs, int col) {
    for (int e = threadIdx.x; e < m * w; e += blockDim.x) {
        const int j = e / w, t = e - j * w;
        const int row = idx[j];
        dst[e] = row >= 0 ? load_f(src, (i64)row * cs + col + t) : 0.f;
    }
}

template <typename T, int DMAX>
__device__ __forceinline__ void attention(const AttentionParams& p) {
    extern __shared__ float att_smem[];
    const int b = blockIdx.x / p.heads, h = blockIdx.x % p.heads;
    const int n = p.n, m = p.m, d = p.d, dv = p.dv;
    float* sk = att_smem;          // m x d
    float* sv = att_smem + m * d;  // m x dv
    stage(sk, (const T*)p.k, p.k_rows + (i64)b * m, m, d, p.k_cs, p.k_col + h * p.k_head);
    stage(sv, (const T*)p.v, p.v_rows + (i64)b * m, m, dv, p.v_cs, p.v_col + h * p.v_head);
    __syncthreads();
    const float neg_inf = -__int_as_float(0x7f800000);
    const int mask = p.mask_of ? p.mask_of[b] : -1;
    const float* bias = p.bias ? p.bias + (i64)h * n * m : nullptr;
    const float* masks = mask >= 0 ? p.masks + (i64)mask * n * m : nullptr;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        const int orow = p.out_rows[(i64)b * n + i];
        if (orow < 0) continue;
        const int qrow = p.q_rows[(i64)b * n + i];
        float q[DMAX];
        float acc[DMAX];
#pragma unroll
        for (int t = 0; t < DMAX; t++) {
            q[t] = (t < d && qrow >= 0)
                    ? load_f((const T*)p.q, (i64)qrow * p.q_cs + p.q_col + h * p.q_head + t) : 0.f;
            acc[t] = 0.f;
        }
        float mx = neg_inf;  // running maximum of the scores
        float l = 0.f;       // running sum of exp(s - mx)
        for (int j = 0; j < m; j++) {
            const float* kr = sk + j * d;
            float dot = 0.f;
#pragma unroll
            for (int t = 0; t < DMAX; t++) {
                if (t < d) dot = fmaf(q[t], kr[t], dot);
            }
            float s = p.scale * dot;
            if (bias) s += bias[(i64)i * m + j];
            if (masks) s += masks[(i64)i * m + j];
            const float nm = fmaxf(mx, s);
            if (nm > mx) {
                // A new maximum rescales what was summed so far (by 0 at the first finite score).
                const float c = expf(mx - nm);
                l *= c;
#pragma unroll
                for (int t = 0; t < DMAX; t++) acc[t] *= c;
                mx = nm;
            }
            // While every score so far is -inf, exp(s - mx) would be NaN; those keys weigh 0
            // against any finite score, and if all are -inf, l stays 0 and the result is 0/0.
            const float e = mx == neg_inf ? 0.f : expf(s - mx);
            l += e;
            const float* vr = sv + j * dv;
#pragma unroll
            for (int t = 0; t < DMAX; t++) {
                if (t < dv) acc[t] = fmaf(e, vr[t], acc[t]);
            }
        }
        T* out = (T*)p.out + (i64)orow * p.out_cs + p.out_col + h * p.out_head;
#pragma unroll
        for (int t = 0; t < DMAX; t++) {
            if (t < dv) store_f(out, t, acc[t] / l);
        }
    }
}

}  // namespace

#define SRENGINE_ATTENTION(T, DMAX)                                                                             \
    extern "C" __global__ void __launch_bounds__(128) attention_##T##_##DMAX(const AttentionParams p) {     \
        attention<T, DMAX>(p);                                                                                  \
    }

SRENGINE_ATTENTION(f32, 32)
SRENGINE_ATTENTION(f32, 64)
SRENGINE_ATTENTION(f32, 128)
SRENGINE_ATTENTION(f16, 32)
SRENGINE_ATTENTION(f16, 64)
SRENGINE_ATTENTION(f16, 128)
SRENGINE_ATTENTION(bf16, 32)
SRENGINE_ATTENTION(bf16, 64)
SRENGINE_ATTENTION(bf16, 128)
