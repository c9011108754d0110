// Implicit-GEMM convolution; see conv2d.cuh for the contract.
#include "conv2d.cuh"
#include "mma.cuh"

namespace {

constexpr int BK = 32;  // reduction tile: 32 channels of one kernel tap, 64 bytes per row

// Rows of A and B tiles are 64 bytes (four 16-byte chunks). XOR-ing the chunk with bits 1-2 of the
// row spreads the 8 rows one ldmatrix phase reads over all 32 banks.
__device__ __forceinline__ int swz(int row, int chunk) { return row * BK + ((chunk ^ ((row >> 1) & 3)) << 3); }

// Tensor-core implicit GEMM. TH == 0: the block's BM output pixels are consecutive in row-major
// order and every reduction step gathers its A tile from global memory. TH > 0 ("halo" mode,
// stride 1): the block's pixels form a TH x (BM/TH) tile of one image; per 32 input channels the
// input tile plus its halo is copied to shared memory once, and each kernel tap reads A from it.
template <typename T, int BM, int BN, int WM, int WN, int STAGES, int TH, int PAD>
__device__ __forceinline__ void conv2d_tc(const Conv2dParams& p) {
    constexpr int WARPS_M = BM / WM;
    constexpr int WARPS_N = BN / WN;
    constexpr int THREADS = WARPS_M * WARPS_N * 32;
    constexpr int MI = WM / 16;
    constexpr int NI = WN / 8;
    constexpr int A_STAGE = TH ? 0 : BM * BK;
    constexpr int B_STAGE = BN * BK;
    constexpr int ROW_STEP = THREADS / 4;
    constexpr int A_ITERS = BM / ROW_STEP;
    constexpr int B_ITERS = (BN + ROW_STEP - 1) / ROW_STEP;
    constexpr int THd = TH ? TH : 1;  // TH as a divisor (linear mode never divides by it)
    constexpr int TW = BM / THd;
    static_assert(BM % ROW_STEP == 0 && NI % 2 == 0 && WM % 16 == 0, "tile shape");
    static_assert(TH == 0 || (BM % THd == 0 && TW % 16 == 0), "halo tile rows are whole 16-pixel segments");

    extern __shared__ __align__(16) unsigned char smem[];
    u16* sB = (u16*)smem;
    u16* sA = sB + STAGES * B_STAGE;  // linear: STAGES A tiles; halo: 2 halo tiles

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int warp_m = warp % WARPS_M;
    const int warp_n = warp / WARPS_M;
    const int OHW = p.OH * p.OW;
    const int M = p.N * OHW;
    const int n0 = blockIdx.y * BN;
    const int C = p.C;
    const int K = p.ep.K;
    const int RS = p.R * p.S;
    const i64 KW = (i64)RS * C;
    const u16* in = (const u16*)p.in;
    const u16* wt = (const u16*)p.weight;
    const int chunk = tid & 3;
    const int row0 = tid >> 2;

    // Halo geometry (TH > 0): the tile's first output pixel and the halo's size.
    int img = 0, y0 = 0, x0 = 0, m0 = 0;
    const int HH = THd + (p.R - 1) * p.dil_h;
    const int HWd = TW + (p.S - 1) * p.dil_w;
    if (TH) {
        const int tiles_x = (p.OW + TW - 1) / TW;
        const int tiles = ((p.OH + THd - 1) / THd) * tiles_x;
        img = blockIdx.x / tiles;
        const int t = blockIdx.x - img * tiles;
        y0 = (t / tiles_x) * THd;
        x0 = (t % tiles_x) * TW;
    } else {
        m0 = blockIdx.x * BM;
    }

    // Linear mode: each thread loads one 16-byte chunk of A_ITERS rows; decompose its pixels once.
    int a_pix[A_ITERS], a_ih[A_ITERS], a_iw[A_ITERS];
#pragma unroll
    for (int i = 0; i < A_ITERS; i++) {
        int m = m0 + row0 + i * ROW_STEP;
        if (!TH && m < M) {
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

    // With C == 8 (a zero-padded RGB input) a reduction step covers four taps of 8 channels.
    const bool c8 = !TH && C == 8;
    const int chunks = (C + BK - 1) / BK;
    const int KT = c8 ? (RS + 3) / 4 : RS * chunks;

    // B tile (BN output channels x 32 reduction elements starting at flat index kflat).
    auto load_b = [&](int slot, i64 kflat) {
        u16* b = sB + slot * B_STAGE;
#pragma unroll
        for (int j = 0; j < B_ITERS; j++) {
            const int row = row0 + j * ROW_STEP;
            if (row < BN) {
                const int k = n0 + row;
                const i64 kk = kflat + chunk * 8;
                const bool ok = k < K && kk < KW;
                cp_async16(smem_u32(b + swz(row, chunk)), ok ? wt + (k * KW + kk) : wt, ok ? 16 : 0);
            }
        }
    };
    // Linear-mode A tile for tap (r, s), channels c0.. (or four taps from tap0 when c8).
    auto load_a = [&](int slot, int r, int s, int c0, int tap0) {
        int c = c0 + chunk * 8;
        if (c8) {
            const int tap = tap0 + chunk;
            r = tap / p.S;
            s = tap - r * p.S;
            c = tap < RS ? 0 : C;
        }
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
    };
    // Halo-mode A: the input tile plus halo, channels c0..c0+31, into halo buffer `buf`.
    auto load_halo = [&](int buf, int c0) {
        u16* a = sA + buf * (HH * HWd * BK);
        const int total = HH * HWd * 4;
        for (int idx = tid; idx < total; idx += THREADS) {
            const int hp = idx >> 2;
            const int ch = idx & 3;
            const int hy = hp / HWd;
            const int hx = hp - hy * HWd;
            const int iy = y0 - p.pad_h + hy;
            const int ix = x0 - p.pad_w + hx;
            const int c = c0 + ch * 8;
            const bool ok = (unsigned)iy < (unsigned)p.H && (unsigned)ix < (unsigned)p.W && c < C;
            const u16* src = ok ? in + ((i64)((img * p.H + iy) * p.W + ix) * p.in_cs + c) : in;
            cp_async16(smem_u32(a + swz(hp, ch)), src, ok ? 16 : 0);
        }
    };
    // Issues the loads of reduction step kt into pipeline slot kt % STAGES.
    auto load_step = [&](int kt) {
        const int slot = kt % STAGES;
        if (c8) {
            load_a(slot, 0, 0, 0, kt * 4);
            load_b(slot, (i64)kt * BK);
        } else if (TH) {
            const int cc = kt / RS;
            const int tap = kt - cc * RS;
            if (tap == 0) load_halo(cc & 1, cc * BK);
            load_b(slot, (i64)tap * C + cc * BK);
        } else {
            const int tap = kt / chunks;
            const int cc = kt - tap * chunks;
            const int r = tap / p.S;
            load_a(slot, r, tap - r * p.S, cc * BK, 0);
            load_b(slot, (i64)tap * C + cc * BK);
        }
    };

    float acc[MI][NI][4];
#pragma unroll
    for (int i = 0; i < MI; i++)
#pragma unroll
        for (int j = 0; j < NI; j++)
#pragma unroll
            for (int t = 0; t < 4; t++) acc[i][j][t] = 0.f;

    // Shared-memory row of A that this lane's ldmatrix reads for fragment mi, tap (r, s).
    int a_row_base[MI];
#pragma unroll
    for (int mi = 0; mi < MI; mi++) {
        const int pr = warp_m * WM + mi * 16 + (lane & 15);
        a_row_base[mi] = TH ? (pr / TW) * HWd + (pr % TW) : pr;
    }

    auto compute = [&](int kt) {
        const int slot = kt % STAGES;
        const u16* a;
        int shift = 0;
        if (TH) {
            const int cc = kt / RS;
            const int tap = kt - cc * RS;
            const int r = tap / p.S;
            shift = r * p.dil_h * HWd + (tap - r * p.S) * p.dil_w;
            a = sA + (cc & 1) * (HH * HWd * BK);
        } else {
            a = sA + slot * A_STAGE;
        }
        const u16* b = sB + slot * B_STAGE;
#pragma unroll
        for (int kk = 0; kk < BK / 16; kk++) {
            u32 af[MI][4];
            u32 bf[NI][2];
#pragma unroll
            for (int mi = 0; mi < MI; mi++) {
                ldmatrix_x4(af[mi], smem_u32(a + swz(a_row_base[mi] + shift, kk * 2 + (lane >> 4))));
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

    if constexpr (PAD != 0) {
        // Halo mode with 80-byte halo rows: eight consecutive rows start in eight distinct 16-byte
        // bank groups (5r mod 8 is a permutation), so ldmatrix needs no swizzle and a kernel tap is a
        // constant byte shift of every A address. All addresses are precomputed or advanced by adds:
        // the XOR-swizzled variant above spends most of its issue slots on integer address math.
        constexpr int HROW = 80;
        constexpr u32 B_STAGE_BYTES = BN * BK * 2;
        const u32 sB0 = smem_u32(sB);
        const u32 sA0 = smem_u32(sA);
        const u32 halo_bytes = (u32)(HH * HWd * HROW);
        u32 b_off[NI / 2][2];
        u32 a_off[MI][2];
#pragma unroll
        for (int kk = 0; kk < 2; kk++) {
#pragma unroll
            for (int nj = 0; nj < NI / 2; nj++) {
                const int row = warp_n * WN + nj * 16 + (lane & 7) + ((lane >> 4) << 3);
                const int ch = kk * 2 + ((lane >> 3) & 1);
                b_off[nj][kk] = (u32)(row * 64 + ((ch ^ ((row >> 1) & 3)) << 4));
            }
#pragma unroll
            for (int mi = 0; mi < MI; mi++) {
                a_off[mi][kk] = (u32)(a_row_base[mi] * HROW + (kk * 2 + (lane >> 4)) * 16);
            }
        }
        const u16* b_src[B_ITERS];
        u32 b_dst[B_ITERS];
        bool b_ok[B_ITERS];
#pragma unroll
        for (int j = 0; j < B_ITERS; j++) {
            const int row = row0 + j * ROW_STEP;
            b_ok[j] = row < BN && n0 + row < K;
            b_src[j] = wt + (b_ok[j] ? (i64)(n0 + row) * KW : 0) + chunk * 8;
            b_dst[j] = (u32)(row * 64 + ((chunk ^ ((row >> 1) & 3)) << 4));
        }
        auto halo_load = [&](int buf, int c0) {
            const u32 dst0 = sA0 + buf * halo_bytes;
            const int total = HH * HWd * 4;
            for (int idx = tid; idx < total; idx += THREADS) {
                const int hp = idx >> 2;
                const int ch = idx & 3;
                const int hy = hp / HWd;
                const int hx = hp - hy * HWd;
                const int iy = y0 - p.pad_h + hy;
                const int ix = x0 - p.pad_w + hx;
                const int c = c0 + ch * 8;
                const bool ok = (unsigned)iy < (unsigned)p.H && (unsigned)ix < (unsigned)p.W && c < C;
                const u16* src = ok ? in + ((i64)((img * p.H + iy) * p.W + ix) * p.in_cs + c) : in;
                cp_async16(dst0 + hp * HROW + ch * 16, src, ok ? 16 : 0);
            }
        };
        // Load side: the next step to fetch (chunk l_cc, tap l_tap) into slot l_slot.
        int l_cc = 0, l_tap = 0, l_slot = 0;
        i64 l_k = 0;
        auto load_next = [&]() {
            if (l_tap == 0) halo_load(l_cc & 1, l_cc * BK);
            const bool cok = l_cc * BK + chunk * 8 < C;
            const u32 dst = sB0 + l_slot * B_STAGE_BYTES;
#pragma unroll
            for (int j = 0; j < B_ITERS; j++) {
                if (row0 + j * ROW_STEP < BN) {
                    const bool ok = b_ok[j] && cok;
                    cp_async16(dst + b_dst[j], ok ? b_src[j] + l_k : wt, ok ? 16 : 0);
                }
            }
            if (++l_slot == STAGES) l_slot = 0;
            l_k += C;
            if (++l_tap == RS) {
                l_tap = 0;
                ++l_cc;
                l_k = (i64)l_cc * BK;
            }
        };
        const int KTH = RS * chunks;
#pragma unroll
        for (int st = 0; st < STAGES - 1; st++) {
            if (st < KTH) load_next();
            cp_async_commit();
        }
        // Compute side: slot, tap (r, s), chunk and the tap's byte shift into the halo.
        int c_slot = 0, c_r = 0, c_s = 0, c_cc = 0;
        u32 c_shift = 0;
        const u32 step_s = (u32)(p.dil_w * HROW);
        const u32 step_r = (u32)(p.dil_h * HWd * HROW) - (u32)p.S * step_s;
        for (int kt = 0; kt < KTH; kt++) {
            cp_async_wait<STAGES - 2>();
            __syncthreads();
            if (kt + STAGES - 1 < KTH) load_next();
            cp_async_commit();
            const u32 a_base = sA0 + (c_cc & 1) * halo_bytes + c_shift;
            const u32 b_base = sB0 + c_slot * B_STAGE_BYTES;
#pragma unroll
            for (int kk = 0; kk < 2; kk++) {
                u32 af[MI][4];
                u32 bf[NI][2];
#pragma unroll
                for (int mi = 0; mi < MI; mi++) ldmatrix_x4(af[mi], a_base + a_off[mi][kk]);
#pragma unroll
                for (int nj = 0; nj < NI / 2; nj++) {
                    u32 r[4];
                    ldmatrix_x4(r, b_base + b_off[nj][kk]);
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
            if (++c_slot == STAGES) c_slot = 0;
            c_shift += step_s;
            if (++c_s == p.S) {
                c_s = 0;
                c_shift += step_r;
                if (++c_r == p.R) {
                    c_r = 0;
                    ++c_cc;
                    c_shift = 0;
                }
            }
        }
    } else {
    // Multi-stage pipeline: STAGES-1 steps in flight while one is multiplied. In halo mode a halo
    // buffer is refilled STAGES-1 steps before its next chunk starts, after every warp has passed
    // the barrier that ends the last tap reading its previous contents (needs R*S >= STAGES-1).
#pragma unroll
    for (int st = 0; st < STAGES - 1; st++) {
        if (st < KT) load_step(st);
        cp_async_commit();
    }
    for (int kt = 0; kt < KT; kt++) {
        cp_async_wait<STAGES - 2>();
        __syncthreads();
        if (kt + STAGES - 1 < KT) load_step(kt + STAGES - 1);
        cp_async_commit();
        compute(kt);
    }
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
    static_assert(THREADS % CPR == 0, "a thread finishes the same 8 channels of every pixel it visits");
    const EpChannels8 chan = ep_channels8(p.ep, n0 + (tid % CPR) * 8);
    const int KS = p.ep.k_store;  // channels written, pad zeros included
    for (int idx = tid; idx < BM * CPR; idx += THREADS) {
        const int row = idx / CPR;
        const int k0 = n0 + (idx % CPR) * 8;
        int n, oy, ox;
        if (TH) {
            n = img;
            oy = y0 + row / TW;
            ox = x0 + row % TW;
            if (oy >= p.OH || ox >= p.OW || k0 >= KS) continue;
        } else {
            const int m = m0 + row;
            if (m >= M || k0 >= KS) continue;
            n = m / OHW;
            const int rem = m - n * OHW;
            oy = rem / p.OW;
            ox = rem - oy * p.OW;
        }
        float v[8];
        const float4 v0 = *(const float4*)&sC[row * LDC + (idx % CPR) * 8];
        const float4 v1 = *(const float4*)&sC[row * LDC + (idx % CPR) * 8 + 4];
        v[0] = v0.x; v[1] = v0.y; v[2] = v0.z; v[3] = v0.w;
        v[4] = v1.x; v[5] = v1.y; v[6] = v1.z; v[7] = v1.w;
        ep_activate8(p.ep, chan, v);
        if (p.ep.vec8 && k0 + 8 <= KS) {
            ep_place8_vec<T>(p.ep, n, oy, ox, k0, v);
        } else {
#pragma unroll
            for (int t = 0; t < 8; t++) {
                if (k0 + t < K) {
                    ep_place1<T>(p.ep, n, oy, ox, k0 + t, v[t]);
                } else if (k0 + t < KS) {
                    ep_zero1<T>(p.ep, n, oy, ox, k0 + t);
                }
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
            if (kn < Kg) {
                ep_store1<T>(p.ep, n, oy, ox, g * Kg + kn, acc[i][j]);
            } else if (p.groups == 1 && kn < p.ep.k_store) {  // pad channels after the last output channel
                ep_zero1<T>(p.ep, n, oy, ox, kn);
            }
        }
    }
}

}  // namespace

// Instantiations: kernel name, tile (BM x BN), warp tile (WM x WN), pipeline stages, halo rows TH
// (0: linear), padded halo rows (1) or XOR swizzle (0), minimum blocks per SM. io.srengine.cuda.plan.ConvTiling lists the same set.
#define SRENGINE_CONV_TC(NAME, T, BM, BN, WM, WN, STAGES, TH, PAD, MINB)                         \
    extern "C" __global__ void __launch_bounds__((BM / WM) * (BN / WN) * 32, MINB)              \
        NAME##_##T##_##BM##x##BN(const Conv2dParams p) {                                        \
        conv2d_tc<T, BM, BN, WM, WN, STAGES, TH, PAD>(p);                                       \
    }
#define SRENGINE_CONV_TC_TYPES(NAME, BM, BN, WM, WN, STAGES, TH, PAD, MINB) \
    SRENGINE_CONV_TC(NAME, f16, BM, BN, WM, WN, STAGES, TH, PAD, MINB)     \
    SRENGINE_CONV_TC(NAME, bf16, BM, BN, WM, WN, STAGES, TH, PAD, MINB)

SRENGINE_CONV_TC_TYPES(conv2d_tc, 128, 64, 64, 32, 4, 0, 0, 2)
SRENGINE_CONV_TC_TYPES(conv2d_tc, 128, 32, 32, 32, 4, 0, 0, 2)
SRENGINE_CONV_TC_TYPES(conv2d_tch, 128, 64, 64, 32, 4, 8, 0, 4)
SRENGINE_CONV_TC_TYPES(conv2d_tch, 128, 32, 32, 32, 4, 8, 0, 4)
SRENGINE_CONV_TC_TYPES(conv2d_tcp, 128, 64, 64, 32, 4, 8, 1, 4)
SRENGINE_CONV_TC_TYPES(conv2d_tcp, 128, 32, 32, 32, 4, 8, 1, 4)
// Narrow tiles for layers with few output channels (a dense block's growth of 4, an RGB output):
// one 16-wide MMA column pair per warp, four warps down the pixels, more blocks per SM.
SRENGINE_CONV_TC_TYPES(conv2d_tc, 128, 16, 32, 16, 4, 0, 0, 6)
SRENGINE_CONV_TC_TYPES(conv2d_tcp, 128, 16, 32, 16, 4, 8, 1, 6)

extern "C" __global__ void __launch_bounds__(256) conv2d_simt_f32(const Conv2dParams p) { conv2d_simt<float>(p); }
extern "C" __global__ void __launch_bounds__(256) conv2d_simt_f16(const Conv2dParams p) { conv2d_simt<f16>(p); }
extern "C" __global__ void __launch_bounds__(256) conv2d_simt_bf16(const Conv2dParams p) { conv2d_simt<bf16>(p); }
