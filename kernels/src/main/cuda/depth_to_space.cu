// DepthToSpace gather; see depth_to_space.cuh.
#include "depth_to_space.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void depth_to_space(const DepthToSpaceParams& p) {
    const int r = p.r;
    const int Co = p.C / (r * r);
    const int OH = p.H * r;
    const int OW = p.W * r;
    const i64 idx = global_index();
    if (idx >= (i64)p.N * OH * OW * Co) return;
    const int c = (int)(idx % Co);
    int pix = (int)(idx / Co);
    const int x = pix % OW;
    pix /= OW;
    const int y = pix % OH;
    const int n = pix / OH;
    const int i = y % r, j = x % r;
    const int k = p.dcr ? (i * r + j) * Co + c : (c * r + i) * r + j;
    const float v = load_f((const T*)p.in, ((i64)(n * p.H + y / r) * p.W + x / r) * p.in_cs + k);
    store_f((T*)p.out, ((i64)(n * OH + y) * OW + x) * p.out_cs + c, v);
}

}  // namespace

#define SRENGINE_D2S(T)                                                                                   \
    extern "C" __global__ void __launch_bounds__(256) depth_to_space_##T(const DepthToSpaceParams p) { \
        depth_to_space<T>(p);                                                                             \
    }

SRENGINE_D2S(f32)
SRENGINE_D2S(f16)
SRENGINE_D2S(bf16)
