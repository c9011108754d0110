// Row gather; see row_gather.cuh.
#include "row_gather.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void row_gather(const RowGatherParams& p) {
    const i64 idx = global_index();
    if (idx >= (i64)p.count * p.c_store) return;
    const int r = (int)(idx / p.c_store);
    const int j = (int)(idx % p.c_store);
    const int src = p.rows[r];
    T* out = (T*)p.out;
    if (j < p.C && src >= 0) {
        out[(i64)r * p.out_cs + j] = ((const T*)p.in)[(i64)src * p.in_cs + j];
    } else {
        out[(i64)r * p.out_cs + j] = from_float<T>(0.f);
    }
}

}  // namespace

#define SRENGINE_ROW_GATHER(T)                                                                          \
    extern "C" __global__ void __launch_bounds__(256) row_gather_##T(const RowGatherParams p) {      \
        row_gather<T>(p);                                                                               \
    }

SRENGINE_ROW_GATHER(f32)
SRENGINE_ROW_GATHER(f16)
SRENGINE_ROW_GATHER(bf16)
