// Implicit-GEMM convolution; see conv2d.cuh for the contract.
#include "conv2d.cuh"
#include "mma.cuh"

namespace {

constexpr int BK = 32;  // reduction tile: 32 channels of one kernel tap, 64 bytes per row

// Rows of A and B tiles are 64 bytes (four 16-byte chunks). XOR-ing the chunk with bits 1-2 of the
// row spreads the 8 rows one ldmatrix phase reads over all 32 banks.
__device__ __forceinline__ int swz(int row, int chunk) { return row * BK + ((chunk ^ ((row >> 1) & 3)) << 3); }

template <typename T, int BM, int BN, int WM, int WN, int STAGES>
__device__ __forceinline__ void conv2d_tc(const Conv2dParams& p) {
    constexpr int WARPS_M = BM / WM;
    constexpr int WARPS_N = BN / WN;
    constexpr int THREADS = WARPS_M * WARPS_N * 32;
    constexpr int MI = WM / 16;
    constexpr int NI = WN / 8;
    constexpr int A_STAGE = BM * BK;
    constexpr int B_STAGE = BN * BK;
    constexpr int ROW_STEP = THREADS / 4;
    constexpr int A_ITERS = BM / ROW_STEP;
    constexpr int B_ITERS = (BN + ROW_STEP - 1) / ROW_STEP;
    static_assert(BM % ROW_STEP == 0 && NI % 2 == 0 && WM % 16 == 0, "tile shape");

    extern __shared__ __align__(16) unsigned char smem[];
    u16* sA = (u16*)smem;
    u16* sB = sA + STAGES * A_STAGE;

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int warp_m = warp % WARPS_M;
    const int warp_n = warp / WARPS_M;
    const int OHW = p.OH * p.OW;
    const int M = p.N * OHW;
    const int m0 = blockIdx.x * BM;
    const int n0 = blockIdx.y * BN;
    const int C = p.C;
    const int K = p.ep.K;
    const i64 KW = (i64)p.R * p.S * C;
    const u16* in = (const u16*)p.in;
    const u16* wt = (const u16*)p.weight;

    // Each thread loads one 16-byte chunk of A_ITERS rows of A (output pixels) and of B_ITERS rows of
    // B (output channels) per stage; the pixel decomposition is done once here.
    const int chunk = tid & 3;
    const int row0 = tid >> 2;
    int a_pix[A_ITERS], a_ih[A_ITERS], a_iw[A_ITERS];
#pragma unroll
    for (int i = 0; i < A_ITERS; i++) {
        int m = m0 + row0 + i * ROW_STEP;
        if (m < M) {
            int n = m / OHW;
            int rem = m - n * OHW;
            int oh = rem / p.OW;
            int ow = rem - oh * p.OW;
            a_pix[i] = n * p.H * p.W;
            a_ih[i] = oh * p.stride_h - p.pad_h;
            a_iw[i] = ow * p.stride_w - p.pad_w;
        } else {
            a_pix[i] = -1;
            a_ih[i] = 0;
            a_iw[i] = 0;
        }
    }

    auto load_tile = [&](int slot, int r, int s, int c0) {
        const int c = c0 + chunk * 8;
        u16* a = sA + slot * A_STAGE;
#pragma unroll
        for (int i = 0; i < A_ITERS; i++) {
            const int row = row0 + i * ROW_STEP;
            const int ih = a_ih[i] + r * p.dil_h;
            const int iw = a_iw[i] + s * p.dil_w;
            const bool ok = a_pix[i] >= 0 && (unsigned)ih < (unsigned)p.H && (unsigned)iw < (unsigned)p.W && c < C;
            const u16* src = ok ? in + ((i64)(a_pix[i] + ih * p.W + iw) * p.in_cs + c) : in;
            cp_async16(smem_u32(a + swz(row, chunk)), src, ok ? 16 : 0);
        }
        u16* b = sB + slot * B_STAGE;
#pragma unroll
        for (int j = 0; j < B_ITERS; j++) {
            const int row = row0 + j * ROW_STEP;
            if (row < BN) {
                const int k = n0 + row;
                const bool ok = k < K && c < C;
                const u16* src = ok ? wt + (k * KW + (i64)(r * p.S + s) * C + c) : wt;
                cp_async16(smem_u32(b + swz(row, chunk)), src, ok ? 16 : 0);
            }
        }
    };

    float acc[MI][NI][4];
#pragma unroll
    for (int i = 0; i < MI; i++)
#pragma unroll
        for (int j = 0; j < NI; j++)
#pragma unroll
            for (int t = 0; t < 4; t++) acc[i][j][t] = 0.f;

    auto compute = [&](int slot) {
        const u16* a = sA + slot * A_STAGE;
        const u16* b = sB + slot * B_STAGE;
#pragma unroll
        for (int kk = 0; kk < BK / 16; kk++) {
            u32 af[MI][4];
            u32 bf[NI][2];
#pragma unroll
            for (int mi = 0; mi < MI; mi++) {
                const int row = warp_m * WM + mi * 16 + (lane & 15);
                ldmatrix_x4(af[mi], smem_u32(a + swz(row, kk * 2 + (lane >> 4))));
            }
#pragma unroll
            for (int nj = 0; nj < NI / 2; nj++) {
                const int row = warp_n * WN + nj * 16 + (lane & 7) + ((lane >> 4) << 3);
                u32 r[4];
                ldmatrix_x4(r, smem_u32(b + swz(row, kk * 2 + ((lane >> 3) & 1))));
                bf[2 * nj][0] = r[0];
                bf[2 * nj][1] = r[1];
                bf[2 * nj + 1][0] = r[2];
                bf[2 * nj + 1][1] = r[3];
            }
#pragma unroll
            for (int mi = 0; mi < MI; mi++)
#pragma unroll
                for (int ni = 0; ni < NI; ni++) mma16816(acc[mi][ni], af[mi], bf[ni], T{});
        }
    };

    // Multi-stage pipeline: STAGES-1 tiles in flight while one is multiplied.
    const int chunks = (C + BK - 1) / BK;
    const int KT = p.R * p.S * chunks;
    int lr = 0, ls = 0, lc = 0;
    auto advance = [&]() {
        lc += BK;
        if (lc >= C) {
            lc = 0;
            if (++ls == p.S) {
                ls = 0;
                ++lr;
            }
        }
    };
#pragma unroll
    for (int st = 0; st < STAGES - 1; st++) {
        if (st < KT) {
            load_tile(st, lr, ls, lc);
            advance();
        }
        cp_async_commit();
    }
    for (int kt = 0; kt < KT; kt++) {
        cp_async_wait<STAGES - 2>();
        __syncthreads();
        const int next = kt + STAGES - 1;
        if (next < KT) {
            load_tile(next % STAGES, lr, ls, lc);
            advance();
        }
        cp_async_commit();
        compute(kt % STAGES);
    }
    cp_async_wait<0>();
    __syncthreads();

    // Stage the fp32 tile through shared memory so that each thread finishes 8 consecutive
    // channels of one pixel: 16-byte coalesced stores and one pixel decomposition per 8 values.
    constexpr int LDC = BN + 8;  // +8 floats: the float2 writes of a half-warp hit distinct banks
    float* sC = (float*)smem;
#pragma unroll
    for (int mi = 0; mi < MI; mi++) {
#pragma unroll
        for (int ni = 0; ni < NI; ni++) {
            const int row = warp_m * WM + mi * 16 + (lane >> 2);
            const int col = warp_n * WN + ni * 8 + (lane & 3) * 2;
            *(float2*)&sC[row * LDC + col] = float2{acc[mi][ni][0], acc[mi][ni][1]};
            *(float2*)&sC[(row + 8) * LDC + col] = float2{acc[mi][ni][2], acc[mi][ni][3]};
        }
    }
    __syncthreads();
    constexpr int CPR = BN / 8;
    for (int idx = tid; idx < BM * CPR; idx += THREADS) {
        const int row = idx / CPR;
        const int m = m0 + row;
        const int k0 = n0 + (idx % CPR) * 8;
        if (m >= M || k0 >= K) continue;
        const int n = m / OHW;
        const int rem = m - n * OHW;
        const int oy = rem / p.OW;
        const int ox = rem - oy * p.OW;
        float v[8];
        const float4 v0 = *(const float4*)&sC[row * LDC + (idx % CPR) * 8];
        const float4 v1 = *(const float4*)&sC[row * LDC + (idx % CPR) * 8 + 4];
        v[0] = v0.x; v[1] = v0.y; v[2] = v0.z; v[3] = v0.w;
        v[4] = v1.x; v[5] = v1.y; v[6] = v1.z; v[7] = v1.w;
        if (p.ep.vec8 && k0 + 8 <= K) {
            ep_store8_vec<T>(p.ep, n, oy, ox, k0, v);
        } else {
#pragma unroll
            for (int t = 0; t < 8; t++) {
                if (k0 + t < K) ep_store1<T>(p.ep, n, oy, ox, k0 + t, v[t]);
            }
        }
    }
}

// CUDA-core path: 64 pixels x 64 output channels of one group per block, 4x4 per thread.
template <typename T>
__device__ __forceinline__ void conv2d_simt(const Conv2dParams& p) {
    constexpr int TM = 64, TN = 64, TK = 16;
    __shared__ __align__(16) float sA[TK][TM + 4];
    __shared__ __align__(16) float sB[TK][TN + 4];
    const int tid = threadIdx.x;
    const int g = blockIdx.z;
    const int Cg = p.C / p.groups;
    const int Kg = p.ep.K / p.groups;
    const int OHW = p.OH * p.OW;
    const int M = p.N * OHW;
    const int m0 = blockIdx.x * TM;
    const int n0 = blockIdx.y * TN;
    const int KTOT = p.R * p.S * Cg;
    const T* in = (const T*)p.in;
    const T* wt = (const T*)p.weight;

    // Loader: element e = tid + 256*i of a 16 x 64 tile; the k offset is tid % 16 for every i, the
    // row is tid / 16 + 16*i, so each thread decodes its 4 pixels once.
    const int lk = tid & 15;
    int pix[4], ih0[4], iw0[4];
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int m = m0 + (tid >> 4) + 16 * i;
        if (m < M) {
            int n = m / OHW;
            int rem = m - n * OHW;
            int oh = rem / p.OW;
            int ow = rem - oh * p.OW;
            pix[i] = n * p.H * p.W;
            ih0[i] = oh * p.stride_h - p.pad_h;
            iw0[i] = ow * p.stride_w - p.pad_w;
        } else {
            pix[i] = -1;
            ih0[i] = 0;
            iw0[i] = 0;
        }
    }
    const int tx = tid & 15;  // 4 output channels each
    const int ty = tid >> 4;  // 4 pixels each
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int k0 = 0; k0 < KTOT; k0 += TK) {
        const int k = k0 + lk;
        int tap = k / Cg;
        int c = k - tap * Cg;
        int r = tap / p.S;
        int s = tap - r * p.S;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const int ih = ih0[i] + r * p.dil_h;
            const int iw = iw0[i] + s * p.dil_w;
            float v = 0.f;
            if (k < KTOT && pix[i] >= 0 && (unsigned)ih < (unsigned)p.H && (unsigned)iw < (unsigned)p.W) {
                v = load_f(in, (i64)(pix[i] + ih * p.W + iw) * p.in_cs + g * Cg + c);
            }
            sA[lk][(tid >> 4) + 16 * i] = v;
            const int n = n0 + (tid >> 4) + 16 * i;
            float w = 0.f;
            if (k < KTOT && n < Kg) {
                w = load_f(wt, (i64)(g * Kg + n) * KTOT + k);
            }
            sB[lk][(tid >> 4) + 16 * i] = w;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            const float4 a = *(const float4*)&sA[kk][ty * 4];
            const float4 b = *(const float4*)&sB[kk][tx * 4];
            const float av[4] = {a.x, a.y, a.z, a.w};
            const float bv[4] = {b.x, b.y, b.z, b.w};
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        const int m = m0 + ty * 4 + i;
        if (m >= M) continue;
        const int n = m / OHW;
        const int rem = m - n * OHW;
        const int oy = rem / p.OW;
        const int ox = rem - oy * p.OW;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const int kn = n0 + tx * 4 + j;
            if (kn < Kg) ep_store1<T>(p.ep, n, oy, ox, g * Kg + kn, acc[i][j]);
        }
    }
}

}  // namespace

#define SRENGINE_CONV_TC(T, BM, BN, WM, WN, STAGES, MINB)                                        \
    extern "C" __global__ void __launch_bounds__((BM / WM) * (BN / WN) * 32, MINB)              \
        conv2d_tc_##T##_##BM##x##BN(const Conv2dParams p) {                                     \
        conv2d_tc<T, BM, BN, WM, WN, STAGES>(p);                                                \
    }

SRENGINE_CONV_TC(f16, 128, 64, 64, 32, 4, 2)
SRENGINE_CONV_TC(bf16, 128, 64, 64, 32, 4, 2)
SRENGINE_CONV_TC(f16, 256, 64, 64, 32, 3, 1)
SRENGINE_CONV_TC(bf16, 256, 64, 64, 32, 3, 1)
SRENGINE_CONV_TC(f16, 128, 32, 32, 32, 4, 2)
SRENGINE_CONV_TC(bf16, 128, 32, 32, 32, 4, 2)
SRENGINE_CONV_TC(f16, 64, 64, 32, 32, 4, 2)
SRENGINE_CONV_TC(bf16, 64, 64, 32, 32, 4, 2)
SRENGINE_CONV_TC(f16, 128, 128, 64, 32, 3, 1)
SRENGINE_CONV_TC(bf16, 128, 128, 64, 32, 3, 1)

extern "C" __global__ void __launch_bounds__(256) conv2d_simt_f32(const Conv2dParams p) { conv2d_simt<float>(p); }
extern "C" __global__ void __launch_bounds__(256) conv2d_simt_f16(const Conv2dParams p) { conv2d_simt<f16>(p); }
extern "C" __global__ void __launch_bounds__(256) conv2d_simt_bf16(const Conv2dParams p) { conv2d_simt<bf16>(p); }
