// Strided copy; see move.cuh.
#include "move.cuh"

namespace {

// The element offset of linear index i decoded row-major over dims[0..rank). I is the type the
// divisions run in: 32-bit ones cost a fraction of 64-bit ones, and every tensor of images fits.
template <typename I>
__device__ __forceinline__ i64 strided_offset(I i, const i64* dims, const i64* strides, int rank) {
    i64 off = 0;
#pragma unroll
    for (int d = SRENGINE_MOVE_MAX_RANK - 1; d >= 0; d--) {
        if (d < rank) {
            const I n = (I)dims[d];
            off += (i64)(i % n) * strides[d];
            i /= n;
        }
    }
    return off;
}

template <typename T>
__device__ __forceinline__ void move(const MoveParams& p) {
    const i64 i = global_index();
    if (i >= p.count) return;
    i64 src, dst;
    if (p.count <= 0xffffffffLL) {  // then every dimension fits in 32 bits too
        src = strided_offset((u32)i, p.in_dims, p.in_strides, p.rank_in);
        dst = strided_offset((u32)i, p.out_dims, p.out_strides, p.rank_out);
    } else {
        src = strided_offset(i, p.in_dims, p.in_strides, p.rank_in);
        dst = strided_offset(i, p.out_dims, p.out_strides, p.rank_out);
    }
    ((T*)p.out)[dst] = ((const T*)p.in)[src];
}

}  // namespace

#define SRENGINE_MOVE(T) \
    extern "C" __global__ void __launch_bounds__(256) move_##T(const MoveParams p) { move<T>(p); }

SRENGINE_MOVE(f32)
SRENGINE_MOVE(f16)
SRENGINE_MOVE(bf16)
